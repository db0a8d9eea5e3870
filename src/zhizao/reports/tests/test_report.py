"""The annual report on records the tests make: the PDF is rasterised (pdftoppm: its pages are
not blank) and its text layer (pdftotext) holds the Chinese section titles and the figures; the
DOCX is read back with python-docx and every figure compared with ``zhizao figures``; each
figure of the HTML page links to its drill-down; the command writes the file; the page says
what changed since publication."""

from __future__ import annotations

import io
import json
import re
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from PIL import Image, ImageStat

from zhizao.core import figures
from zhizao.core.testing import make_organization
from zhizao.reports import rendering, sections, services
from zhizao.reports.tests.conftest import COUNT, EXTRA_ORGANIZATIONS, SHARE

pytestmark = pytest.mark.django_db


@pytest.fixture
def snapshot(report_records):
    return services.report_snapshot(report_records.officer, report_records.city, 2021)


def _figures_command(city: str = "株洲市", year: int = 2021) -> Any:
    out = io.StringIO()
    call_command("figures", "--city", city, "--year", str(year), "--json", stdout=out)
    return json.loads(out.getvalue())


def test_the_pdf_is_a4_in_chinese_with_its_figures(snapshot, tmp_path):
    report = services.build_report(snapshot, "zh-hans")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(rendering.render_pdf(report))

    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info.stdout)
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "2", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) == 2
    for page in pages:
        stat = ImageStat.Stat(Image.open(page).convert("L"))
        assert stat.var[0] > 50, f"{page.name} is blank"

    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for section in sections.SECTIONS:
        assert section.title_zh in text
    # The table of contents carries page numbers (target-counter), the pages their numbers.
    assert re.search(r"1\. 质量奖项与荣誉 \.+ \d+", text)
    assert "1 / " in text
    count_line = next(line for line in text.splitlines() if COUNT.name[0] in line)
    assert str(EXTRA_ORGANIZATIONS + 5) in count_line
    share = report.figures[SHARE.code].typed_value
    share_line = next(line for line in text.splitlines() if SHARE.name[0] in line)
    assert str(share) in share_line
    # The narrative is filled from figures.
    assert "本市拥有" in text or "截至目前" in text


def test_the_docx_holds_every_figure_of_zhizao_figures(snapshot):
    from docx import Document

    report = services.build_report(snapshot, "zh-hans")
    document = Document(io.BytesIO(rendering.render_docx(report)))

    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[: len(sections.SECTIONS)] == [
        f"{n}. {s.title_zh}" for n, s in enumerate(sections.SECTIONS, start=1)
    ]
    assert any(p.style.name == "Heading 2" for p in document.paragraphs)
    assert len(document.inline_shapes) >= 1  # the charts
    assert "PAGE" in document.sections[0].footer._element.xml

    live = _figures_command()
    seen = {}
    for table in document.tables:
        for row in table.rows[1:]:
            found = re.search(r"\(([A-Za-z0-9_.\-]+)\)$", row.cells[0].text)
            assert found, row.cells[0].text
            seen[found[1]] = row.cells[1].text
    public = {
        i.code for i in figures.indicators(published_only=True) if sections.in_city_report(i.code)
    }
    assert set(seen) == public
    for code, shown in seen.items():
        value = live[code]["value"]
        if value is None:
            assert report.figures[code].reason_zh in shown, (code, shown)
        else:
            assert Decimal(shown.replace(",", "")) == Decimal(str(value)), code
    assert seen[COUNT.code] == str(EXTRA_ORGANIZATIONS + 5)


def test_each_figure_of_the_page_links_to_its_drill_down(report_records, snapshot, client):
    client.force_login(report_records.officer)
    response = client.get(reverse("reports:detail", args=[snapshot.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    links = dict(
        re.findall(
            r'<tr data-code="([^"]+)">.*?<a class="figure-link[^"]*" href="([^"]+)"', body, re.S
        )
    )
    public = {
        i.code for i in figures.indicators(published_only=True) if sections.in_city_report(i.code)
    }
    assert set(links) == public
    for code, url in links.items():
        assert url.replace("&amp;", "&") == figures.get(code).url(snapshot.region, 2021)
    drill = client.get(links[COUNT.code].replace("&amp;", "&"))
    assert drill.status_code == 200
    assert "报告测试企业00有限公司" in drill.content.decode()
    assert 'id="report-charts"' in body  # the charts' data, for ECharts


def test_the_command_writes_the_report(report_records, tmp_path):
    target = tmp_path / "report.html"
    out = io.StringIO()
    call_command(
        "report",
        "--city",
        "株洲市",
        "--year",
        "2021",
        "--format",
        "html",
        "--lang",
        "en",
        "-o",
        str(target),
        stdout=out,
    )
    text = Path(target).read_text(encoding="utf-8")
    assert "quality report 2021" in text
    assert "Awards and honours" in text
    assert "data:image/png;base64," in text  # the charts as images
    assert "snapshot #" in out.getvalue()


def test_the_page_shows_what_changed_since_publication(report_records, snapshot, client):
    services.publish(report_records.officer, snapshot)
    make_organization("发布后新增企业有限公司", report_records.shifeng)
    newer = services.take_snapshot(report_records.officer, report_records.city, 2021)
    client.force_login(report_records.officer)
    body = client.get(reverse("reports:detail", args=[snapshot.pk])).content.decode()
    assert 'id="changed"' in body
    assert COUNT.code in body
    assert f"#{newer.pk}" in body
    # The public reads the published report, without the staff's comparison.
    public = client.__class__().get(reverse("reports:detail", args=[snapshot.pk]))
    assert public.status_code == 200
    assert 'id="changed"' not in public.content.decode()


def test_the_nightly_recomputation_never_publishes(report_records):
    from django.utils import timezone

    from zhizao.reports.models import Publication, Snapshot

    out = io.StringIO()
    call_command("snapshot", "--city", "430200", "--recent", stdout=out)
    this_year = timezone.localdate().year
    taken = Snapshot.objects.filter(region=report_records.city)
    assert sorted(taken.values_list("year", flat=True)) == [this_year - 1, this_year]
    assert not Publication.objects.exists()
    assert "published" not in out.getvalue()
