"""The read side of the award cycle: eligibility, scoring and quotas. Nothing here writes a
record; the services (``awards/services.py``) call these checks before they act, and views,
the API and reports call them to show where an application stands.

- Eligibility: years in operation and the edition's eligibility rules.
- Assessors: the blind-review warnings about an assessor assigned to both stages.
- Scoring: the consensus view of a stage (engine statistics beside the agreed ratings), what a
  stage still lacks, an application's final score and an edition's ranking.
- Quotas: whether one more award or nomination fits the edition's quota, and the outcomes the
  committee can decide now.

The arithmetic (GB/T 19580 item scores, totals, spread flags) is the engine's,
``zhizao.indicators.excellence``; this module reads the records and hands them to it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from zhizao.awards.choices import Outcome, ReviewStage, Status
from zhizao.awards.models import Application, AwardEdition, AwardResult, ConsensusScore
from zhizao.core.models import User
from zhizao.indicators import excellence

ITEM_CODES = tuple(item.code for item in excellence.GBT19580_2012_ITEMS)


# --- Eligibility -------------------------------------------------------------------------------


def years_in_operation(application: Application, on: dt.date | None = None) -> int | None:
    if application.established_on is None:
        return None
    on = on or timezone.localdate()
    years = on.year - application.established_on.year
    if (on.month, on.day) < (application.established_on.month, application.established_on.day):
        years -= 1
    return years


def eligibility_problems(application: Application) -> list[str]:
    """Why the application does not (yet) meet the edition's eligibility rules."""
    edition = application.edition
    problems: list[str] = []
    if edition.min_years_in_operation:
        years = years_in_operation(application)
        if years is None:
            problems.append(_("The date of establishment is missing."))
        elif years < edition.min_years_in_operation:
            problems.append(
                _("%(years)d years in operation; the edition requires at least %(min)d.")
                % {"years": years, "min": edition.min_years_in_operation}
            )
    if edition.incident_free_years:
        if not application.declared_no_incident:
            problems.append(
                _("The applicant has not declared the absence of major quality-safety incidents.")
            )
        if application.incident_check_passed is None:
            problems.append(_("Staff have not recorded the incident check yet."))
        elif not application.incident_check_passed:
            problems.append(
                _("A major quality-safety incident was found in the last %(n)d years.")
                % {"n": edition.incident_free_years}
            )
    return problems


# --- Assessors ---------------------------------------------------------------------------------


def assignment_warnings(application: Application, assessor: User | None = None) -> list[str]:
    """Warnings for staff about the assignments of a blind material review: an assessor
    assigned to both stages keeps the material review blind (per stage) but will know, once on
    site, whose material they scored. ``assessor``: only the warning about them."""
    if not application.edition.blind_material_review:
        return []
    stages: dict[int, set[str]] = {}
    names: dict[int, str] = {}
    for assignment in application.assignments.select_related("assessor"):
        stages.setdefault(assignment.assessor_id, set()).add(assignment.stage)
        names[assignment.assessor_id] = assignment.assessor.get_username()
    return [
        _(
            "%(assessor)s is assigned to both the material and the on-site review: the material "
            "review stays blind for them, but on site they will learn whose material they scored."
        )
        % {"assessor": names[pk]}
        for pk, assigned in stages.items()
        if len(assigned) > 1 and (assessor is None or assessor.pk == pk)
    ]


# --- Scoring ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemConsensus:
    code: str
    title: str
    points: int
    kind: str
    ratings: dict[str, float]
    mean: float | None
    spread: float | None
    flagged: bool
    consensus_percent: int | None
    consensus_points: float | None
    suggested_percent: int | None


@dataclass(frozen=True)
class ConsensusView:
    stage: str
    assessors: list[str]
    items: list[ItemConsensus]
    flagged_count: int
    assessor_totals: dict[str, float]
    consensus_total: float | None
    complete: bool


def consensus_view(
    application: Application, stage: str, *, assessor_labels: Mapping[int, str] | None = None
) -> ConsensusView:
    """Per-item ratings, mean and spread with flags (engine), beside the recorded consensus."""
    assignments = list(
        application.assignments.filter(stage=stage)
        .select_related("assessor")
        .prefetch_related("scores")
    )
    labels = assessor_labels or {a.assessor_id: a.assessor.get_username() for a in assignments}
    sheets: dict[str, dict[str, float]] = {}
    for assignment in assignments:
        label = labels.get(assignment.assessor_id, assignment.assessor.get_username())
        sheets[label] = {score.item_code: score.percent for score in assignment.scores.all()}
    stats = excellence.consensus({k: v for k, v in sheets.items() if v})
    agreed = {
        row.item_code: row.percent
        for row in ConsensusScore.objects.filter(application=application, stage=stage)
    }
    items = []
    for item in excellence.GBT19580_2012_ITEMS:
        stat = stats.get(item.code)
        suggested = None
        if stat is not None:
            suggested = int(excellence.RATING_STEP * round(stat.mean / excellence.RATING_STEP))
        agreed_percent = agreed.get(item.code)
        items.append(
            ItemConsensus(
                code=item.code,
                title=item.title_zh,
                points=item.points,
                kind=item.kind.value,
                ratings=stat.ratings if stat else {},
                mean=stat.mean if stat else None,
                spread=stat.spread if stat else None,
                flagged=bool(stat and stat.flagged),
                consensus_percent=agreed_percent,
                consensus_points=(
                    excellence.item_score(item.code, agreed_percent)
                    if agreed_percent is not None
                    else None
                ),
                suggested_percent=suggested,
            )
        )
    totals = {
        label: excellence.total_score(sheet).total for label, sheet in sheets.items() if sheet
    }
    consensus_total = excellence.total_score(agreed).total if agreed else None
    return ConsensusView(
        stage=stage,
        assessors=list(sheets),
        items=items,
        flagged_count=sum(1 for row in items if row.flagged),
        assessor_totals=totals,
        consensus_total=consensus_total,
        complete=len(agreed) == len(ITEM_CODES),
    )


def stage_problems(application: Application, stage: str) -> list[str]:
    assignments = list(application.assignments.filter(stage=stage).prefetch_related("scores"))
    problems = []
    if not assignments:
        problems.append(_("No assessor is assigned to this stage."))
    for assignment in assignments:
        scored = {score.item_code for score in assignment.scores.all()}
        missing = [code for code in ITEM_CODES if code not in scored]
        if missing:
            problems.append(
                _("%(assessor)s has not scored %(n)d item(s).")
                % {"assessor": assignment.assessor.get_username(), "n": len(missing)}
            )
    agreed = ConsensusScore.objects.filter(application=application, stage=stage).count()
    if agreed < len(ITEM_CODES):
        problems.append(
            _("Consensus scores are recorded for %(n)d of %(total)d items.")
            % {"n": agreed, "total": len(ITEM_CODES)}
        )
    return problems


def final_score(application: Application) -> float | None:
    """The latest stage's consensus total (on-site if recorded, else material review)."""
    for stage in (ReviewStage.ONSITE, ReviewStage.MATERIAL):
        agreed = {
            row.item_code: row.percent
            for row in application.consensus_scores.all()
            if row.stage == stage
        }
        if agreed:
            return excellence.total_score(agreed).total
    return None


def edition_ranking(applications: Iterable[Application]) -> list[tuple[int, Application, float]]:
    """Applications ranked by consensus total (ties share a rank); unscored ones are left out.
    Pass applications with ``consensus_scores`` prefetched."""
    scored = [(app, final_score(app)) for app in applications]
    ordered = sorted(
        ((app, total) for app, total in scored if total is not None), key=lambda pair: -pair[1]
    )
    ranked: list[tuple[int, Application, float]] = []
    for index, (app, total) in enumerate(ordered):
        rank = ranked[-1][0] if ranked and ranked[-1][2] == total else index + 1
        ranked.append((rank, app, total))
    return ranked


# --- Quotas -----------------------------------------------------------------------------------


def quota_problem(
    edition: AwardEdition,
    outcome: str,
    *,
    pending: bool,
    exclude_application: Application | None = None,
    exclude_result: AwardResult | None = None,
) -> str | None:
    """Why one more ``outcome`` would exceed the edition's quota (a quota of 0 allows none), or
    None. Standing results count, and with ``pending`` so do applications under public notice
    with that proposed outcome. Call inside a transaction that locked the edition."""
    if outcome not in (Outcome.AWARD, Outcome.NOMINATION):
        return None
    quota = edition.award_quota if outcome == Outcome.AWARD else edition.nomination_quota
    results = AwardResult.objects.standing().filter(edition=edition, outcome=outcome)
    if exclude_result is not None:
        results = results.exclude(pk=exclude_result.pk)
    used = results.count()
    if pending:
        noticed = Application.objects.filter(
            edition=edition, status=Status.PUBLIC_NOTICE, proposed_outcome=outcome
        )
        if exclude_application is not None:
            noticed = noticed.exclude(pk=exclude_application.pk)
        used += noticed.count()
    if used < quota:
        return None
    if quota == 0:
        return _("%(edition)s confers no %(outcome)s (its quota is 0).") % {
            "edition": edition,
            "outcome": Outcome(outcome).label,
        }
    return _(
        "The quota of %(edition)s is %(quota)d for the %(outcome)s, and %(used)d are already "
        "conferred or under public notice."
    ) % {"edition": edition, "quota": quota, "outcome": Outcome(outcome).label, "used": used}


def decision_outcomes(application: Application) -> list[tuple[str, str]]:
    """The outcomes the committee can decide now ((value, label)): awards and nominations only
    while the edition's quota has room; "not awarded" always."""
    return [
        (outcome.value, str(outcome.label))
        for outcome in Outcome
        if quota_problem(
            application.edition, outcome, pending=True, exclude_application=application
        )
        is None
    ]
