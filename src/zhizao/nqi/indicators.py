"""The quality-infrastructure figures (registered from ``NqiConfig.ready``): bodies,
committees, pilot projects and reward grants of a city or district, and the one-stop service's
requests, enterprises served, on-time share and satisfaction. Formulas are the engine's
(``zhizao.indicators.service``); each drill-down lists exactly the records counted."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zhizao.core.figures import (
    Column,
    Direction,
    Indicator,
    Measure,
    Period,
    counted,
    in_region,
    year_bounds,
)
from zhizao.core.models import Organization, Region
from zhizao.funds.choices import ProgrammeKind
from zhizao.funds.indicators import granted
from zhizao.funds.indicators import grants as fund_grants
from zhizao.funds.models import FundGrant
from zhizao.indicators import service
from zhizao.nqi.choices import SERVED_STATUSES, BodyLevel, CommitteeKind, Designation, PilotStatus
from zhizao.nqi.models import (
    QualityBody,
    ServiceRequest,
    StandardizationPilot,
    TechnicalCommittee,
)

RULE = "质量基础设施登记 (quality-infrastructure registers)"
ONESTOP_RULE = "一站式服务办件记录 (one-stop service requests)"


def centres(region: Region, year: int) -> QuerySet[QualityBody]:
    return QualityBody.objects.filter(
        in_region(region, "organization__region"),
        designation=Designation.NATIONAL_INSPECTION_CENTRE,
    ).order_by("organization__name")


def committees(level: str, mirror: bool) -> Callable[[Region, int], QuerySet[TechnicalCommittee]]:
    def records(region: Region, year: int) -> QuerySet[TechnicalCommittee]:
        found = TechnicalCommittee.objects.filter(
            in_region(region, "secretariat__region"), level=level
        )
        if mirror:
            return found.filter(kind=CommitteeKind.MIRROR_COMMITTEE).order_by("number")
        return found.exclude(kind=CommitteeKind.MIRROR_COMMITTEE).order_by("number")

    return records


def pilots(level: str) -> Callable[[Region, int], QuerySet[StandardizationPilot]]:
    def records(region: Region, year: int) -> QuerySet[StandardizationPilot]:
        return StandardizationPilot.objects.filter(
            in_region(region, "region"),
            level=level,
            status=PilotStatus.COMPLETED,
            accepted_on__year__lte=year,
        ).order_by("accepted_on", "name")

    return records


def grants(region: Region, year: int) -> QuerySet[FundGrant]:
    """The standardization reward grants of the fund ledger (the registry's reward grants are
    its rows): the same records as ``funds.standardization_reward.granted``."""
    return fund_grants(ProgrammeKind.STANDARDIZATION_REWARD)(region, year).order_by(
        "granted_on", "pk"
    )


grant_total = granted(ProgrammeKind.STANDARDIZATION_REWARD)


def _requests(region: Region) -> QuerySet[ServiceRequest]:
    return ServiceRequest.objects.filter(in_region(region, "enterprise__region"))


def filed(region: Region, year: int) -> QuerySet[ServiceRequest]:
    start, end = year_bounds(Period.YEAR, year)
    return _requests(region).filter(filed_at__gte=start, filed_at__lt=end).order_by("filed_at")


def delivered(region: Region, year: int) -> QuerySet[ServiceRequest]:
    start, end = year_bounds(Period.YEAR, year)
    return (
        _requests(region)
        .filter(status__in=SERVED_STATUSES, delivered_at__gte=start, delivered_at__lt=end)
        .order_by("delivered_at")
    )


def served(region: Region, year: int) -> QuerySet[Organization]:
    return Organization.objects.filter(
        pk__in=delivered(region, year).values("enterprise_id")
    ).order_by("name")


def rated(region: Region, year: int) -> QuerySet[ServiceRequest]:
    start, end = year_bounds(Period.YEAR, year)
    return (
        _requests(region)
        .filter(rating__isnull=False, rated_at__gte=start, rated_at__lt=end)
        .order_by("rated_at")
    )


def _synthetic(rows: QuerySet[Any]) -> bool:
    return rows.filter(is_synthetic=True).exists()


def on_time(region: Region, year: int) -> Measure:
    rows = list(delivered(region, year).values_list("accepted_at", "delivered_at", "promised_days"))
    pairs = [
        ((done - start).total_seconds() / 86400, days)
        for start, done, days in rows
        if start is not None and done is not None and days
    ]
    value = service.on_time_share([p[0] for p in pairs], [p[1] for p in pairs])
    if value is None:
        return Measure.missing(0, "当年无交付的办件", "no request delivered in the year")
    return Measure(Decimal(str(value)), len(pairs), _synthetic(delivered(region, year)))


def satisfaction(region: Region, year: int) -> Measure:
    ratings = list(rated(region, year).values_list("rating", flat=True))
    value = service.mean_rating([int(r) for r in ratings if r is not None])
    if value is None:
        return Measure.missing(0, "当年无评价", "no request rated in the year")
    return Measure(Decimal(str(value)), len(ratings), _synthetic(rated(region, year)))


def latest_request_year(region: Region) -> int | None:
    last = _requests(region).order_by("-filed_at").values_list("filed_at", flat=True).first()
    return last.year if last else None


BODY_COLUMNS = (
    Column(_("organization"), "organization__name"),
    Column(_("designated title"), "title"),
    Column(_("synthetic demo record"), "is_synthetic"),
)
COMMITTEE_COLUMNS = (
    Column(_("committee number"), "number"),
    Column(_("name"), "name"),
    Column(_("secretariat"), "secretariat__name"),
    Column(_("mirror of"), "mirror_of"),
    Column(_("synthetic demo record"), "is_synthetic"),
)
PILOT_COLUMNS = (
    Column(_("name"), "name"),
    Column(_("region"), "region__name"),
    Column(_("acceptance date"), "accepted_on"),
    Column(_("acceptance score"), "acceptance_score"),
    Column(_("synthetic demo record"), "is_synthetic"),
)
GRANT_COLUMNS = (
    Column(_("recipient"), "organization__name"),
    Column(_("amount (yuan)"), "amount"),
    Column(_("granted on"), "granted_on"),
    Column(_("reason"), "note"),
    Column(_("synthetic demo record"), "is_synthetic"),
)
REQUEST_COLUMNS = (
    Column(_("request"), "text"),
    Column(_("enterprise"), "enterprise__name"),
    Column(_("status"), "get_status_display"),
    Column(_("filed"), "filed_at"),
    Column(_("delivered"), "delivered_at"),
    Column(_("rating"), "rating"),
    Column(_("synthetic demo record"), "is_synthetic"),
)
ORGANIZATION_COLUMNS = (
    Column(_("name"), "name"),
    Column(_("region"), "region__name"),
    Column(_("synthetic demo record"), "is_synthetic"),
)


def _count(
    code: str,
    name: tuple[str, str],
    definition: tuple[str, str],
    records: Callable[[Region, int], QuerySet[Any]],
    columns: tuple[Column, ...],
    unit: str = "个",
    rule: str = RULE,
    period: str = Period.CUMULATIVE,
    **extra: Any,
) -> Indicator:
    return Indicator(
        code=code,
        name=name,
        definition=definition,
        unit=unit,
        standard=rule,
        direction=Direction.HIGHER,
        period=period,
        measure=lambda region, year: counted(records(region, year)),
        records=records,
        columns=columns,
        **extra,
    )


INDICATORS = (
    _count(
        "nqi.national_inspection_centres",
        ("国家级质检中心", "National inspection and testing centres"),
        (
            "本市（区县）的国家级产品质量检验检测中心数。",
            "National product quality inspection and testing centres in the city (district).",
        ),
        centres,
        BODY_COLUMNS,
        select_related=("organization",),
    ),
    _count(
        "nqi.mirror_committees",
        ("国家级镜像委员会", "National mirror committees"),
        (
            "秘书处设在本市（区县）的国际标准组织技术委员会国内镜像委员会数。",
            "National mirror committees of ISO/IEC committees with their secretariat here.",
        ),
        committees(BodyLevel.NATIONAL, True),
        COMMITTEE_COLUMNS,
        select_related=("secretariat",),
    ),
    _count(
        "nqi.national_tcs",
        ("全国专业标准化技术委员会", "National standardization technical committees"),
        (
            "秘书处设在本市（区县）的全国专业标准化技术委员会及分技术委员会数。",
            "National standardization technical committees and subcommittees with their "
            "secretariat here.",
        ),
        committees(BodyLevel.NATIONAL, False),
        COMMITTEE_COLUMNS,
        select_related=("secretariat",),
    ),
    _count(
        "nqi.provincial_tcs",
        ("省级专业标准化技术委员会", "Provincial standardization technical committees"),
        (
            "秘书处设在本市（区县）的省级专业标准化技术委员会数。",
            "Provincial standardization technical committees with their secretariat here.",
        ),
        committees(BodyLevel.PROVINCIAL, False),
        COMMITTEE_COLUMNS,
        select_related=("secretariat",),
    ),
    _count(
        "nqi.pilots.national",
        ("国家级标准化试点示范项目", "National standardization pilot projects completed"),
        (
            "截至当年末通过验收的国家级标准化试点示范项目数。",
            "National standardization pilot and demonstration projects accepted by the end "
            "of the year.",
        ),
        pilots(BodyLevel.NATIONAL),
        PILOT_COLUMNS,
        unit="项",
        select_related=("region",),
    ),
    _count(
        "nqi.pilots.provincial",
        ("省级标准化试点示范项目", "Provincial standardization pilot projects completed"),
        (
            "截至当年末通过验收的省级标准化试点示范项目数。",
            "Provincial standardization pilot and demonstration projects accepted by the end "
            "of the year.",
        ),
        pilots(BodyLevel.PROVINCIAL),
        PILOT_COLUMNS,
        unit="项",
        select_related=("region",),
    ),
    Indicator(
        code="nqi.reward_grants",
        name=("标准化奖励资金", "Standardization reward grants paid"),
        definition=(
            "截至当年报告日本地单位获得的标准化奖励资金总额（奖励资金台账）。",
            "Standardization reward grants to the region's organizations up to the year's "
            "report date (the incentive-fund ledger).",
        ),
        unit="元",
        standard="奖励资金台账 (the incentive-fund ledger)",
        direction=Direction.NEITHER,
        period=Period.TO_REPORT_DATE,
        measure=grant_total,
        records=grants,
        columns=GRANT_COLUMNS,
        select_related=("organization",),
    ),
    _count(
        "nqi.onestop.requests",
        ("一站式服务办件数", "One-stop service requests"),
        (
            "当年本市（区县）企业提交的一站式服务请求数。",
            "One-stop service requests the city's (district's) enterprises filed in the year.",
        ),
        filed,
        REQUEST_COLUMNS,
        unit="件",
        rule=ONESTOP_RULE,
        period=Period.YEAR,
        select_related=("enterprise",),
        latest=latest_request_year,
    ),
    _count(
        "nqi.onestop.enterprises_served",
        ("一站式服务企业数", "Enterprises served by the one-stop service"),
        (
            "当年获得一站式服务交付的企业数（每家计一次）。",
            "Enterprises with a one-stop request delivered in the year, each counted once.",
        ),
        served,
        ORGANIZATION_COLUMNS,
        unit="家",
        rule=ONESTOP_RULE,
        period=Period.YEAR,
        select_related=("region",),
        latest=latest_request_year,
    ),
    Indicator(
        code="nqi.onestop.on_time_share",
        name=("一站式服务按时交付率", "One-stop on-time delivery share"),
        definition=(
            "当年交付的办件中，从受理到交付不超过承诺时限的比例。",
            "Share of the year's deliveries made within the provider's promised turnaround "
            "from acceptance.",
        ),
        unit="%",
        standard=ONESTOP_RULE,
        direction=Direction.HIGHER,
        period=Period.YEAR,
        measure=on_time,
        records=delivered,
        columns=REQUEST_COLUMNS,
        select_related=("enterprise",),
        latest=latest_request_year,
    ),
    Indicator(
        code="nqi.onestop.satisfaction",
        name=("一站式服务满意度", "One-stop service satisfaction"),
        definition=(
            "当年企业对交付的评价（1–5 分）的平均分。",
            "Mean of the enterprises' ratings (1–5) of the deliveries rated in the year.",
        ),
        unit="分",
        standard=ONESTOP_RULE,
        direction=Direction.HIGHER,
        period=Period.YEAR,
        measure=satisfaction,
        records=rated,
        columns=REQUEST_COLUMNS,
        select_related=("enterprise",),
        latest=latest_request_year,
    ),
)
