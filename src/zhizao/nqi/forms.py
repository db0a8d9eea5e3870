"""Staff forms of the registers: committees, innovation bases, pilot projects (and their
acceptance) and reward grants. The forms only read input; the services save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zhizao.core import permissions
from zhizao.core.models import Organization, Region, User
from zhizao.nqi.models import InnovationBase, RewardGrant, StandardizationPilot, TechnicalCommittee

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


class GrantForm(_StaffForm):
    organization_fields = ("recipient",)
    region_fields = ("payer",)

    class Meta:
        model = RewardGrant
        fields = ["payer", "recipient", "amount", "paid_on", "reason", "reference"]
        widgets = {"paid_on": DATE}


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
