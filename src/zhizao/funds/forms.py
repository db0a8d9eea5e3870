"""Forms of the fund pages; they validate input, the services decide (money is parsed by
``services.to_money``, never as a float)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhizao.core.filters import city_districts
from zhizao.core.models import Region
from zhizao.funds.choices import ApplicationStatus, Decision
from zhizao.funds.models import FundProgramme

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ApplicationForm(forms.Form):
    project = forms.CharField(label=_("Project"), max_length=300)
    amount_requested = forms.CharField(
        label=_("Amount asked (yuan)"), max_length=20, help_text=_("Yuan with up to two decimals.")
    )
    file = forms.FileField(label=_("PDF document (at most 10 MB)"), required=False)


class ApplicationFilterForm(forms.Form):
    """The applications list's filters (``funds.filters.filter_applications`` applies them)."""

    q = forms.CharField(
        label=_("Organization or project"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    programme = forms.ModelChoiceField(
        FundProgramme.objects.none(),
        label=_("Fund programme"),
        required=False,
        empty_label=_("All programmes"),
        to_field_name="code",
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *ApplicationStatus.choices],
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    district = forms.ModelChoiceField(
        Region.objects.none(), label=_("District"), required=False, empty_label=_("All districts")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = FundProgramme.objects.order_by(  # type: ignore[attr-defined]
            "-year", "code"
        )
        self.fields["district"].queryset = city_districts()  # type: ignore[attr-defined]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices)
    score = forms.DecimalField(
        label=_("Score (0–100)"), required=False, min_value=0, max_value=100, decimal_places=2
    )
    note = forms.CharField(label=_("Decision note"), required=False, widget=forms.Textarea)


class GrantForm(forms.Form):
    amount = forms.CharField(
        label=_("Amount granted (yuan)"),
        max_length=20,
        help_text=_("Yuan with up to two decimals."),
    )
    granted_on = forms.DateField(label=_("Granted on"), widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class PaymentForm(forms.Form):
    amount = forms.CharField(
        label=_("Amount paid (yuan)"), max_length=20, help_text=_("Yuan with up to two decimals.")
    )
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)
    voucher = forms.CharField(label=_("Voucher number"), max_length=64)
    voucher_file = forms.FileField(label=_("Voucher scan (PDF, at most 10 MB)"), required=False)
