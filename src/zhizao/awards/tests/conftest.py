"""Fixtures of the awards tests: an open edition, an applicant's application and helpers that
drive it through the award cycle."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from zhizao.awards import services
from zhizao.awards.choices import AwardLevel, ReviewStage, Status
from zhizao.awards.models import Application, AwardEdition, AwardProgramme
from zhizao.core import services as core_services
from zhizao.core.choices import Role
from zhizao.core.models import User
from zhizao.indicators.excellence import GBT19580_2012_ITEMS

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _english(settings: Any) -> Any:
    """These tests read messages in English: make English the default language (requests
    without a language cookie, services outside a request, the browser test's live server).
    test_messages_are_chinese_by_default checks the zh-Hans side."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def programme(personas: Any) -> AwardProgramme:
    return AwardProgramme.objects.create(
        code="zhuzhou-mayor-quality-award",
        name="株洲市市长质量奖",
        level=AwardLevel.CITY,
        region=personas.city,
        rank=1,
    )


@pytest.fixture
def edition(programme: AwardProgramme) -> AwardEdition:
    now = timezone.now()
    return AwardEdition.objects.create(
        programme=programme,
        number=7,
        year=now.year,
        opens_at=now - dt.timedelta(days=10),
        submission_deadline=now + dt.timedelta(days=10),
        award_quota=3,
        nomination_quota=3,
        min_years_in_operation=3,
        incident_free_years=3,
        objection_days=7,
    )


def make_application(user: User, edition: AwardEdition, **extra: Any) -> Application:
    """A draft application of ``user``'s organization, ready to submit."""
    app = services.create_application(
        user, edition, established_on=dt.date(2010, 1, 1), summary="概述", **extra
    )
    services.save_self_assessment(user, app, "4.1.1", "高层领导…", "")
    services.update_application(
        user, app, {"declaration_accepted": True, "declared_no_incident": True}
    )
    return app


@pytest.fixture
def application(personas: Any, edition: AwardEdition) -> Application:
    return make_application(personas.alice, edition)


def make_assessor(name: str, organization: Any = None) -> User:
    return core_services.create_user(
        username=name, password="persona-password", role=Role.ASSESSOR, organization=organization
    )


@pytest.fixture
def assessors(personas: Any) -> list[User]:
    return [personas.assessor, make_assessor("assessor2"), make_assessor("assessor3")]


def to_material(personas: Any, app: Application) -> Application:
    app = services.transition(personas.alice, app, Status.SUBMITTED)
    app = services.transition(personas.officer, app, Status.ELIGIBILITY_REVIEW)
    services.record_eligibility_check(personas.officer, app, passed=True, note="无事故")
    return services.transition(personas.officer, app, Status.MATERIAL_REVIEW)


def score_all(user: User, app: Application, stage: str, percent: int | dict[str, int]) -> None:
    assignment = app.assignments.get(assessor=user, stage=stage)
    ratings = {
        item.code: (percent if isinstance(percent, int) else percent.get(item.code, 50), "")
        for item in GBT19580_2012_ITEMS
    }
    services.record_scores(user, assignment, ratings)


def consensus_all(user: User, app: Application, stage: str, percent: int = 50) -> None:
    services.record_consensus(
        user, app, stage, {item.code: (percent, "") for item in GBT19580_2012_ITEMS}
    )


def run_stage(personas: Any, app: Application, stage: str, assessors: list[User]) -> Application:
    for user in assessors:
        if not app.assignments.filter(assessor=user, stage=stage).exists():
            services.assign_assessor(personas.officer, app, user, stage)
        score_all(user, app, stage, 50)
    consensus_all(assessors[0], app, stage)
    target = Status.ONSITE_REVIEW if stage == ReviewStage.MATERIAL else Status.COMMITTEE_DECISION
    return services.transition(assessors[0], app, target)


def to_committee(personas: Any, app: Application, assessors: list[User]) -> Application:
    """Through eligibility, material and on-site review to the committee's decision."""
    app = to_material(personas, app)
    app = run_stage(personas, app, ReviewStage.MATERIAL, assessors)
    return run_stage(personas, app, ReviewStage.ONSITE, assessors[:2])


def provincial_officer() -> User:
    """Bureau staff of the province (湖南省): records provincial and national results."""
    from zhizao.core.models import Region

    return core_services.create_user(
        username="province_officer",
        password="persona-password",
        role=Role.BUREAU_STAFF,
        region=Region.objects.get(code="430000"),
    )
