"""Staff forms of the registers: committees, innovation bases, pilot projects (and their
acceptance) and reward grants. The forms only read input; the services save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zhizao.core import permissions
from zhizao.core.models import Organization, Region, User
from zhizao.funds.choices import ProgrammeKind
from zhizao.funds.models import FundProgramme
from zhizao.funds.permissions import administered_programmes
from zhizao.nqi.models import InnovationBase, StandardizationPilot, TechnicalCommittee

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _organizations(user: User) -> QuerySet[Organization]:
    return Organization.objects.filter(region__in=permissions.staff_regions(user)).order_by("name")


class _StaffForm(forms.ModelForm[Any]):
    organization_fields: tuple[str, ...] = ()
    region_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.organization_fields:
            self.fields[name].queryset = _organizations(user)  # type: ignore[attr-defined]
        for name in self.region_fields:
            self.fields[name].queryset = permissions.staff_regions(user)  # type: ignore[attr-defined]

    def data_for_service(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}  # type: ignore[attr-defined]


class CommitteeForm(_StaffForm):
    organization_fields = ("secretariat",)

    class Meta:
        model = TechnicalCommittee
        fields = ["number", "name", "name_en", "kind", "level", "secretariat", "mirror_of",
                  "established_on"]  # fmt: skip
        widgets = {"established_on": DATE}


class InnovationBaseForm(_StaffForm):
    organization_fields = ("host",)
    region_fields = ("region",)

    class Meta:
        model = InnovationBase
        fields = ["name", "name_en", "kind", "level", "field", "region", "host", "approved_on"]
        widgets = {"approved_on": DATE}


class PilotForm(_StaffForm):
    organization_fields = ("organization",)
    region_fields = ("region",)

    class Meta:
        model = StandardizationPilot
        fields = ["name", "level", "region", "organization", "field", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE, "ends_on": DATE}


class GrantForm(forms.Form):
    """A standardization reward paid: recorded in the fund ledger (a grant of the chosen
    programme with its payment) by ``services.record_reward_grant``."""

    programme = forms.ModelChoiceField(
        label=_("fund programme"), queryset=FundProgramme.objects.none()
    )
    recipient = forms.ModelChoiceField(label=_("recipient"), queryset=Organization.objects.none())
    amount = forms.CharField(
        label=_("amount (yuan)"), max_length=20, help_text=_("Yuan with up to two decimals.")
    )
    paid_on = forms.DateField(label=_("paid on"), widget=DATE)
    reason = forms.CharField(label=_("reason"), max_length=300)
    reference = forms.CharField(
        label=_("payment reference"),
        max_length=64,
        required=False,
        help_text=_("Voucher or document no."),
    )

    def __init__(self, *args: Any, user: User, instance: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = administered_programmes(user).filter(  # type: ignore[attr-defined]
            kind=ProgrammeKind.STANDARDIZATION_REWARD
        )
        self.fields["recipient"].queryset = _organizations(user)  # type: ignore[attr-defined]

    def data_for_service(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class AcceptPilotForm(forms.Form):
    accepted_on = forms.DateField(label=_("acceptance date"), widget=DATE)
    score = forms.DecimalField(
        label=_("acceptance score"), min_value=0, max_value=100, decimal_places=1
    )
    passed = forms.TypedChoiceField(
        label=_("result"),
        choices=[("1", _("passed: completed")), ("0", _("not accepted"))],
        coerce=lambda value: value == "1",
    )


__all__ = ["Region"]
