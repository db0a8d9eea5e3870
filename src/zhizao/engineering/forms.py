"""Forms of the engineering pages; the services check the values."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhizao.engineering.choices import Grouping, ProjectKind


class RateForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    by = forms.ChoiceField(label=_("Group by"), required=False, choices=Grouping.choices)


class ProjectFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Project"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *ProjectKind.choices]
    )


class InspectionForm(forms.Form):
    inspected_on = forms.DateField(
        label=_("Inspected on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    inspector = forms.CharField(label=_("Inspector"), max_length=200)
    passed = forms.BooleanField(label=_("Passed"), required=False)
    findings = forms.CharField(
        label=_("Findings"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AcceptanceForm(forms.Form):
    accepted_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    passed = forms.BooleanField(label=_("Passed"), required=False)
    reasons = forms.CharField(
        label=_("Reasons (if it failed)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
