"""The enterprise app's own sections of the profile: event participation (public, by
organization; people are named in the private part), chief quality officers and yearly
performance with its computed changes (private)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhizao.core.models import Organization
from zhizao.core.permissions import AnyUser
from zhizao.enterprise import permissions, services
from zhizao.enterprise.profile import Row, Section, register


def _events(organization: Organization, user: AnyUser) -> list[Row]:
    seen: set[int] = set()
    rows: list[Row] = []
    for participation in services.organization_events(organization):
        if participation.event_id in seen:
            continue
        seen.add(participation.event_id)
        event = participation.event
        rows.append(
            {
                "date": event.held_on.isoformat(),
                "kind": str(event.get_kind_display()),
                "topic": event.topic,
                "role": str(participation.get_role_display()),
                "synthetic": event.is_synthetic or participation.is_synthetic,
            }
        )
    return rows


def _attendance(organization: Organization, user: AnyUser) -> list[Row]:
    return [
        {
            "date": participation.event.held_on.isoformat(),
            "topic": participation.event.topic,
            "person": participation.person_name,
            "attended": str(_("yes") if participation.attended else _("no")),
            "synthetic": participation.is_synthetic,
        }
        for participation in services.organization_events(organization)
    ]


def _officers(organization: Organization, user: AnyUser) -> list[Row]:
    officers = (
        permissions.officers_visible_to(user)
        .filter(organization=organization)
        .select_related("person")
        .order_by("-appointed_on")
    )
    return [
        {
            "name": officer.person.name,
            "appointed_on": officer.appointed_on.isoformat(),
            "certificate": officer.certificate_number,
            "valid_until": officer.certificate_valid_until.isoformat()
            if officer.certificate_valid_until
            else "",
            "ended_on": officer.ended_on.isoformat() if officer.ended_on else "",
            "synthetic": officer.is_synthetic,
        }
        for officer in officers
    ]


def _performance(organization: Organization, user: AnyUser) -> list[Row]:
    rows = list(
        permissions.performance_visible_to(user).filter(organization=organization).order_by("year")
    )
    series = services.performance_series(rows)
    changes = {
        (change.metric, change.year, change.year - change.base_year): change.percent
        for change in services.performance_changes(rows)
    }
    out: list[Row] = []
    for row in reversed(rows):
        cost = series["unit_quality_loss_cost"].get(row.year)
        out.append(
            {
                "year": row.year,
                "status": str(row.get_status_display()),
                "output": str(row.output) if row.output is not None else "",
                "output_yoy": changes.get(("output", row.year, 1)),
                "orders_yoy": changes.get(("orders", row.year, 1)),
                "shipments_yoy": changes.get(("shipments", row.year, 1)),
                "unit_quality_loss_cost": None if cost is None else round(cost, 6),
                "unit_quality_loss_cost_5y": changes.get(("unit_quality_loss_cost", row.year, 5)),
                "patents": ""
                if row.patents_valid is None
                else (
                    f"{row.patents_valid} / {row.patents_invention or 0} / "
                    f"{row.patents_overseas or 0}"
                ),
                "synthetic": row.is_synthetic,
            }
        )
    return out


register(
    Section(
        "events",
        _("Quality events"),
        50,
        private=False,
        columns=(
            ("date", _("date")),
            ("kind", _("kind")),
            ("topic", _("topic")),
            ("role", _("role")),
        ),
        rows=_events,
        app="enterprise",
    ),
    Section(
        "officers",
        _("Chief quality officers"),
        100,
        private=True,
        columns=(
            ("name", _("name")),
            ("appointed_on", _("appointed on")),
            ("certificate", _("certificate number")),
            ("valid_until", _("certificate valid until")),
            ("ended_on", _("ended on")),
        ),
        rows=_officers,
        app="enterprise",
    ),
    Section(
        "attendance",
        _("Event attendance"),
        105,
        private=True,
        columns=(
            ("date", _("date")),
            ("topic", _("topic")),
            ("person", _("participant")),
            ("attended", _("attended")),
        ),
        rows=_attendance,
        app="enterprise",
    ),
    Section(
        "performance",
        _("Quality performance"),
        130,
        private=True,
        columns=(
            ("year", _("year")),
            ("status", _("status")),
            ("output", _("output")),
            ("output_yoy", _("output YoY (%)")),
            ("orders_yoy", _("orders YoY (%)")),
            ("shipments_yoy", _("shipments YoY (%)")),
            ("unit_quality_loss_cost", _("unit quality-loss cost")),
            ("unit_quality_loss_cost_5y", _("unit quality-loss cost vs 5 years before (%)")),
            ("patents", _("patents: valid / invention / overseas")),
        ),
        rows=_performance,
        app="enterprise",
    ),
)
