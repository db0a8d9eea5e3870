"""Forms of environmental quality's pages: the hourly-data upload and the completeness page's
filters (``environment.filters`` applies them)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhizao.core.models import Region
from zhizao.environment.choices import HourLabel
from zhizao.environment.models import Station


class AirUploadForm(forms.Form):
    """A file of hourly data and how it labels its hours; the import service checks the rest."""

    file = forms.FileField(label=_("File"), error_messages={"required": _("Choose a file.")})
    hour_label = forms.ChoiceField(
        label=_("Hours labelled by"), choices=HourLabel.choices, initial=HourLabel.END
    )


MONTH_CHOICES = [("", _("All months"))] + [(str(m), str(m)) for m in range(1, 13)]


class CompletenessFilterForm(forms.Form):
    """The completeness page's filters: year, district, station and month of the city's."""

    year = forms.IntegerField(label=_("Year"), min_value=1901, max_value=2999, required=False)
    district = forms.ModelChoiceField(
        Region.objects.none(), label=_("District"), required=False, empty_label=_("All")
    )
    station = forms.ModelChoiceField(
        Station.objects.none(), label=_("Station"), required=False, empty_label=_("All")
    )
    month = forms.TypedChoiceField(
        label=_("Month"), choices=MONTH_CHOICES, coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, city: Region, stations: list[Station], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        district_field = self.fields["district"]
        station_field = self.fields["station"]
        assert isinstance(district_field, forms.ModelChoiceField)
        assert isinstance(station_field, forms.ModelChoiceField)
        district_field.queryset = Region.objects.filter(parent=city).order_by("code", "path")
        station_field.queryset = Station.objects.filter(pk__in=[s.pk for s in stations])
