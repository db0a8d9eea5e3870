"""Forms of the security pages: the log's filter, a new account, a role, an unlock."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhizao.core.choices import Role
from zhizao.core.models import Organization, Region
from zhizao.security.choices import EventKind, Result


class EventFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("event type"), choices=[("", "—"), *EventKind.choices], required=False
    )
    result = forms.ChoiceField(
        label=_("result"), choices=[("", "—"), *Result.choices], required=False
    )
    subject = forms.CharField(label=_("subject (user)"), max_length=150, required=False)
    since = forms.DateField(label=_("From"), required=False)
    until = forms.DateField(label=_("Until"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data


class AccountForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)
    email = forms.EmailField(label=_("e-mail"), required=False)
    region = forms.ModelChoiceField(
        label=_("region"), queryset=Region.objects.all(), required=False
    )
    organization = forms.ModelChoiceField(
        label=_("organization"), queryset=Organization.objects.all(), required=False
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("role"), choices=[("", "—"), *Role.choices], required=False)


class UnlockForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
