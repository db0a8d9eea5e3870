"""The feedback report (反馈报告) as a PDF, rendered from an HTML template with WeasyPrint and
the installed WenQuanYi Micro Hei font (Chinese text)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from zhizao.awards.models import Application
from zhizao.awards.scoring import final_score
from zhizao.indicators import excellence


def feedback_pdf(application: Application) -> bytes:
    from weasyprint import HTML  # lazily: loads system libraries

    entries = {entry.category_code: entry for entry in application.feedback_entries.all()}
    categories = [
        {"category": category, "entry": entries.get(category.code)}
        for category in excellence.GBT19580_2012_CATEGORIES
    ]
    html = render_to_string(
        "awards/feedback_report.html",
        {
            "application": application,
            "categories": categories,
            "total": final_score(application),
            "generated": timezone.localtime(),
        },
    )
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
