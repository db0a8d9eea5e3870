"""The annual report as a file: HTML (one self-contained page, charts as PNG), PDF (WeasyPrint:
A4, table of contents with page numbers, running header, page numbers, CJK font) and DOCX
(python-docx: Heading 1/2 styles, tables, chart images, a page-number field). All three render
the same :class:`zhizao.reports.annual.Report`."""

from __future__ import annotations

import base64
import io

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zhizao.reports import charts
from zhizao.reports.annual import Report
from zhizao.reports.choices import ReportFormat
from zhizao.reports.models import Publication

CONTENT_TYPES = {
    ReportFormat.HTML: "text/html; charset=utf-8",
    ReportFormat.PDF: "application/pdf",
    ReportFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _images(report: Report) -> list[tuple[str, bytes]]:
    return [(chart.title, charts.png(chart)) for chart in report.charts]


def _computed(report: Report) -> str:
    computed = report.snapshot.computed_at
    return timezone.localtime(computed).strftime("%Y-%m-%d %H:%M") if computed else ""


def _published(report: Report) -> bool:
    return Publication.objects.filter(snapshot=report.snapshot).exists()


def document_html(report: Report, images: list[tuple[str, bytes]] | None = None) -> str:
    shown = _images(report) if images is None else images
    uris = [
        (title, "data:image/png;base64," + base64.b64encode(data).decode("ascii"))
        for title, data in shown
    ]
    with translation.override(report.language):
        return render_to_string(
            "reports/document.html",
            {
                "report": report,
                "images": uris,
                "computed": _computed(report),
                "published": _published(report),
            },
        )


def render_pdf(report: Report) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=document_html(report)).write_pdf())


def _page_number_field(paragraph: object) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()  # type: ignore[attr-defined]
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), ("end", None)):
        if kind is None:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)


def render_docx(report: Report) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for style_name in ("Normal", "Heading 1", "Heading 2", "Title"):
        style = document.styles[style_name]
        style.font.name = charts.CJK_FONT
        style.element.rPr.rFonts.set(qn("w:eastAsia"), charts.CJK_FONT)
    document.styles["Normal"].font.size = Pt(10)
    section.header.paragraphs[0].text = report.title
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number_field(footer)
    with translation.override(report.language):
        document.add_heading(report.title, level=0)
        document.add_paragraph(
            _("Figures of snapshot #%(pk)s, computed %(at)s (code %(version)s).")
            % {
                "pk": report.snapshot.pk,
                "at": _computed(report),
                "version": report.snapshot.code_version,
            }
        )
        headings = [
            _("Indicator"),
            str(report.year),
            str(report.previous_year),
            str(report.base_year),
            _("Unit"),
            _("Target"),
            _("Direction"),
            _("Source"),
        ]
        for number, part in enumerate(report.sections, start=1):
            document.add_heading(f"{number}. {part.title}", level=1)
            for sentence in part.sentences:
                document.add_paragraph(sentence)
            for note in part.notes:
                document.add_paragraph(
                    _("A sentence is left out: %(code)s has no value (%(reason)s).")
                    % {"code": note.code, "reason": note.reason}
                )
            if not part.rows:
                document.add_paragraph(_("No figure of the registry belongs to this section yet."))
                continue
            document.add_heading(_("Figures of the section"), level=2)
            table = document.add_table(rows=1, cols=len(headings))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, headings, strict=True):
                cell.text = text
            for row in part.rows:
                cells = table.add_row().cells
                cells[0].text = f"{row.title} ({row.code})"
                cells[1].text = row.value or f"{_('too little data')}: {row.reason}"
                cells[2].text = row.previous or "—"
                cells[3].text = row.base or "—"
                cells[4].text = row.unit or "–"
                cells[5].text = f"{row.target.value} ({row.target.year})" if row.target else "—"
                cells[6].text = row.direction
                cells[7].text = row.standard
        images = _images(report)
        if images:
            document.add_heading(_("Charts"), level=1)
            for title, data in images:
                document.add_picture(io.BytesIO(data), width=Cm(16))
                document.add_paragraph(title)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render(report: Report, fmt: str) -> bytes:
    if fmt == ReportFormat.PDF:
        return render_pdf(report)
    if fmt == ReportFormat.DOCX:
        return render_docx(report)
    return document_html(report).encode("utf-8")


def file_name(report: Report, fmt: str) -> str:
    region = report.region.code or report.region.pk
    return f"zhizao-report-{region}-{report.year}-{report.language}.{fmt}"
