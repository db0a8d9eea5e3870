"""Forms of the fund pages; they validate input, the services decide (money is parsed by
``services.to_money``, never as a float)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ApplicationForm(forms.Form):
    project = forms.CharField(label=_("Project"), max_length=300)
    amount_requested = forms.CharField(
        label=_("Amount asked (yuan)"), max_length=20, help_text=_("Yuan with up to two decimals.")
    )
    file = forms.FileField(label=_("PDF document (at most 10 MB)"), required=False)
