"""One profile per enterprise (企业档案), keyed by its unified social credit code.

Every app contributes a section through this small registry, as it contributes figures
(``core.figures``) and console links (``core.navigation``): a ``profile_sections`` module in the
app declares :class:`Section` objects with :func:`register`, and the profile discovers them. A
section's ``rows`` function reads its app's own services and scoping methods, and returns plain
rows (text and numbers) that both the page and the API show.

A section is public (published awards, honours, standards drafted, public test results, event
participation) or private (applications, funds, chief quality officers, performance). The
private part is built only for users who may read the organization's private records
(``core.permissions.can_view_private``: its own users and bureau staff of its region)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules

from zhizao.core.models import Organization
from zhizao.core.permissions import AnyUser, can_view_private

Row = dict[str, Any]


@dataclass(frozen=True)
class Section:
    key: str
    title: str | Promise
    order: int
    private: bool
    columns: tuple[tuple[str, str | Promise], ...]  # (row key, heading)
    rows: Callable[[Organization, AnyUser], list[Row]]
    app: str = ""


@dataclass(frozen=True)
class SectionData:
    section: Section
    rows: list[Row]

    @property
    def table(self) -> list[tuple[list[Any], bool]]:
        """Each row's cells in column order, with whether the row is synthetic."""
        return [
            ([row.get(key) for key, _heading in self.section.columns], bool(row.get("synthetic")))
            for row in self.rows
        ]

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.section.key,
            "title": str(self.section.title),
            "columns": [{"key": key, "heading": str(h)} for key, h in self.section.columns],
            "rows": self.rows,
        }


@dataclass(frozen=True)
class Profile:
    organization: Organization
    public: list[SectionData]
    private: list[SectionData] | None  # None: the user may not see the private part


_SECTIONS: dict[str, Section] = {}
_discovered = False


def register(*sections: Section) -> None:
    for section in sections:
        known = _SECTIONS.get(section.key)
        if known is not None and known != section:
            raise ValueError(f"profile section {section.key} is registered twice")
        _SECTIONS[section.key] = section


def sections() -> list[Section]:
    global _discovered
    if not _discovered:
        autodiscover_modules("profile_sections")
        _discovered = True
    return sorted(_SECTIONS.values(), key=lambda section: (section.order, section.key))


def build_profile(organization: Organization, user: AnyUser) -> Profile:
    private_allowed = can_view_private(user, organization)
    public: list[SectionData] = []
    private: list[SectionData] = []
    for section in sections():
        if section.private and not private_allowed:
            continue
        data = SectionData(section, section.rows(organization, user))
        (private if section.private else public).append(data)
    return Profile(organization, public, private if private_allowed else None)
