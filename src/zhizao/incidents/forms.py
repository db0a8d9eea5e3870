"""Forms of the incident pages; the services check the values."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhizao.core.models import Region
from zhizao.incidents.choices import Domain, Grade, PartyRole


class IncidentForm(forms.Form):
    domain = forms.ChoiceField(label=_("Domain"), choices=Domain.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    occurred_on = forms.DateField(
        label=_("Occurred on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    region = forms.ModelChoiceField(Region.objects.none(), label=_("Region"))
    deaths = forms.IntegerField(label=_("Deaths"), min_value=0, initial=0)
    injured = forms.IntegerField(label=_("Seriously injured or ill"), min_value=0, initial=0)
    affected = forms.IntegerField(label=_("People affected"), min_value=0, initial=0)
    direct_loss_10k_yuan = forms.DecimalField(
        label=_("Direct loss (10,000 yuan)"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        initial=0,
    )
    organization_credit_code = forms.CharField(
        label=_("Responsible organization's credit code"), max_length=18, required=False
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=PartyRole.choices, initial=PartyRole.RESPONSIBLE
    )
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, regions: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if regions is not None:
            self.fields["region"].queryset = regions  # type: ignore[attr-defined]


class GradeForm(forms.Form):
    grade = forms.ChoiceField(label=_("Confirmed grade"), choices=Grade.choices)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class TextForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class IncidentFilterForm(forms.Form):
    domain = forms.ChoiceField(
        label=_("Domain"), required=False, choices=[("", _("All domains")), *Domain.choices]
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    major = forms.BooleanField(label=_("Major and above only"), required=False)
