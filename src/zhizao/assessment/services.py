"""Every change to assessment templates and assessments (docs/decisions/0004): permission-checked,
atomic, audited with the acting user (docs/assessment.md).

Templates: :func:`create_template`, :func:`copy_template` (from the previous year's),
:func:`save_item`, :func:`delete_item`. Assessments: :func:`open_assessment`,
:func:`score_item`, :func:`attach_document`, :func:`remove_document`, and
:func:`start_pack` (the evidence pack as a background job). The pack itself is read-only work,
in :mod:`zhizao.assessment.pack`.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from zhizao.assessment import permissions
from zhizao.assessment.choices import JOB_PACK, OOXML_MAIN_PART, ZIP_MAGIC, DocumentKind, Rule
from zhizao.assessment.models import (
    Assessment,
    AssessmentDocument,
    AssessmentTemplate,
    Item,
    ItemIndicator,
    ItemScore,
    item_sort_key,
)
from zhizao.awards.choices import ATTACHMENT_MAX_BYTES
from zhizao.core import figures
from zhizao.core.actors import acting_as, is_system_actor
from zhizao.core.jobs import start_job
from zhizao.core.models import Job, Region, User
from zhizao.core.uploads import PDF_MAGIC, check_pdf_upload
from zhizao.reports.choices import SnapshotState
from zhizao.reports.models import Snapshot
from zhizao.reports.services import published_snapshot

NUMBER = re.compile(r"^\d{1,3}(\.\d{1,3}){0,3}$")


def _require_templates(actor: User) -> None:
    if not (is_system_actor(actor) or permissions.can_keep_templates(actor)):
        raise PermissionDenied(
            _("Only bureau staff of a city or the province may change assessment templates.")
        )


def _require_assessment(actor: User, assessment: Assessment) -> None:
    if not (is_system_actor(actor) or permissions.can_manage(actor, assessment)):
        raise PermissionDenied(
            _("Only bureau staff of the assessed region may change its assessment.")
        )


# --- Templates -----------------------------------------------------------------------------


def create_template(
    actor: User, year: int, name: str, *, is_demo: bool = False
) -> AssessmentTemplate:
    _require_templates(actor)
    template = AssessmentTemplate(year=year, name=name.strip(), is_demo=is_demo, created_by=actor)
    template.full_clean()
    with transaction.atomic(), acting_as(actor):
        template.save()
    return template


@dataclass(frozen=True)
class Mapping_:
    """One indicator of an item, as entered: ``rapidtest.pass_rate >= 98``."""

    code: str
    rule: str = Rule.NONE
    threshold: Decimal | None = None


MAPPING_LINE = re.compile(r"^\s*(?P<code>[a-z0-9_.]+)\s*(?:(?P<rule>>=|<=)\s*(?P<value>\S+))?\s*$")


def parse_mappings(text: str) -> list[Mapping_]:
    """The indicator lines of an item's form, one per line (``code``, ``code >= 98``,
    ``code <= 0``); every bad line is named."""
    found: list[Mapping_] = []
    errors: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = MAPPING_LINE.match(line)
        if match is None:
            errors.append(
                _(
                    "Line %(line)d: write an indicator code, optionally followed by >= or <= "
                    "and a number."
                )
                % {"line": number}
            )
            continue
        code = match["code"]
        if figures.get(code) is None:
            errors.append(
                _("Line %(line)d: %(code)s is not a registered indicator (see zhizao figures).")
                % {"line": number, "code": code}
            )
            continue
        threshold = None
        if match["rule"]:
            try:
                threshold = Decimal(match["value"])
            except InvalidOperation:
                errors.append(
                    _("Line %(line)d: %(value)s is not a number.")
                    % {"line": number, "value": match["value"]}
                )
                continue
        if any(known.code == code for known in found):
            errors.append(
                _("Line %(line)d: %(code)s is named twice.") % {"line": number, "code": code}
            )
            continue
        found.append(Mapping_(code, match["rule"] or Rule.NONE, threshold))
    if errors:
        raise ValidationError({"indicators": errors})
    return found


def save_item(
    actor: User,
    template: AssessmentTemplate,
    data: Mapping[str, Any],
    mappings: Sequence[Mapping_] = (),
    *,
    item: Item | None = None,
) -> Item:
    """Add an item to ``template`` (or change ``item``): number, titles, points, criteria,
    required documents, and its indicators (replaced by ``mappings``). The parent is the item
    whose number is this one's without its last part ("3" for "3.2"), which must exist."""
    _require_templates(actor)
    number = str(data.get("number", "")).strip()
    if not NUMBER.match(number):
        raise ValidationError(
            {"number": [_("Write the item's number as in the rules, e.g. 3 or 3.2.")]}
        )
    parent = None
    if "." in number:
        parent_number = number.rsplit(".", 1)[0]
        parent = template.items.filter(number=parent_number).first()
        if parent is None:
            raise ValidationError(
                {
                    "number": [
                        _("Item %(parent)s does not exist; add it first.")
                        % {"parent": parent_number}
                    ]
                }
            )
    with transaction.atomic(), acting_as(actor):
        if item is not None:
            target = Item.objects.select_for_update().get(pk=item.pk, template=template)
        else:
            target = Item(template=template)
        old_number = target.number
        target.number = number
        target.sort_key = item_sort_key(number)
        target.parent = parent
        for field in ("title_zh", "title_en", "criteria", "required_documents"):
            if field in data:
                setattr(target, field, str(data[field] or "").strip())
        target.points = data.get("points", target.points if target.pk else None)
        target.full_clean(exclude=["template", "parent"], validate_unique=False)
        if template.items.filter(number=number).exclude(pk=target.pk).exists():
            raise ValidationError(
                {
                    "number": [
                        _("This template already has an item %(number)s.") % {"number": number}
                    ]
                }
            )
        if target.pk and old_number != number and target.children.exists():
            raise ValidationError({"number": [_("Renumber the item's sub-items first.")]})
        target.save()
        target.indicators.all().delete()
        for order, mapping in enumerate(mappings):
            ItemIndicator.objects.create(
                item=target,
                code=mapping.code,
                rule=mapping.rule,
                threshold=mapping.threshold,
                order=order,
            )
    return target


def delete_item(actor: User, item: Item) -> None:
    """Remove an item (and its sub-items) from a template no assessment uses yet."""
    _require_templates(actor)
    with transaction.atomic(), acting_as(actor):
        locked = Item.objects.select_for_update().get(pk=item.pk)
        if locked.template.assessments.exists():
            raise ValidationError(
                _("A template that an assessment uses keeps its items; copy it instead.")
            )
        locked.delete()


def copy_template(
    actor: User, source: AssessmentTemplate, year: int, name: str = ""
) -> AssessmentTemplate:
    """A new template for ``year`` with every item, indicator and required document of
    ``source`` (usually last year's), to be edited for the new year's rules."""
    _require_templates(actor)
    name = (name or source.name).strip()
    with transaction.atomic(), acting_as(actor):
        if AssessmentTemplate.objects.filter(year=year, name=name).exists():
            raise ValidationError(
                {
                    "year": [
                        _("A template %(name)s for %(year)d exists already.")
                        % {"name": name, "year": year}
                    ]
                }
            )
        copy = AssessmentTemplate(
            year=year, name=name, is_demo=source.is_demo, copied_from=source, created_by=actor
        )
        copy.full_clean()
        copy.save()
        new_ids: dict[int, Item] = {}
        for old in source.items.order_by("sort_key").prefetch_related("indicators"):
            new = Item.objects.create(
                template=copy,
                number=old.number,
                sort_key=old.sort_key,
                parent=new_ids.get(old.parent_id) if old.parent_id else None,
                title_zh=old.title_zh,
                title_en=old.title_en,
                points=old.points,
                criteria=old.criteria,
                required_documents=old.required_documents,
            )
            new_ids[old.pk] = new
            for mapping in old.indicators.all():
                ItemIndicator.objects.create(
                    item=new,
                    code=mapping.code,
                    rule=mapping.rule,
                    threshold=mapping.threshold,
                    order=mapping.order,
                )
    return copy


# --- Assessments ---------------------------------------------------------------------------


def snapshot_for(region: Region, year: int) -> Snapshot | None:
    """The snapshot an assessment reads by default: the published one, else the latest
    finished one of the region and year."""
    published = published_snapshot(region, year)
    if published is not None:
        return published
    return (
        Snapshot.objects.filter(region=region, year=year, state=SnapshotState.DONE)
        .order_by("-computed_at", "-pk")
        .first()
    )


def open_assessment(
    actor: User,
    template: AssessmentTemplate,
    region: Region,
    snapshot: Snapshot | None = None,
) -> Assessment:
    """Open ``region``'s assessment against ``template``, reading ``snapshot`` (default
    :func:`snapshot_for` the template's year). One assessment per template and region."""
    if not (is_system_actor(actor) or permissions.can_assess(actor, region)):
        raise PermissionDenied(_("Only bureau staff of the region may open its assessment."))
    snapshot = snapshot or snapshot_for(region, template.year)
    if snapshot is None:
        raise ValidationError(
            {
                "snapshot": [
                    _(
                        "There is no snapshot of %(region)s's figures for %(year)d: compute one "
                        "first (zhizao snapshot --city %(region)s --year %(year)d)."
                    )
                    % {"region": region.name, "year": template.year}
                ]
            }
        )
    if (snapshot.region_id, snapshot.year, snapshot.state) != (
        region.pk,
        template.year,
        SnapshotState.DONE,
    ):
        raise ValidationError(
            {"snapshot": [_("The snapshot must be a finished one of the same region and year.")]}
        )
    with transaction.atomic(), acting_as(actor):
        try:
            with transaction.atomic():
                return Assessment.objects.create(
                    template=template, region=region, snapshot=snapshot, created_by=actor
                )
        except IntegrityError:
            raise ValidationError(
                _("%(region)s already has an assessment against this template.")
                % {"region": region.name}
            ) from None


def score_item(
    actor: User,
    assessment: Assessment,
    item: Item,
    self_score: Decimal | None,
    comment: str = "",
) -> ItemScore:
    """Enter an item's self-score (at most its points) and comment."""
    _require_assessment(actor, assessment)
    if item.template_id != assessment.template_id:
        raise ValidationError(_("This item belongs to another template."))
    if self_score is not None and not (Decimal(0) <= self_score <= item.points):
        raise ValidationError(
            {
                "self_score": [
                    _("Item %(number)s: the self-score must be between 0 and %(points)s points.")
                    % {"number": item.number, "points": f"{item.points.normalize():f}"}
                ]
            }
        )
    with transaction.atomic(), acting_as(actor):
        Assessment.objects.select_for_update().get(pk=assessment.pk)
        score = ItemScore.objects.filter(assessment=assessment, item=item).first()
        if score is None:
            score = ItemScore(assessment=assessment, item=item)
        score.self_score = self_score
        score.comment = comment.strip()
        score.updated_by = actor
        score.full_clean(exclude=["assessment", "item", "updated_by"], validate_unique=False)
        score.save()
    return score


def check_document_upload(upload: UploadedFile[bytes]) -> tuple[str, bytes]:
    """The kind (PDF, DOCX or XLSX, sniffed from the content, not the name) and content of an
    upload within the size limit; otherwise why not. A PDF goes through the awards' check
    (``%PDF-``); a DOCX or XLSX must be a ZIP holding ``[Content_Types].xml`` and its main part
    (``word/document.xml`` / ``xl/workbook.xml``), and its name must end as its kind."""
    name = upload.name or ""
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head == PDF_MAGIC or name.lower().endswith(".pdf"):
        return DocumentKind.PDF, check_pdf_upload(
            upload, max_bytes=ATTACHMENT_MAX_BYTES, require_pdf_name=True
        )
    if upload.size is not None and upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            {
                "file": [
                    _("%(name)s is %(size)d bytes; documents may be at most 10 MB.")
                    % {"name": name, "size": upload.size}
                ]
            }
        )
    content: bytes = upload.read()
    upload.seek(0)
    kind = _office_kind(content)
    if kind is None:
        raise ValidationError(
            {
                "file": [
                    _(
                        "%(name)s is not a PDF, DOCX or XLSX file (by its content, whatever its "
                        "name says)."
                    )
                    % {"name": name}
                ]
            }
        )
    if not name.lower().endswith(f".{kind}"):
        raise ValidationError(
            {
                "file": [
                    _("%(name)s is a %(kind)s file: its name must end in .%(kind)s.")
                    % {"name": name, "kind": kind}
                ]
            }
        )
    return kind, content


def _office_kind(content: bytes) -> str | None:
    if not content.startswith(ZIP_MAGIC):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    for kind, part in OOXML_MAIN_PART.items():
        if part in names:
            return kind
    return None


def attach_document(
    actor: User, assessment: Assessment, item: Item, upload: UploadedFile[bytes]
) -> AssessmentDocument:
    """Attach a PDF, DOCX or XLSX to an item of the assessment (checked by its content)."""
    _require_assessment(actor, assessment)
    if item.template_id != assessment.template_id:
        raise ValidationError(_("This item belongs to another template."))
    kind, content = check_document_upload(upload)
    document = AssessmentDocument(
        assessment=assessment,
        item=item,
        kind=kind,
        original_name=(upload.name or f"document.{kind}")
        .replace("/", "_")
        .replace("\\", "_")[-200:],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=actor,
    )
    with transaction.atomic(), acting_as(actor):
        Assessment.objects.select_for_update().get(pk=assessment.pk)
        upload.seek(0)
        document.file.save(f"document.{kind}", upload, save=False)
        document.save()
    return document


def remove_document(actor: User, document: AssessmentDocument) -> None:
    _require_assessment(actor, document.assessment)
    with transaction.atomic(), acting_as(actor):
        locked = AssessmentDocument.objects.select_for_update().get(pk=document.pk)
        stored = locked.file.name
        locked.delete()
        storage = locked.file.storage
        transaction.on_commit(lambda: storage.delete(stored) if stored else None)


def start_pack(actor: User, assessment: Assessment) -> Job:
    """Build the evidence pack in the background (core.Job): for a pack too large for a
    request; the owner downloads it from the job's page."""
    _require_assessment(actor, assessment)
    return start_job(
        actor,
        JOB_PACK,
        {"assessment": assessment.pk, "language": actor.language},
    )
