"""Forms of the report pages: the snapshot list's filter and the narrative editor. The forms
only read input; the services save (reports/services.py)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SnapshotFilterForm(forms.Form):
    city = forms.CharField(label=_("Region"), required=False, max_length=40)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)


class SectionTextForm(forms.Form):
    template = forms.CharField(
        label=_("Sentence templates"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 10, "cols": 100}),
        help_text=_(
            "One sentence per line; {code} is replaced by the figure of that code, {year} by "
            "the report's year. A sentence whose figure has no value is left out."
        ),
    )
