"""Forms of the awards pages; they validate input, the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhizao.awards.choices import (
    OBJECTION_MAX_CHARS,
    AwardCategory,
    EditionState,
    Outcome,
    ReviewStage,
    Status,
)
from zhizao.awards.models import Application, AwardEdition, AwardProgramme, PublicNotice
from zhizao.core.choices import Role
from zhizao.core.models import Organization, Person, User
from zhizao.indicators import excellence

RATING_CHOICES = [(value, f"{value}%") for value in range(0, 101, excellence.RATING_STEP)]
CATEGORY_CHOICES = [(c.code, f"{c.code} {c.title_zh}") for c in excellence.GBT19580_2012_CATEGORIES]


class NomineeChoiceField(forms.ModelChoiceField[Person]):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.name} · {obj.title}" if obj.title else obj.name


class ApplicationForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=AwardCategory.choices)
    nominee = NomineeChoiceField(
        label=_("Nominee (individual category)"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("A person of your own organization."),
        error_messages={
            "invalid_choice": _("Nominate a person of your own organization."),
        },
    )
    established_on = forms.DateField(
        label=_("Established on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    summary = forms.CharField(
        label=_("Organization overview"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args: Any, organization: Organization | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # Only people of the applicant's own organization can be picked (and are accepted).
        nominee = self.fields["nominee"]
        assert isinstance(nominee, NomineeChoiceField)
        nominee.queryset = (
            Person.objects.filter(organization=organization).order_by("name")
            if organization is not None
            else Person.objects.none()
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("category") == AwardCategory.INDIVIDUAL:
            if data.get("nominee") is None and "nominee" not in self.errors:
                self.add_error("nominee", _("Choose the nominee for the individual category."))
        else:
            data["nominee"] = None
        return data


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

    def __init__(self, *args: Any, outcomes: list[tuple[str, str]] | None = None, **kwargs: Any):
        """``outcomes``: the ones the committee can decide now (scoring.decision_outcomes)."""
        super().__init__(*args, **kwargs)
        if outcomes is not None:
            self.fields["outcome"].choices = outcomes  # type: ignore[attr-defined]


class ObjectionForm(forms.Form):
    text = forms.CharField(label=_("Objection received"), widget=forms.Textarea(attrs={"rows": 2}))


class ApplicationUnderNoticeField(forms.ModelChoiceField[Application]):
    def label_from_instance(self, obj: Application) -> str:
        name = obj.nominee.name if obj.nominee else obj.organization.name
        return f"{name} ({obj.get_category_display()})"


class PublicObjectionForm(forms.Form):
    """The public's objection to a public notice (公示); the service checks the window and the
    text (required, plain, at most OBJECTION_MAX_CHARS)."""

    application = ApplicationUnderNoticeField(
        label=_("Objection concerns"), queryset=Application.objects.none(), empty_label=None
    )
    objector_name = forms.CharField(label=_("Your name"), max_length=100)
    objector_contact = forms.CharField(
        label=_("How to reach you"),
        max_length=200,
        help_text=_("Telephone, e-mail or address; seen by staff only."),
    )
    text = forms.CharField(
        label=_("Your objection"),
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": OBJECTION_MAX_CHARS}),
    )

    def __init__(self, *args: Any, notice: PublicNotice, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["text"].help_text = _("Plain text, at most %(max)d characters.") % {
            "max": OBJECTION_MAX_CHARS
        }
        field = self.fields["application"]
        assert isinstance(field, ApplicationUnderNoticeField)
        field.queryset = (
            notice.applications.filter(status=Status.PUBLIC_NOTICE)
            .select_related("organization", "nominee")
            .order_by("pk")
        )


class FeedbackForm(forms.Form):
    category_code = forms.ChoiceField(label=_("Category"), choices=CATEGORY_CHOICES)
    strengths = forms.CharField(label=_("Strengths"), widget=forms.Textarea(attrs={"rows": 2}))
    opportunities = forms.CharField(
        label=_("Opportunities for improvement"), widget=forms.Textarea(attrs={"rows": 2})
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason for revocation"), max_length=2000)


EDITION_WIDGETS: dict[str, Any] = {
    "opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    "submission_deadline": forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
    ),
    "feedback_release_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
}


# An edition's settings, edited on the edition page and set when the edition is created.
EDITION_SETTINGS = [
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


class EditionForm(forms.ModelForm[AwardEdition]):
    class Meta:
        model = AwardEdition
        fields = EDITION_SETTINGS
        widgets = EDITION_WIDGETS


class EditionCreateForm(forms.ModelForm[AwardEdition]):
    """A new edition of a programme; per-field errors come from AwardEdition.clean(), its
    constraint check and :func:`services.create_edition`."""

    class Meta:
        model = AwardEdition
        fields = ["programme", "number", "year", *EDITION_SETTINGS]
        widgets = EDITION_WIDGETS

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["opens_at"].required = True
        self.fields["submission_deadline"].required = True


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


class EditionChoiceField(forms.ModelChoiceField[AwardEdition]):
    def label_from_instance(self, obj: AwardEdition) -> str:
        return str(obj)


class ApplicationFilterForm(forms.Form):
    """The application list's filters. No filter by applicant: a blind review hides it."""

    q = forms.CharField(
        label=_("Application number"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "A-00012"}),
    )
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        required=False,
        queryset=AwardProgramme.objects.all(),
        empty_label=_("All programmes"),
    )
    edition = EditionChoiceField(
        label=_("Edition"),
        required=False,
        queryset=AwardEdition.objects.select_related("programme").order_by(
            "-programme__rank", "-number"
        ),
        empty_label=_("All editions"),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *Status.choices]
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)

    def clean_q(self) -> int | None:
        """ "A-00012", "a-12" or "12" → 12; anything else is not an application number."""
        text = self.cleaned_data["q"].strip().upper().removeprefix("A-")
        if not text:
            return None
        if not text.isdigit():
            raise forms.ValidationError(
                _("An application number looks like A-00012."), code="invalid"
            )
        return int(text)


class EditionFilterForm(forms.Form):
    """The edition list's filters: programme, year and whether applications are open."""

    programme = forms.ModelChoiceField(
        label=_("Programme"),
        required=False,
        queryset=AwardProgramme.objects.all(),
        empty_label=_("All programmes"),
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All")), *EditionState.choices]
    )
