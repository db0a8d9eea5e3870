"""The read side of an assessment: per item its figures from the assessment's snapshot, the
rule each one meets or not, the suggested self-score, the entered score and the documents
(the assessment page, the index PDF and the evidence pack all read this; it writes nothing)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch

from zhizao.assessment.models import (
    Assessment,
    AssessmentDocument,
    Item,
    ItemIndicator,
    ItemScore,
)
from zhizao.core import figures as registry
from zhizao.reports.models import SnapshotFigure
from zhizao.reports.services import snapshot_figures


@dataclass(frozen=True)
class FigureEvidence:
    mapping: ItemIndicator
    indicator: registry.Indicator | None  # None: the code is no longer registered
    figure: SnapshotFigure | None  # None: the snapshot does not hold it
    met: bool | None
    url: str = ""  # the drill-down page of the figure's records

    @property
    def code(self) -> str:
        return self.mapping.code

    @property
    def title(self) -> str:
        return self.indicator.title if self.indicator else self.mapping.code

    @property
    def records(self) -> int:
        return self.figure.records if self.figure else 0

    @property
    def value_text(self) -> str:
        if self.figure is None:
            return "—"
        value = self.figure.typed_value
        if value is None:
            from zhizao.core.display import is_chinese

            return self.figure.reason_zh if is_chinese() else self.figure.reason_en
        return f"{value} {self.figure.unit}".strip()


@dataclass
class ItemEvidence:
    item: Item
    score: ItemScore | None
    figures: list[FigureEvidence]
    documents: list[AssessmentDocument]
    children: list[ItemEvidence] = field(default_factory=list)

    @property
    def is_section(self) -> bool:
        """An item with sub-items: its score is theirs, added up."""
        return bool(self.children)

    @property
    def suggested(self) -> Decimal | None:
        """The item's points times the share of its ruled figures that meet their rule (a
        figure without a value does not); ``None`` when none of its figures has a rule."""
        ruled = [evidence for evidence in self.figures if evidence.mapping.rule]
        if not ruled or self.is_section:
            return None
        met = sum(1 for evidence in ruled if evidence.met)
        return (self.item.points * met / len(ruled)).quantize(Decimal("0.01"), ROUND_HALF_UP)

    @property
    def self_score(self) -> Decimal | None:
        if self.is_section:
            scores = [child.self_score for child in self.children]
            known = [score for score in scores if score is not None]
            return sum(known, Decimal(0)) if known else None
        return self.score.self_score if self.score else None

    @property
    def comment(self) -> str:
        return self.score.comment if self.score else ""

    @property
    def missing_documents(self) -> bool:
        return bool(self.item.required_list) and not self.documents


def item_evidence(assessment: Assessment) -> list[ItemEvidence]:
    """Every item of the assessment's template in number order, with its evidence."""
    by_code = snapshot_figures(assessment.snapshot, published_only=False)
    scores = {score.item_id: score for score in ItemScore.objects.filter(assessment=assessment)}
    documents: dict[int, list[AssessmentDocument]] = {}
    for document in assessment.documents.order_by("uploaded_at", "pk"):
        documents.setdefault(document.item_id, []).append(document)
    items = Item.objects.filter(template=assessment.template_id).prefetch_related(
        Prefetch("indicators", queryset=ItemIndicator.objects.order_by("order", "pk"))
    )
    rows: dict[int, ItemEvidence] = {}
    ordered = []
    region, year = assessment.snapshot.region, assessment.snapshot.year
    for item in items.order_by("sort_key"):
        evidence = []
        for mapping in item.indicators.all():
            figure = by_code.get(mapping.code)
            indicator = registry.get(mapping.code)
            evidence.append(
                FigureEvidence(
                    mapping=mapping,
                    indicator=indicator,
                    figure=figure,
                    met=mapping.met(figure.typed_value if figure else None)
                    if mapping.rule
                    else None,
                    url=indicator.url(region, year) if indicator else "",
                )
            )
        row = ItemEvidence(item, scores.get(item.pk), evidence, documents.get(item.pk, []))
        rows[item.pk] = row
        ordered.append(row)
        if item.parent_id in rows:
            rows[item.parent_id].children.append(row)
    return ordered


def totals(rows: list[ItemEvidence]) -> tuple[Decimal, Decimal | None]:
    """The template's points and the self-score, over the top-level items."""
    top = [row for row in rows if row.item.parent_id is None]
    points = sum((row.item.points for row in top), Decimal(0))
    scores = [row.self_score for row in top if row.self_score is not None]
    return points, (sum(scores, Decimal(0)) if scores else None)


def pack_records(rows: list[ItemEvidence]) -> int:
    """How many records the pack's workbooks will hold (from the snapshot's counts)."""
    return sum(evidence.records for row in rows for evidence in row.figures)
