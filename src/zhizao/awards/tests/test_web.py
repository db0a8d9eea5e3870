"""Pages, API and permissions per role; attachments; the feedback report's release date."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from zhizao.awards import services
from zhizao.awards.choices import ATTACHMENT_MAX_BYTES, AwardCategory, Outcome, ReviewStage, Status
from zhizao.awards.models import AwardEdition, AwardProgramme, AwardResult
from zhizao.awards.tests.conftest import PDF_BYTES, make_assessor, run_stage, to_material
from zhizao.awards.tests.factories import applications_in_material_review
from zhizao.core.actors import system_actor
from zhizao.core.testing import assert_list_queries

pytestmark = pytest.mark.django_db


def test_attachment_type_and_size_checks(personas, application):
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError, match="not a PDF"):
        services.add_attachment(personas.alice, application, fake)
    big = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * ATTACHMENT_MAX_BYTES)
    with pytest.raises(ValidationError, match="at most"):
        services.add_attachment(personas.alice, application, big)
    wrong_name = SimpleUploadedFile("report.exe", PDF_BYTES)
    with pytest.raises(ValidationError, match=r"\.pdf"):
        services.add_attachment(personas.alice, application, wrong_name)
    good = services.add_attachment(
        personas.alice, application, SimpleUploadedFile("自评报告.pdf", PDF_BYTES)
    )
    assert good.size == len(PDF_BYTES)
    assert "自评报告" not in str(good.file.name)
    url = reverse("awards:attachment", args=[good.pk])
    response = personas.client("alice").get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert personas.client("officer").get(url).status_code == 200
    for name in ("bob", "assessor", "committee", "tester"):
        assert personas.client(name).get(url).status_code == 404
    assert personas.client("anonymous").get(url).status_code == 302


def test_visibility_per_role(personas, application, edition, assessors):
    bob_app = services.create_application(personas.bob, edition, established_on=dt.date(2000, 1, 1))
    detail = reverse("awards:application_detail", args=[application.pk])
    assert personas.client("alice").get(detail).status_code == 200
    assert personas.client("bob").get(detail).status_code == 404
    assert personas.client("assessor").get(detail).status_code == 404
    assert personas.client("committee").get(detail).status_code == 404
    app = to_material(personas, application)
    services.assign_assessor(personas.officer, app, personas.assessor, ReviewStage.MATERIAL)
    response = personas.client("assessor").get(detail)
    assert response.status_code == 200
    listing = personas.client("assessor").get(reverse("awards:application_list"))
    assert app.code in listing.content.decode()
    assert bob_app.code not in listing.content.decode()
    api = personas.client("alice").get("/api/v1/awards/applications").json()
    assert [row["code"] for row in api["items"]] == [application.code]
    assert personas.client("anonymous").get("/api/v1/awards/applications").status_code == 401
    scores = f"/api/v1/awards/applications/{app.pk}/scores"
    assert personas.client("alice").get(scores).status_code == 404
    assert personas.client("assessor").get(scores).status_code == 200


def test_blind_review_hides_the_applicant(personas, application, edition):
    edition.blind_material_review = True
    edition.save()
    app = to_material(personas, application)
    services.assign_assessor(personas.officer, app, personas.assessor, ReviewStage.MATERIAL)
    page = personas.client("assessor").get(reverse("awards:application_detail", args=[app.pk]))
    assert personas.org_a.name not in page.content.decode()
    api = personas.client("assessor").get("/api/v1/awards/applications").json()
    assert api["items"][0]["applicant"] is None
    staff_page = personas.client("officer").get(reverse("awards:application_detail", args=[app.pk]))
    assert personas.org_a.name in staff_page.content.decode()


def test_public_sees_published_results_only(personas, edition):
    services.record_historic_result(
        personas.officer,
        edition,
        category=AwardCategory.ORGANIZATION,
        outcome=Outcome.AWARD,
        name_as_awarded="已公布企业",
        city=personas.city,
    )
    services.record_historic_result(
        personas.officer,
        edition,
        category=AwardCategory.ORGANIZATION,
        outcome=Outcome.AWARD,
        name_as_awarded="未公布企业",
        city=personas.city,
        publish=False,
    )
    public = personas.client("anonymous").get("/api/v1/awards/results").json()
    assert [row["name_as_awarded"] for row in public["items"]] == ["已公布企业"]
    staff = personas.client("officer").get("/api/v1/awards/results").json()
    assert len(staff["items"]) == 2
    page = personas.client("anonymous").get(reverse("awards:edition_detail", args=[edition.pk]))
    assert "已公布企业" in page.content.decode()
    assert "未公布企业" not in page.content.decode()


def test_feedback_pdf_released_on_the_staff_date(personas, application, edition, assessors):
    app = to_material(personas, application)
    app = run_stage(personas, app, ReviewStage.MATERIAL, assessors[:1])
    app = run_stage(personas, app, ReviewStage.ONSITE, assessors[:1])
    services.decide(personas.committee, app, Outcome.NOT_AWARDED, "未达线")
    services.save_feedback(personas.officer, app, "4.1", "高层领导重视质量", "加强战略部署")
    url = reverse("awards:feedback", args=[app.pk])
    edition.feedback_release_on = timezone.localdate() + dt.timedelta(days=1)
    edition.save()
    assert personas.client("alice").get(url).status_code == 403
    assert personas.client("bob").get(url).status_code == 404
    edition.feedback_release_on = timezone.localdate()
    edition.save()
    response = personas.client("alice").get(url)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "高层领导重视质量" in text
    assert "加强战略部署" in text


def test_public_pages_and_query_counts(personas, edition, django_assert_max_num_queries):
    edition.award_quota = 12
    edition.save()
    for index in range(12):
        services.record_historic_result(
            personas.officer,
            edition,
            category=AwardCategory.ORGANIZATION,
            outcome=Outcome.AWARD,
            name_as_awarded=f"企业{index}",
            city=personas.city,
        )
    client = personas.client("anonymous")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("awards:tallies")).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/awards/results").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("registry:honours")).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("registry:kind", args=["mayor_award"])).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("awards:notices")).status_code == 200
    assert client.get("/api/v1/registry/counts").json()[3]["count"] == 12


def test_application_list_query_count(personas, edition):
    # Twelve applications, read by the assessor of a blind review: the persona for whom each
    # row asks whether the applicant's name is hidden (one query per row before the fix).
    edition.blind_material_review = True
    edition.save()
    applications = applications_in_material_review(personas, edition, count=12)
    response = assert_list_queries(
        personas.client("assessor"),
        reverse("awards:application_list"),
        rows=12,
        max_queries=10,
        shows=[app.code for app in applications],
    )
    assert "计数申报企业" not in response.content.decode()


def test_headline_tile(personas, edition):
    from zhizao.core.frontpage import headlines

    tile = {h.key: h for h in headlines(personas.city, 2021)}["governor_award_tally"]
    assert tile.value is None


@pytest.mark.parametrize("others_synthetic", [True, False])
def test_governor_tile_is_synthetic_when_its_rank_compares_synthetic_results(
    personas, others_synthetic
):
    """The city's own results are real; the rank is synthetic when the results of the cities
    it is ranked against are."""
    from zhizao.awards import tallies
    from zhizao.awards.indicators import GOVERNOR as GOVERNOR_PROGRAMME
    from zhizao.core import figures
    from zhizao.core.models import Region

    province = Region.objects.get(code="430000")
    programme = AwardProgramme.objects.create(
        code=GOVERNOR_PROGRAMME, name="湖南省省长质量奖", level="provincial", region=province
    )
    edition = AwardEdition.objects.create(
        programme=programme, number=7, year=2022, is_historic=True, award_quota=8
    )
    changsha = Region.objects.get(code="430100")
    for name, city, synthetic in (
        ("真实获奖单位", personas.city, False),
        ("长沙获奖单位甲", changsha, others_synthetic),
        ("长沙获奖单位乙", changsha, others_synthetic),
    ):
        services.record_historic_result(
            system_actor(),
            edition,
            category=AwardCategory.ORGANIZATION,
            outcome=Outcome.AWARD,
            name_as_awarded=name,
            city=city,
            is_synthetic=synthetic,
        )
    assert tallies.standing_of(personas.city, programme) == tallies.Standing(
        rank=2, synthetic=others_synthetic
    )
    rank = figures.get("awards.governor.rank_in_province").compute(personas.city, 2022)
    assert rank.value == 2
    assert rank.synthetic is others_synthetic


def test_late_submission_through_the_page(personas, application, edition):
    edition.submission_deadline = timezone.now() - dt.timedelta(minutes=5)
    edition.save()
    response = personas.client("alice").post(
        reverse("awards:application_action", args=[application.pk, "transition"]),
        {"to_status": Status.SUBMITTED},
        follow=True,
    )
    assert "late applications are not accepted" in response.content.decode()
    assert not AwardResult.objects.exists()
    assert make_assessor("zz").role == "assessor"
