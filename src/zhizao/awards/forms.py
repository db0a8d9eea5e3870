"""Forms of the awards pages; they validate input, the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhizao.awards.choices import AwardCategory, Outcome, ReviewStage
from zhizao.awards.models import AwardEdition
from zhizao.core.choices import Role
from zhizao.core.models import User
from zhizao.indicators import excellence

RATING_CHOICES = [(value, f"{value}%") for value in range(0, 101, excellence.RATING_STEP)]
CATEGORY_CHOICES = [(c.code, f"{c.code} {c.title_zh}") for c in excellence.GBT19580_2012_CATEGORIES]


class ApplicationForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=AwardCategory.choices)
    established_on = forms.DateField(
        label=_("Established on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    summary = forms.CharField(
        label=_("Organization overview"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class DeclarationForm(forms.Form):
    declaration_accepted = forms.BooleanField(
        label=_("I declare that the information in this application is true and complete."),
        required=False,
    )
    declared_no_incident = forms.BooleanField(
        label=_("No major quality-safety incident occurred in the period the edition requires."),
        required=False,
    )


class SelfAssessmentForm(forms.Form):
    item_code = forms.ChoiceField(
        label=_("Item"),
        choices=[
            (i.code, f"{i.code} {i.title_zh} ({i.points})") for i in excellence.GBT19580_2012_ITEMS
        ],
    )
    narrative = forms.CharField(label=_("Narrative"), widget=forms.Textarea(attrs={"rows": 4}))
    results_data = forms.CharField(
        label=_("Results data"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("PDF attachment (at most 10 MB)"))


class TransitionForm(forms.Form):
    to_status = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)


class EligibilityForm(forms.Form):
    passed = forms.TypedChoiceField(
        label=_("Incident check (no major quality-safety incident)"),
        choices=[("1", _("Check passed")), ("0", _("Check failed"))],
        coerce=lambda value: value == "1",
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class AssignForm(forms.Form):
    assessor = forms.ModelChoiceField(
        label=_("Assessor"), queryset=User.objects.filter(role=Role.ASSESSOR, is_active=True)
    )
    stage = forms.ChoiceField(label=_("Stage"), choices=ReviewStage.choices)


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)


class ObjectionForm(forms.Form):
    text = forms.CharField(label=_("Objection received"), widget=forms.Textarea(attrs={"rows": 2}))


class FeedbackForm(forms.Form):
    category_code = forms.ChoiceField(label=_("Category"), choices=CATEGORY_CHOICES)
    strengths = forms.CharField(label=_("Strengths"), widget=forms.Textarea(attrs={"rows": 2}))
    opportunities = forms.CharField(
        label=_("Opportunities for improvement"), widget=forms.Textarea(attrs={"rows": 2})
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason for revocation"), max_length=2000)


class EditionForm(forms.ModelForm[AwardEdition]):
    class Meta:
        model = AwardEdition
        fields = [
            "opens_at",
            "submission_deadline",
            "award_quota",
            "nomination_quota",
            "min_years_in_operation",
            "incident_free_years",
            "objection_days",
            "blind_material_review",
            "feedback_release_on",
        ]
        widgets: dict[str, Any] = {
            "opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "submission_deadline": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "feedback_release_on": forms.DateInput(attrs={"type": "date"}),
        }


def ratings_from_post(
    data: Any, prefix: str = ""
) -> tuple[dict[str, tuple[int, str]], dict[str, str]]:
    """Parse one rating and comment per item from a posted scoring form."""
    ratings: dict[str, tuple[int, str]] = {}
    errors: dict[str, str] = {}
    for item in excellence.GBT19580_2012_ITEMS:
        raw = data.get(f"{prefix}percent_{item.code}", "")
        if raw == "":
            continue
        try:
            ratings[item.code] = (int(raw), data.get(f"{prefix}comment_{item.code}", "")[:2000])
        except ValueError:
            errors[item.code] = str(_("Not a number."))
    return ratings, errors
