"""Every change to snapshots and publications (docs/decisions/0004), and the reads the
report, the dashboard and open data share (docs/reports.md).

:func:`take_snapshot` computes every registered indicator for a region and year and stores the
result; :func:`start_snapshot` does the same as a background job; :func:`publish` makes a
snapshot the published one. :func:`published_snapshot` / :func:`published_figures` read what
is published (never a live computation), and :func:`changes` lists what a newer snapshot
changed against an older one.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhizao import __version__
from zhizao.core import figures
from zhizao.core.actors import acting_as, is_system_actor
from zhizao.core.jobs import Progress, start_job
from zhizao.core.models import Job, Region, User
from zhizao.reports import permissions
from zhizao.reports.choices import JOB_SNAPSHOT, ReportLanguage, ReportSection, SnapshotState
from zhizao.reports.models import Publication, SectionText, Snapshot, SnapshotFigure


@cache
def code_version() -> str:
    """The version of the code that computes the figures: the package version, and the git
    commit when running from a checkout (``0.1.0+2a562f2``)."""
    root = Path(__file__).resolve().parents[3]
    try:
        commit = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return f"{__version__}+{commit}" if commit else __version__


def _require_manager(actor: User, region: Region) -> None:
    if is_system_actor(actor) or permissions.can_manage(actor, region):
        return
    raise PermissionDenied(_("Only bureau staff of the region may compute or publish its figures."))


def take_snapshot(
    actor: User, region: Region, year: int, *, progress: Progress | None = None
) -> Snapshot:
    """Compute every registered indicator for ``region`` and ``year`` and store the figures.

    The snapshot row is written first (state *computing*) and the figures in one transaction
    at the end, so a reader never sees a half-filled snapshot as done."""
    _require_manager(actor, region)
    with transaction.atomic(), acting_as(actor):
        snapshot = Snapshot.objects.create(
            region=region, year=year, code_version=code_version(), created_by=actor
        )
    if progress is not None:
        progress.total(len(figures.indicators()))
    rows = []
    for done, indicator in enumerate(figures.indicators(), start=1):
        measure = indicator.measure(region, year)
        rows.append(
            SnapshotFigure(
                snapshot=snapshot,
                code=indicator.code,
                value=None if measure.value is None else Decimal(measure.value),
                integral=isinstance(measure.value, int),
                unit=indicator.unit,
                records=measure.records,
                reason_zh=measure.reason_zh[:300] if measure.value is None else "",
                reason_en=measure.reason_en[:300] if measure.value is None else "",
                synthetic=measure.synthetic,
                computed_at=timezone.now(),
            )
        )
        if progress is not None:
            progress(written=done)
    with transaction.atomic(), acting_as(actor):
        SnapshotFigure.objects.bulk_create(rows)
        snapshot.state = SnapshotState.DONE
        snapshot.computed_at = timezone.now()
        snapshot.save(update_fields=["state", "computed_at"])
    return snapshot


def start_snapshot(actor: User, region: Region, year: int, *, publish: bool = False) -> Job:
    """Queue :func:`take_snapshot` (and :func:`publish`) as a background job for ``actor``."""
    _require_manager(actor, region)
    return start_job(
        actor,
        JOB_SNAPSHOT,
        {"region": region.pk, "year": year, "publish": publish, "language": actor.language},
        rows_total=len(figures.indicators()),
    )


def publish(actor: User, snapshot: Snapshot, note: str = "") -> Publication:
    """Make ``snapshot`` the published figures of its region and year."""
    _require_manager(actor, snapshot.region)
    with transaction.atomic(), acting_as(actor):
        locked = Snapshot.objects.select_for_update().get(pk=snapshot.pk)
        if locked.state != SnapshotState.DONE:
            raise ValidationError(_("This snapshot is still being computed."))
        return Publication.objects.create(
            snapshot=locked,
            region=locked.region,
            year=locked.year,
            published_by=actor,
            note=note[:300],
        )


def current_publication(region: Region, year: int) -> Publication | None:
    return (
        Publication.objects.filter(region=region, year=year)
        .select_related("snapshot")
        .order_by("-published_at", "-pk")
        .first()
    )


def published_snapshot(region: Region, year: int) -> Snapshot | None:
    """The snapshot published last for ``region`` and ``year`` (``None``: nothing published)."""
    publication = current_publication(region, year)
    return publication.snapshot if publication is not None else None


def published_years(region: Region) -> list[int]:
    return sorted(set(Publication.objects.filter(region=region).values_list("year", flat=True)))


def snapshot_figures(
    snapshot: Snapshot, *, published_only: bool = True
) -> dict[str, SnapshotFigure]:
    """The figures of ``snapshot`` by code (only the registry's published indicators, unless
    ``published_only`` is false: staff-only indicators are never shown to the public)."""
    rows = {row.code: row for row in snapshot.figures.all()}
    if not published_only:
        return rows
    public = {indicator.code for indicator in figures.indicators(published_only=True)}
    return {code: row for code, row in rows.items() if code in public}


def published_figures(region: Region, year: int) -> dict[str, SnapshotFigure]:
    snapshot = published_snapshot(region, year)
    return snapshot_figures(snapshot) if snapshot is not None else {}


@dataclass(frozen=True)
class Change:
    code: str
    before: Decimal | int | None
    after: Decimal | int | None
    records_before: int | None
    records_after: int | None


def changes(older: Snapshot, newer: Snapshot) -> list[Change]:
    """The figures whose value or record count differs between two snapshots (a figure only
    in one of them counts as changed)."""
    before = snapshot_figures(older, published_only=False)
    after = snapshot_figures(newer, published_only=False)
    found = []
    for code in sorted(set(before) | set(after)):
        old, new = before.get(code), after.get(code)
        old_key = (old.typed_value, old.records) if old else None
        new_key = (new.typed_value, new.records) if new else None
        if old_key != new_key:
            found.append(
                Change(
                    code=code,
                    before=old.typed_value if old else None,
                    after=new.typed_value if new else None,
                    records_before=old.records if old else None,
                    records_after=new.records if new else None,
                )
            )
    return found


def report_snapshot(
    actor: User, region: Region, year: int, *, snapshot_id: int | None = None
) -> Snapshot:
    """The snapshot a report is rendered from for staff and the command line: ``snapshot_id``
    (of this region and year), else the published one, else the latest finished one, else one
    taken now."""
    if snapshot_id is not None:
        found = Snapshot.objects.filter(pk=snapshot_id, region=region, year=year).first()
        if found is None:
            raise ValidationError(
                _("Snapshot #%(pk)s is not one of %(region)s %(year)s.")
                % {"pk": snapshot_id, "region": region.name, "year": year}
            )
        return found
    published = published_snapshot(region, year)
    if published is not None:
        return published
    latest = (
        Snapshot.objects.filter(region=region, year=year, state=SnapshotState.DONE)
        .order_by("-computed_at", "-pk")
        .first()
    )
    return latest if latest is not None else take_snapshot(actor, region, year)


def save_section_text(
    actor: User, region: Region, section: str, language: str, template: str
) -> SectionText:
    """Store the narrative of one section of ``region``'s report in one language (markup
    stripped; a template naming a code the registry does not know is refused)."""
    from zhizao.reports import narrative

    _require_manager(actor, region)
    if section not in ReportSection.values:
        raise ValidationError(_("Unknown report section."))
    if language not in ReportLanguage.values:
        raise ValidationError(_("Unknown language."))
    cleaned = narrative.clean_template(template)
    narrative.check_template(cleaned)
    with transaction.atomic(), acting_as(actor):
        text = (
            SectionText.objects.select_for_update()
            .filter(region=region, section=section, language=language)
            .first()
        )
        if text is None:
            text = SectionText(region=region, section=section, language=language)
        text.template = cleaned
        text.updated_by = actor
        text.full_clean()
        text.save()
        return text


def reset_section_text(actor: User, region: Region, section: str, language: str) -> None:
    """Go back to the shipped narrative of a section (the region's own text is deleted; its
    history stays in the audit trail)."""
    _require_manager(actor, region)
    with transaction.atomic(), acting_as(actor):
        SectionText.objects.filter(region=region, section=section, language=language).delete()


def build_report(snapshot: Snapshot, language: str, *, base_year: int | None = None) -> Any:
    """The annual report's content on ``snapshot`` (reports/annual.py)."""
    from zhizao.reports import annual

    return annual.build(snapshot, language, base_year=base_year)
