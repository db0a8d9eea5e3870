"""The enterprise records' figures (registered from ``EnterpriseConfig.ready``):

- ``enterprise.cqo_share.<chain>``: the share of the region's enterprises in an industry chain
  that have a chief quality officer in office at the end of the year;
- ``enterprise.cqo_trained``: people who attended a chief quality officer training in the year;
- ``enterprise.events.<kind>``: quality events of each kind held in the year;
- ``enterprise.event_participants``: attendances (people, or organizations where no person is
  named) at the year's quality events, trainers not counted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from zhizao.core.choices import IndustryChain, OrganizationKind
from zhizao.core.figures import (
    Column,
    Direction,
    Indicator,
    Measure,
    Period,
    counted,
    in_region,
    percent,
)
from zhizao.core.models import Organization, Region
from zhizao.enterprise.choices import EventKind, ParticipantRole
from zhizao.enterprise.models import ChiefQualityOfficer, EventParticipation, QualityEvent
from zhizao.indicators.rates import PERCENT_DECIMALS

RULE = "首席质量官名录与质量活动记录 (the chief quality officer registry and event records)"
CHAIN_NAMES: dict[str, tuple[str, str]] = {
    IndustryChain.RAIL_TRANSIT: ("先进轨道交通装备", "advanced rail transit equipment"),
    IndustryChain.HARD_MATERIALS: ("先进硬质材料", "advanced hard materials"),
    IndustryChain.CERAMICS: ("先进陶瓷", "advanced ceramics"),
    IndustryChain.AVIATION: ("通用航空", "general aviation"),
    IndustryChain.NEW_ENERGY_VEHICLES: ("新能源汽车", "new energy vehicles"),
}
EVENT_NAMES: dict[str, tuple[str, str]] = {
    EventKind.TRAINING: ("培训", "trainings"),
    EventKind.QUALITY_MONTH: ("质量月活动", "Quality Month activities"),
    EventKind.STUDY_VISIT: ("观摩学习", "study visits"),
    EventKind.BRAND_DAY: ("品牌日活动", "Brand Day activities"),
    EventKind.STANDARDIZATION_DAY: ("标准化日活动", "Standardization Day activities"),
}


def in_office_at(day: dt.date) -> Q:
    """Chief quality officers in office on ``day`` (appointed, not ended, certificate valid)."""
    return (
        Q(appointed_on__lte=day)
        & (Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        & (Q(certificate_valid_until__isnull=True) | Q(certificate_valid_until__gte=day))
    )


def chain_enterprises(chain: str) -> Callable[[Region, int], QuerySet[Organization]]:
    def records(region: Region, year: int) -> QuerySet[Organization]:
        officers = ChiefQualityOfficer.objects.filter(
            in_office_at(dt.date(year, 12, 31)), organization=OuterRef("pk")
        )
        return (
            Organization.objects.filter(
                in_region(region, "region"), kind=OrganizationKind.ENTERPRISE, industry_chain=chain
            )
            .annotate(has_officer=Exists(officers))
            .order_by("-has_officer", "name")
        )

    return records


def cqo_share(chain: str) -> Callable[[Region, int], Measure]:
    def measure(region: Region, year: int) -> Measure:
        rows = chain_enterprises(chain)(region, year)
        total = rows.count()
        if total == 0:
            return Measure.missing(
                0, "该产业链没有登记的企业。", "No enterprise of this chain is registered."
            )
        with_officer = rows.filter(Q(has_officer=True)).count()
        return Measure(
            percent(with_officer, total, PERCENT_DECIMALS),
            total,
            synthetic=rows.filter(is_synthetic=True).exists(),
        )

    return measure


def trained(region: Region, year: int) -> QuerySet[EventParticipation]:
    return attendances(region, year).filter(event__trains_officers=True)


def attendances(region: Region, year: int) -> QuerySet[EventParticipation]:
    return EventParticipation.objects.filter(
        in_region(region, "event__region"),
        event__held_on__year=year,
        attended=True,
        role=ParticipantRole.PARTICIPANT,
    ).order_by("event__held_on", "organization__name", "person_name")


def events(kind: str) -> Callable[[Region, int], QuerySet[QualityEvent]]:
    def records(region: Region, year: int) -> QuerySet[QualityEvent]:
        return QualityEvent.objects.filter(
            in_region(region, "region"), kind=kind, held_on__year=year
        ).order_by("held_on", "pk")

    return records


ENTERPRISE_COLUMNS = (
    Column(_("organization"), "name"),
    Column(_("unified social credit code"), "credit_code"),
    Column(_("chief quality officer"), lambda org: _("yes") if org.has_officer else _("no")),
)
# Person names are personal data: the drill-down names the organization, never the person.
ATTENDANCE_COLUMNS = (
    Column(_("date"), "event__held_on"),
    Column(_("event"), "event__topic"),
    Column(_("organization"), "organization__name"),
)
EVENT_COLUMNS = (
    Column(_("date"), "held_on"),
    Column(_("topic"), "topic"),
    Column(_("organizer"), "organizer"),
    Column(_("place"), "place"),
)


def _chain_indicator(chain: str) -> Indicator:
    zh, en = CHAIN_NAMES[chain]
    return Indicator(
        code=f"enterprise.cqo_share.{chain}",
        name=(f"{zh}产业链企业首席质量官覆盖率", f"Chief quality officer share, {en} chain"),
        definition=(
            f"年末在任首席质量官的{zh}产业链企业占该产业链登记企业的百分比。",
            f"Enterprises of the {en} chain with a chief quality officer in office at the end "
            "of the year, in percent of the chain's registered enterprises.",
        ),
        unit="%",
        standard=RULE,
        direction=Direction.HIGHER,
        period=Period.CUMULATIVE,
        measure=cqo_share(chain),
        records=chain_enterprises(chain),
        columns=ENTERPRISE_COLUMNS,
    )


def _event_indicator(kind: str) -> Indicator:
    zh, en = EVENT_NAMES[kind]
    records = events(kind)
    return Indicator(
        code=f"enterprise.events.{kind}",
        name=(f"质量{zh}场次" if kind == EventKind.TRAINING else f"{zh}场次", f"Quality {en}"),
        definition=(
            f"当年本地区举办的{zh}场次。",
            f"Quality {en} held in the region in the year.",
        ),
        unit="场",
        standard=RULE,
        direction=Direction.HIGHER,
        period=Period.YEAR,
        measure=lambda region, year: counted(records(region, year)),
        records=records,
        columns=EVENT_COLUMNS,
    )


INDICATORS = (
    *(_chain_indicator(chain) for chain in CHAIN_NAMES),
    Indicator(
        code="enterprise.cqo_trained",
        name=("首席质量官培训人次", "Chief quality officers trained"),
        definition=(
            "当年参加首席质量官培训的人次（讲师不计）。",
            "Attendances at chief quality officer trainings in the year (trainers not counted).",
        ),
        unit="人次",
        standard=RULE,
        direction=Direction.HIGHER,
        period=Period.YEAR,
        measure=lambda region, year: counted(trained(region, year)),
        records=trained,
        columns=ATTENDANCE_COLUMNS,
        select_related=("event", "organization"),
    ),
    *(_event_indicator(kind) for kind in EVENT_NAMES),
    Indicator(
        code="enterprise.event_participants",
        name=("质量活动参与人次", "Quality event participants"),
        definition=(
            "当年本地区质量活动的出席人次（讲师不计）。",
            "Attendances at the region's quality events in the year (trainers not counted).",
        ),
        unit="人次",
        standard=RULE,
        direction=Direction.HIGHER,
        period=Period.YEAR,
        measure=lambda region, year: counted(attendances(region, year)),
        records=attendances,
        columns=ATTENDANCE_COLUMNS,
        select_related=("event", "organization"),
    ),
)
