"""The permission matrix of the awards pages and API operations (see "Permission matrix" in
docs/core.md). The city's Mayor's award has an open edition: alice's application (org A, 天元区)
is in material review with the assessor assigned and a PDF attached; bob's (org B, 石峰区) is a
draft. The city holds a Mayor's award result and a Governor's (provincial) award result."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhizao.awards import services
from zhizao.awards.choices import AwardCategory, AwardLevel, NoticeKind, Outcome, ReviewStage
from zhizao.awards.models import AwardEdition, AwardProgramme, PublicNotice
from zhizao.core.models import Region
from zhizao.core.testing import (
    CITY_STAFF,
    FORBIDDEN,
    LOGGED_IN,
    NOT_FOUND,
    NOT_REFUSED,
    REDIRECT,
    Personas,
    operation,
    page,
)

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ENTERPRISES = {"alice", "bob"}
# alice's application: the staff of 天元区 and above, alice and the assigned assessor see it.
SEES_ALICES = {"officer", "district_officer", "alice", "assessor", "admin"}
MANAGES_ALICES = {"officer", "district_officer", "admin"}
SEES_BOBS = {"officer", "bob", "admin"}


def _edition(programme: AwardProgramme, number: int) -> AwardEdition:
    now = timezone.now()
    return AwardEdition.objects.create(
        programme=programme,
        number=number,
        year=now.year,
        opens_at=now - dt.timedelta(days=10),
        submission_deadline=now + dt.timedelta(days=10),
        min_years_in_operation=3,
        award_quota=50,
        nomination_quota=50,
        incident_free_years=3,
        objection_days=7,
    )


def scenario(personas: Personas) -> SimpleNamespace:
    p = personas
    mayor = AwardProgramme.objects.create(
        code="zhuzhou-mayor-quality-award",
        name="株洲市市长质量奖",
        level=AwardLevel.CITY,
        region=p.city,
        rank=1,
    )
    governor = AwardProgramme.objects.create(
        code="hunan-governor-quality-award",
        name="湖南省省长质量奖",
        level=AwardLevel.PROVINCIAL,
        region=Region.objects.get(code="430000"),
        rank=2,
    )
    edition = _edition(mayor, 7)
    provincial_edition = _edition(governor, 8)
    alices = services.create_application(
        p.alice, edition, established_on=dt.date(2010, 1, 1), summary="概述"
    )
    services.save_self_assessment(p.alice, alices, "4.1.1", "高层领导…", "")
    services.update_application(
        p.alice, alices, {"declaration_accepted": True, "declared_no_incident": True}
    )
    attachment = services.add_attachment(
        p.alice, alices, SimpleUploadedFile("自评报告.pdf", PDF_BYTES)
    )
    alices = services.transition(p.alice, alices, "submitted")
    alices = services.transition(p.officer, alices, "eligibility_review")
    services.record_eligibility_check(p.officer, alices, passed=True, note="无事故")
    alices = services.transition(p.officer, alices, "material_review")
    services.assign_assessor(p.officer, alices, p.assessor, ReviewStage.MATERIAL)
    bobs = services.create_application(p.bob, edition, established_on=dt.date(2000, 1, 1))

    def result(on: AwardEdition, name: str) -> Any:
        return services.record_historic_result(
            p.admin,
            on,
            category=AwardCategory.ORGANIZATION,
            outcome=Outcome.AWARD,
            name_as_awarded=name,
            organization=p.org_a,
            city=p.city,
        )

    notice = PublicNotice.objects.create(
        edition=edition,
        kind=NoticeKind.PRE_AWARD,
        title="第七届市长质量奖拟授奖名单公示",
        objection_ends_at=timezone.now() + dt.timedelta(days=7),
        published_by=p.officer,
    )
    return SimpleNamespace(
        p=p,
        edition=edition,
        alices=alices,
        bobs=bobs,
        attachment=attachment,
        notice=notice,
        city_result=result(edition, "甲测试企业有限公司"),
        provincial_result=result(provincial_edition, "甲测试企业有限公司"),
    )


def _local(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M") if value else ""


def _edition_settings(edition: AwardEdition) -> dict[str, Any]:
    return {
        "opens_at": _local(edition.opens_at),
        "submission_deadline": _local(edition.submission_deadline),
        "award_quota": edition.award_quota,
        "nomination_quota": edition.nomination_quota,
        "min_years_in_operation": edition.min_years_in_operation,
        "incident_free_years": edition.incident_free_years,
        "objection_days": edition.objection_days,
        "feedback_release_on": "",
    }


def _new_edition(s: SimpleNamespace, persona: str) -> dict[str, Any]:
    edition = s.edition
    return {
        "programme": edition.programme_id,
        "number": edition.number + 1,
        "year": edition.year,
        **_edition_settings(edition),
    }


def _alices(s: SimpleNamespace) -> dict[str, Any]:
    return {"pk": s.alices.pk}


def _alices_stage(s: SimpleNamespace) -> dict[str, Any]:
    return {"pk": s.alices.pk, "stage": ReviewStage.MATERIAL}


REVOKE = {"reason": "质量事故"}

PERMISSIONS = [
    page("awards:tallies"),
    page("awards:edition_list"),
    page("awards:edition_create", allow=CITY_STAFF),
    page(
        "awards:edition_create",
        method="post",
        body=_new_edition,
        allow=CITY_STAFF,
        ok=REDIRECT,
    ),
    page("awards:edition_detail", kwargs=lambda s: {"pk": s.edition.pk}),
    page(
        "awards:edition_detail",
        kwargs=lambda s: {"pk": s.edition.pk},
        method="post",
        body=lambda s, persona: _edition_settings(s.edition),
        allow=CITY_STAFF,
        ok=REDIRECT,
        anonymous=FORBIDDEN,
    ),
    page(
        "awards:application_create",
        kwargs=lambda s: {"edition_pk": s.edition.pk},
        allow=ENTERPRISES,
    ),
    page(
        "awards:application_create",
        kwargs=lambda s: {"edition_pk": s.edition.pk},
        method="post",
        body=lambda s, p: {"category": "organization", "established_on": "2005-01-01"},
        allow=ENTERPRISES,
        ok=NOT_REFUSED,
    ),
    page("awards:application_list", allow=LOGGED_IN),
    page(
        "awards:application_detail",
        kwargs=_alices,
        label="alice's",
        allow=SEES_ALICES,
        deny=NOT_FOUND,
    ),
    page(
        "awards:application_detail",
        kwargs=lambda s: {"pk": s.bobs.pk},
        label="bob's",
        allow=SEES_BOBS,
        deny=NOT_FOUND,
    ),
    # Every change posted from the application page goes through here; the services' refusals
    # come back as messages on the page (a redirect); who cannot see it gets 404.
    page(
        "awards:application_action",
        kwargs=lambda s: {"pk": s.alices.pk, "action": "transition"},
        method="post",
        body=lambda s, persona: {"to_status": ""},
        allow=SEES_ALICES,
        ok=REDIRECT,
        deny=NOT_FOUND,
    ),
    page(
        "awards:scoring",
        kwargs=_alices_stage,
        allow={"assessor"},
        deny=NOT_FOUND,
        cells=dict.fromkeys(MANAGES_ALICES | {"alice"}, FORBIDDEN),
    ),
    page(
        "awards:consensus",
        kwargs=_alices_stage,
        allow=MANAGES_ALICES | {"assessor"},
        deny=NOT_FOUND,
        cells={"alice": FORBIDDEN},
    ),
    page(
        "awards:scoring",
        kwargs=_alices_stage,
        method="post",
        body=lambda s, p: {"percent_4.1.1": "50"},
        allow={"assessor"},
        ok=NOT_REFUSED,
        deny=NOT_FOUND,
        cells=dict.fromkeys(MANAGES_ALICES | {"alice"}, FORBIDDEN),
    ),
    # The service's refusals of a consensus come back as a message (a redirect).
    page(
        "awards:consensus",
        kwargs=_alices_stage,
        method="post",
        body=lambda s, p: {"percent_4.1.1": "50"},
        allow=MANAGES_ALICES | {"assessor"},
        ok=REDIRECT,
        deny=NOT_FOUND,
        cells={"alice": FORBIDDEN},
    ),
    # Feedback is released to the applicant on the staff's date (none set here).
    page(
        "awards:feedback",
        kwargs=_alices,
        allow=MANAGES_ALICES,
        deny=NOT_FOUND,
        cells={"alice": FORBIDDEN, "assessor": FORBIDDEN},
    ),
    page(
        "awards:attachment",
        kwargs=lambda s: {"pk": s.attachment.pk},
        allow=SEES_ALICES,
        deny=NOT_FOUND,
    ),
    page("awards:notices"),
    page("awards:notice_objection", kwargs=lambda s: {"pk": s.notice.pk}),
    page(
        "awards:notice_objection",
        kwargs=lambda s: {"pk": s.notice.pk},
        method="post",
        body=lambda s, p: {"objector_name": "王五", "objector_contact": "138", "text": "异议"},
        ok=NOT_REFUSED,
    ),
    page(
        "awards:revoke",
        kwargs=lambda s: {"pk": s.city_result.pk},
        label="city award",
        method="post",
        body=lambda s, persona: REVOKE,
        allow=CITY_STAFF,
        ok=REDIRECT,
    ),
    page(
        "awards:revoke",
        kwargs=lambda s: {"pk": s.provincial_result.pk},
        label="provincial award",
        method="post",
        body=lambda s, persona: REVOKE,
        allow={"admin"},
        ok=REDIRECT,
    ),
    operation("GET /api/v1/awards/programmes"),
    operation("GET /api/v1/awards/editions"),
    operation("GET /api/v1/awards/results"),
    operation("GET /api/v1/awards/tallies"),
    operation("GET /api/v1/awards/applications", allow=LOGGED_IN),
    operation(
        "GET /api/v1/awards/applications/{pk}/scores",
        kwargs=_alices,
        allow=MANAGES_ALICES | {"assessor"},
        deny=NOT_FOUND,
    ),
    operation(
        "GET /api/v1/awards/applications/{pk}/ranking-score",
        kwargs=_alices,
        allow=MANAGES_ALICES | {"assessor"},
        deny=NOT_FOUND,
    ),
]
