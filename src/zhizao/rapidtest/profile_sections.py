"""The rapid-test section of the enterprise profile: a market's (seller's) tests per year, as
its public board shows them (counts only; the records stay with the market and its staff)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from zhizao.core.choices import MARKET_KINDS
from zhizao.core.models import Organization
from zhizao.core.permissions import AnyUser
from zhizao.enterprise.profile import Row, Section, register
from zhizao.rapidtest.models import TestRecord


def _tests(organization: Organization, user: AnyUser) -> list[Row]:
    if organization.kind not in MARKET_KINDS:
        return []
    years = (
        TestRecord.objects.filter(market=organization)
        .annotate(year=ExtractYear("tested_at"))
        .values("year")
        .annotate(
            tests=Count("pk"),
            failed=Count("pk", filter=Q(passed=False)),
            synthetic=Count("pk", filter=Q(is_synthetic=True)),
        )
        .order_by("-year")
    )
    return [
        {
            "year": row["year"],
            "tests": row["tests"],
            "failed": row["failed"],
            "synthetic": row["synthetic"] > 0,
        }
        for row in years
    ]


register(
    Section(
        "rapid_tests",
        _("Rapid tests as seller"),
        40,
        private=False,
        columns=(("year", _("year")), ("tests", _("tests")), ("failed", _("failed"))),
        rows=_tests,
        app="rapidtest",
    )
)
