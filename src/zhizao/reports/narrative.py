"""The report's narrative: sentence templates per section and language, filled from the
snapshot's figures, so that a sentence never states a number the records do not give.

A template holds one sentence per line; ``{air.good_days}`` stands for the figure's value as
the report prints it (thousands grouped, the registry's rounding). A template naming a code the
registry does not know is refused when it is saved (:func:`check_template`); a sentence whose
figure has no value in the snapshot is left out of the report with a note saying which figure
and why (:func:`fill`). Plain text only: markup is stripped (nh3) before a template is stored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import nh3
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from zhizao.core import figures
from zhizao.core.display import grouped
from zhizao.reports.choices import NO_VALUE, UNKNOWN_CODE
from zhizao.reports.models import SnapshotFigure

PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_.\-]+)\}")
YEAR = "year"
"""``{year}``: the report's year (not a figure)."""


def placeholders(template: str) -> list[str]:
    return PLACEHOLDER.findall(template)


def clean_template(template: str) -> str:
    """The template as stored: markup removed (nh3, no tag allowed), lines trimmed, empty lines
    dropped, ``\\r\\n`` normalised."""
    text = nh3.clean(template, tags=set()).replace("&amp;", "&").replace("&lt;", "<")
    text = text.replace("&gt;", ">").replace("&quot;", '"').replace("&#39;", "'")
    lines = (line.strip() for line in text.replace("\r\n", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def check_template(template: str) -> None:
    """Refuse a template that names a code the registry does not know (every such code named)."""
    unknown = sorted(
        {code for code in placeholders(template) if code != YEAR and figures.get(code) is None}
    )
    if unknown:
        raise ValidationError(
            _("Unknown indicator codes: %(codes)s. Use codes of the figures catalogue.")
            % {"codes": ", ".join(unknown)},
            code=UNKNOWN_CODE,
        )


@dataclass(frozen=True)
class Note:
    """Why a sentence was left out."""

    code: str
    reason: str
    kind: str  # UNKNOWN_CODE or NO_VALUE


@dataclass(frozen=True)
class Narrative:
    sentences: list[str]
    notes: list[Note]


def format_value(row: SnapshotFigure) -> str:
    return grouped(row.typed_value)


def fill(
    template: str, values: Mapping[str, SnapshotFigure], *, year: int, chinese: bool
) -> Narrative:
    """Fill each sentence of ``template`` from ``values`` (the snapshot's figures by code).

    A sentence is kept only if every figure it names is in the snapshot with a value."""
    sentences: list[str] = []
    notes: list[Note] = []
    for line in template.splitlines():
        line = line.strip()
        if not line:
            continue
        missing: list[Note] = []
        for code in placeholders(line):
            if code == YEAR:
                continue
            row = values.get(code)
            if row is None:
                missing.append(Note(code, _("not a figure of this report"), UNKNOWN_CODE))
            elif row.value is None:
                reason = (row.reason_zh if chinese else row.reason_en) or _("no value")
                missing.append(Note(code, reason, NO_VALUE))
        if missing:
            notes.extend(missing)
            continue
        sentences.append(
            PLACEHOLDER.sub(
                lambda match: str(year) if match[1] == YEAR else format_value(values[match[1]]),
                line,
            )
        )
    return Narrative(sentences, notes)
