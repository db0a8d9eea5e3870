from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhizao.core import permissions
from zhizao.core.choices import IndustryChain, OrganizationKind
from zhizao.core.filters import city_districts
from zhizao.core.models import Organization, Region, User
from zhizao.core.validators import normalise_credit_code


class OrganizationForm(forms.ModelForm[Organization]):
    """Registers or edits an organization. Every check (fields, duplicates) comes from the
    model, so the form and the API give the same messages; the service checks permissions."""

    class Meta:
        model = Organization
        fields = (
            "name",
            "name_en",
            "credit_code",
            "kind",
            "region",
            "industry_chain",
            "parent",
            "address",
            "contact_name",
            "contact_phone",
            "contact_email",
        )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = permissions.staff_regions(actor)  # type: ignore[attr-defined]
        self.fields["parent"].queryset = Organization.objects.filter(  # type: ignore[attr-defined]
            kind=OrganizationKind.ENTERPRISE
        ).order_by("name")
        self.fields["credit_code"].widget.attrs.update(
            {"autocomplete": "off", "spellcheck": "false", "maxlength": "24"}
        )
        credit_code: Any = self.fields["credit_code"]
        credit_code.max_length = 24  # spaces and hyphens are stripped before validation

    def clean_credit_code(self) -> str:
        return normalise_credit_code(self.cleaned_data["credit_code"])


class OrganizationFilterForm(forms.Form):
    """The organization list's filters: name or credit code, type, district, industry chain."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *OrganizationKind.choices]
    )
    region = forms.ModelChoiceField(
        label=_("District"),
        required=False,
        queryset=Region.objects.none(),
        empty_label=_("All districts"),
    )
    industry_chain = forms.ChoiceField(
        label=_("Industry chain"),
        required=False,
        choices=[("", _("All industry chains")), *IndustryChain.choices],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = city_districts()  # type: ignore[attr-defined]


class AuditFilterForm(forms.Form):
    """The audit page's filters: who made the change, which record type, which record, when."""

    who = forms.CharField(label=_("Who"), required=False, max_length=150)
    model = forms.ChoiceField(label=_("Record type"), required=False)
    record_id = forms.IntegerField(
        label=_("Record id"), required=False, min_value=1, max_value=2**63 - 1
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from zhizao.core.audit import model_choices

        super().__init__(*args, **kwargs)
        self.fields["model"].choices = [("", _("All record types")), *model_choices()]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return data
