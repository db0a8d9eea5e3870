"""Choices of the government quality awards: levels, categories, outcomes, the stages of the
award cycle and who may move an application from one stage to the next."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhizao.core.choices import Role


class AwardLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    CITY = "city", _("City")


class AwardCategory(models.TextChoices):
    ORGANIZATION = "organization", _("Organization")
    INDIVIDUAL = "individual", _("Individual")


class Outcome(models.TextChoices):
    AWARD = "award", _("Award")
    NOMINATION = "nomination", _("Nomination award (提名奖)")
    NOT_AWARDED = "not_awarded", _("Not awarded")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ELIGIBILITY_REVIEW = "eligibility_review", _("Eligibility review")
    MATERIAL_REVIEW = "material_review", _("Material review")
    ONSITE_REVIEW = "onsite_review", _("On-site review")
    COMMITTEE_DECISION = "committee_decision", _("Committee decision")
    PUBLIC_NOTICE = "public_notice", _("Public notice (公示)")
    AWARDED = "awarded", _("Awarded")
    NOMINATED = "nominated", _("Nomination award")
    NOT_AWARDED = "not_awarded", _("Not awarded")


class EditionState(models.TextChoices):
    """Where an edition stands, for the edition list's filter."""

    OPEN = "open", _("Open for applications")
    CLOSED = "closed", _("Applications closed")
    HISTORIC = "historic", _("Historic record")


FINAL_STATUSES = (Status.AWARDED, Status.NOMINATED, Status.NOT_AWARDED)

# (from, to) -> the role allowed to make the move. Nothing else is a legal transition.
TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.DRAFT, Status.SUBMITTED): Role.ENTERPRISE,
    (Status.SUBMITTED, Status.ELIGIBILITY_REVIEW): Role.BUREAU_STAFF,
    (Status.ELIGIBILITY_REVIEW, Status.MATERIAL_REVIEW): Role.BUREAU_STAFF,
    (Status.ELIGIBILITY_REVIEW, Status.NOT_AWARDED): Role.BUREAU_STAFF,
    (Status.MATERIAL_REVIEW, Status.ONSITE_REVIEW): Role.ASSESSOR,
    (Status.MATERIAL_REVIEW, Status.NOT_AWARDED): Role.BUREAU_STAFF,
    (Status.ONSITE_REVIEW, Status.COMMITTEE_DECISION): Role.ASSESSOR,
    (Status.COMMITTEE_DECISION, Status.PUBLIC_NOTICE): Role.COMMITTEE,
    (Status.COMMITTEE_DECISION, Status.NOT_AWARDED): Role.COMMITTEE,
    (Status.PUBLIC_NOTICE, Status.AWARDED): Role.BUREAU_STAFF,
    (Status.PUBLIC_NOTICE, Status.NOMINATED): Role.BUREAU_STAFF,
    (Status.PUBLIC_NOTICE, Status.NOT_AWARDED): Role.BUREAU_STAFF,
}

# Moves out of the committee's decision are made with the decision form (services.decide), which
# records the outcome and the public notice; they are never offered as plain transitions.
DECISION_MOVES = frozenset(key for key in TRANSITIONS if key[0] == Status.COMMITTEE_DECISION)
# Moves out of the public notice confer (or refuse) the award: the awarding government's act.
CONFERRAL_MOVES = frozenset(key for key in TRANSITIONS if key[0] == Status.PUBLIC_NOTICE)

# Transitions that must carry a reason.
REASON_REQUIRED = frozenset(
    {
        (Status.ELIGIBILITY_REVIEW, Status.NOT_AWARDED),
        (Status.MATERIAL_REVIEW, Status.NOT_AWARDED),
        (Status.COMMITTEE_DECISION, Status.NOT_AWARDED),
        (Status.PUBLIC_NOTICE, Status.NOT_AWARDED),
    }
)


class ReviewStage(models.TextChoices):
    MATERIAL = "material", _("Material review")
    ONSITE = "onsite", _("On-site review")


STAGE_STATUS = {
    ReviewStage.MATERIAL: Status.MATERIAL_REVIEW,
    ReviewStage.ONSITE: Status.ONSITE_REVIEW,
}


class ScoringDimensions(models.TextChoices):
    ADLI = "ADLI", _("Approach–Deployment–Learning–Integration (A-D-L-I)")
    LETCI = "LeTCI", _("Levels–Trends–Comparisons–Integration (Le-T-C-I)")


class NoticeKind(models.TextChoices):
    PRE_AWARD = "pre_award", _("Pre-award public notice (公示)")
    REVOCATION = "revocation", _("Revocation notice")


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DISMISSED = "dismissed", _("Dismissed")
    UPHELD = "upheld", _("Upheld")


class ReviewTrigger(models.TextChoices):
    INCIDENT = "incident", _("Major quality-safety incident")
    FAILED_SAMPLING = "failed_sampling", _("Failed supervision sampling")
    OTHER = "other", _("Other")


class ValidityReviewOutcome(models.TextChoices):
    OPEN = "open", _("Open")
    CONFIRMED = "confirmed", _("Award confirmed")
    REVOKED = "revoked", _("Award revoked")


# Attachments
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024

# Notification templates (created by migration 0002).
MSG_SUBMITTED = "awards-application-submitted"
MSG_STATUS_CHANGED = "awards-application-status"
MSG_ASSIGNED = "awards-assessor-assigned"
MSG_RESULT = "awards-result-published"
MSG_REVOKED = "awards-award-revoked"
MSG_OBJECTION_FILED = "awards-objection-filed"  # migration 0004
MSG_CONFLICT_FOUND = "awards-conflict-found"  # migration 0005

# The public objection form
OBJECTION_MAX_CHARS = 5000
OBJECTION_EXCERPT_CHARS = 200

# The six GB/Z 19579 scoring bands (indicators.excellence.SCORING_BANDS, by band number), in the
# user's language. The wording summarises the bands (it mirrors the Baldrige guidelines).
SCORING_BAND_SUMMARIES = {
    1: _("no systematic approach / no results"),
    2: _("beginnings of an approach, early deployment; reactive"),
    3: _("systematic approach to the basic requirements; some good results"),
    4: _("effective, well-deployed approach; good levels, favourable trends"),
    5: _("refined, integrated approach; good-to-excellent sustained results"),
    6: _("fully deployed, innovative; excellent, benchmark-leading results"),
}
