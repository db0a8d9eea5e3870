"""The staff flow in a real browser: the city's officer opens the assessment, enters a
self-score, attaches a PDF and downloads the evidence pack, which holds both."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest

from zhizao.assessment.models import ItemScore
from zhizao.assessment.tests import factories
from zhizao.core.testing import browser_login, screenshot


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_officer_scores_attaches_and_downloads_the_pack(
    browser_page, live_server, personas, evidence_indicators, tmp_path
):
    page, base = browser_page, live_server.url
    factories.make_records(personas)
    assessment = factories.make_assessment(personas)
    item = assessment.template.items.get(number="1.1")
    document = tmp_path / "企业名录.pdf"
    document.write_bytes(factories.pdf_bytes())

    browser_login(page, base, "officer")
    page.goto(f"{base}/assessment/?lang=en")
    page.click(f"#assessments a[href='/assessment/{assessment.pk}/']")
    page.wait_for_url(f"**/assessment/{assessment.pk}/")
    section = page.locator(f"#item-{item.pk}")
    assert "Suggested by the rules: 6" in section.locator(".suggested").inner_text()
    section.locator(f"#id_item{item.pk}-self_score").fill("5.5")
    section.locator(f"#id_item{item.pk}-comment").fill("企业主体名录齐全")
    section.locator("button[value=score]").click()
    page.wait_for_load_state()
    assert ItemScore.objects.get(item=item).self_score == Decimal("5.5")
    section = page.locator(f"#item-{item.pk}")
    section.locator(f"#id_doc{item.pk}-file").set_input_files(str(document))
    section.locator("button[value=attach]").click()
    page.wait_for_load_state()
    assert page.locator(f"#item-{item.pk} .documents a", has_text="企业名录.pdf").count() == 1
    assert page.locator("#total-score").inner_text().strip() == "5.5"
    screenshot(page, "assessment-staff-flow")

    with page.expect_download() as download_info:
        page.click("#download-pack")
    download = download_info.value
    assert download.suggested_filename == f"evidence-pack-{personas.city.code}-2021.zip"
    content = tmp_path / "pack.zip"
    download.save_as(str(content))
    archive = zipfile.ZipFile(io.BytesIO(content.read_bytes()))
    assert archive.read("1.1 企业质量主体/documents/企业名录.pdf") == factories.pdf_bytes()
    assert "index.pdf" in archive.namelist()
