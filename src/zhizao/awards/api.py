"""Awards API: programmes, editions, published results and tallies are public; applications and
scores are scoped by role (see :mod:`zhizao.awards.permissions`)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from zhizao.awards import permissions, scoring, tallies
from zhizao.awards.models import Application, AwardEdition, AwardProgramme, AwardResult
from zhizao.core.api_auth import api_auth, public_auth
from zhizao.core.models import Region
from zhizao.core.pagination import BoundedPagination

router = Router(tags=["awards"])


class ProgrammeOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    level: str
    validity_years: int


class EditionOut(Schema):
    id: int
    programme_id: int
    number: int
    year: int
    submission_deadline: str | None
    award_quota: int
    nomination_quota: int
    is_historic: bool

    @staticmethod
    def resolve_submission_deadline(obj: AwardEdition) -> str | None:
        return obj.submission_deadline.isoformat() if obj.submission_deadline else None


class ResultOut(Schema):
    id: int
    edition_id: int
    programme: str
    edition_number: int
    year: int
    category: str
    outcome: str
    name_as_awarded: str
    organization_id: int | None
    city: str
    is_synthetic: bool
    revoked: bool

    @staticmethod
    def resolve_programme(obj: AwardResult) -> str:
        return obj.edition.programme.code

    @staticmethod
    def resolve_edition_number(obj: AwardResult) -> int:
        return obj.edition.number

    @staticmethod
    def resolve_year(obj: AwardResult) -> int:
        return obj.edition.year

    @staticmethod
    def resolve_city(obj: AwardResult) -> str:
        return obj.city.name

    @staticmethod
    def resolve_revoked(obj: AwardResult) -> bool:
        return obj.revoked_at is not None


class TallyOut(Schema):
    programme: str
    awards: int
    organizations: int
    individuals: int
    nominations: int
    editions_won: list[int]
    rank: int | None


class ApplicationOut(Schema):
    id: int
    code: str
    edition_id: int
    category: str
    status: str
    applicant: str | None = Field(description="null while a blind review hides it from you")

    @staticmethod
    def resolve_applicant(obj: Application, context: dict[str, Any]) -> str | None:
        if permissions.hides_applicant(context["request"].user, obj):
            return None
        return obj.organization.name


class ScoreOut(Schema):
    item_code: str
    assessor: str
    stage: str
    percent: int


@router.get("/programmes", response=list[ProgrammeOut], auth=public_auth)
def list_programmes(request: HttpRequest) -> list[AwardProgramme]:
    return list(AwardProgramme.objects.all())


@router.get("/editions", response=list[EditionOut], auth=public_auth)
@paginate(BoundedPagination)
def list_editions(request: HttpRequest) -> list[AwardEdition]:
    return AwardEdition.objects.order_by("programme_id", "number")  # type: ignore[return-value]


@router.get("/results", response=list[ResultOut], auth=public_auth)
@paginate(BoundedPagination)
def list_results(request: HttpRequest, programme: str = "") -> list[AwardResult]:
    results = permissions.results_visible_to(request.user).select_related(
        "edition__programme", "city"
    )
    if programme:
        results = results.filter(edition__programme__code=programme)
    return results.order_by("edition__programme_id", "edition__number", "pk")  # type: ignore[return-value]


@router.get("/tallies", response=list[TallyOut], auth=public_auth)
def city_tallies(request: HttpRequest, city: str = "") -> list[dict[str, object]]:
    region = Region.objects.city(city)
    if region is None:
        raise Http404
    rows = []
    rankings = tallies.city_rankings()
    for programme, tally in tallies.city_tallies(region):
        rows.append(
            {
                "programme": programme.code,
                "awards": tally.awards,
                "organizations": tally.organizations,
                "individuals": tally.individuals,
                "nominations": tally.nominations,
                "editions_won": tally.editions_won,
                "rank": tallies.rank_in(rankings.get(programme.pk, []), region),
            }
        )
    return rows


@router.get("/applications", response=list[ApplicationOut], auth=api_auth)
@paginate(BoundedPagination)
def list_applications(request: HttpRequest) -> QuerySet[Application]:
    return (
        permissions.applications_visible_to(request.user)
        .select_related("organization", "edition")
        .order_by("-created_at", "-pk")
    )


@router.get("/applications/{pk}/scores", response=list[ScoreOut], auth=api_auth)
def application_scores(request: HttpRequest, pk: int) -> list[dict[str, object]]:
    application = get_object_or_404(Application, pk=pk)
    if not permissions.can_view_scores(request.user, application):
        raise Http404
    rows = []
    for assignment in application.assignments.select_related("assessor").prefetch_related("scores"):
        for score in assignment.scores.all():
            rows.append(
                {
                    "item_code": score.item_code,
                    "assessor": assignment.assessor.get_username(),
                    "stage": assignment.stage,
                    "percent": score.percent,
                }
            )
    return rows


@router.get("/applications/{pk}/ranking-score", auth=api_auth)
def application_total(request: HttpRequest, pk: int) -> dict[str, float | None]:
    application = get_object_or_404(Application, pk=pk)
    if not permissions.can_view_scores(request.user, application):
        raise Http404
    return {"total": scoring.final_score(application)}
