"""The public capability search: "who can test X to standard Y". A query is read as a standard
code when the parser accepts it (matched on the parsed code, so ``GB/T 19001``,
``GB/T19001-2016`` and ``GB/T 19001—2016`` find the same scope line), else as an accreditation
number, a test parameter or a product category. Results are ranked by how well they match (the
edition asked for, then another edition of the standard, then words), then valid before expired
(an expired accreditation is shown as expired and ranked last), then bodies of the city before
others, then the shorter typical turnaround."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from zhizao.core.models import Region
from zhizao.nqi.models import ScopeLine
from zhizao.stdcodes import parse


@dataclass(frozen=True)
class Match:
    line: ScopeLine
    score: int  # 3 the edition, 2 the standard, 1 words
    expired: bool
    local: bool

    @property
    def body(self):  # type: ignore[no-untyped-def]
        return self.line.accreditation.body


def find(query: str, limit: int = 100) -> list[Match]:
    text = query.strip()
    if not text:
        return []
    lines = ScopeLine.objects.select_related("accreditation__body__organization__region").order_by(
        "pk"
    )
    parsed = parse(text).standard
    scored: dict[int, tuple[ScopeLine, int]] = {}
    if parsed is not None:
        for line in lines.filter(code_key=parsed.key):
            same = parsed.year is None or line.code_year == parsed.year
            scored[line.pk] = (line, 3 if same else 2)
    number = re.sub(r"\s+", " ", text.upper())
    words = Q(parameter__icontains=text) | Q(product_category__icontains=text)
    for line in lines.filter(words | Q(accreditation__number=number))[: limit * 2]:
        score = 3 if line.accreditation.number == number else 1
        if line.pk not in scored or scored[line.pk][1] < score:
            scored[line.pk] = (line, score)
    today = timezone.localdate()
    city = Region.objects.city()
    city_path = city.path if city is not None else "/none/"
    matches = []
    for line, score in scored.values():
        region = line.accreditation.body.organization.region
        matches.append(
            Match(
                line,
                score,
                expired=line.accreditation.valid_until < today,
                local=region.path.startswith(city_path) or region.level == "park",
            )
        )
    matches.sort(
        key=lambda m: (
            m.expired,
            -m.score,
            not m.local,
            m.line.accreditation.body.turnaround_days,
            m.line.pk,
        )
    )
    return matches[:limit]
