"""Forms of the registry pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhizao.core.filters import city_districts
from zhizao.core.models import Region
from zhizao.registry.choices import HolderKind


class HonourFilterForm(forms.Form):
    """The filters of one honour's list of holders: name, holder type, year, district."""

    q = forms.CharField(
        label=_("Holder"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    holder_kind = forms.ChoiceField(
        label=_("Holder type"),
        required=False,
        choices=[("", _("All holder types")), *HolderKind.choices],
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2100)
    district = forms.ModelChoiceField(
        label=_("District"),
        required=False,
        queryset=Region.objects.none(),
        empty_label=_("All districts"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = city_districts()  # type: ignore[attr-defined]
