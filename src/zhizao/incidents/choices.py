"""Choices of quality-safety incidents: domains, grades and their numeric criteria per domain
(docs/incidents.md gives the sources and the qualitative criteria staff judge)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhizao.indicators.incidents import GradeThresholds


class Domain(models.TextChoices):
    FOOD = "food", _("Food (食品)")
    DRUGS = "drugs", _("Drugs (药品)")
    SPECIAL_EQUIPMENT = "special_equipment", _("Special equipment (特种设备)")
    INDUSTRIAL_PRODUCTS = "industrial_products", _("Industrial products (工业产品)")
    ENGINEERING = "engineering", _("Engineering (工程)")
    SERVICES = "services", _("Services (服务)")


class Grade(models.TextChoices):
    """The four grades of the national emergency plans (IV → I)."""

    GENERAL = "general", _("General (一般, IV)")
    LARGE = "large", _("Large (较大, III)")
    MAJOR = "major", _("Major (重大, II)")
    ESPECIALLY_MAJOR = "especially_major", _("Especially major (特别重大, I)")


MAJOR_GRADES = (Grade.MAJOR, Grade.ESPECIALLY_MAJOR)


class Status(models.TextChoices):
    REPORTED = "reported", _("Reported")
    HANDLING = "handling", _("Being handled")
    CLOSED = "closed", _("Closed")


class PartyRole(models.TextChoices):
    RESPONSIBLE = "responsible", _("Responsible organization")
    INVOLVED = "involved", _("Involved organization")


# Production-safety accident grades (《生产安全事故报告和调查处理条例》, also used by 《特种设备
# 安全监察条例》 and for construction-quality accidents): deaths 3 / 10 / 30, seriously injured
# (incl. acute poisoning) 10 / 50 / 100, direct loss 1,000 / 5,000 / 10,000 万元.
_ACCIDENTS = GradeThresholds(
    deaths=(3, 10, 30), injured=(10, 50, 100), loss_10k_yuan=(1000, 5000, 10000)
)
THRESHOLDS: dict[str, GradeThresholds] = {
    # 《国家食品安全事故应急预案》: 较大 — 100 or more harmed, or a death; 重大 — 10 or more
    # deaths; 特别重大 — qualitative only (spread across provinces or abroad, the State Council).
    Domain.FOOD: GradeThresholds(deaths=(1, 10, None), affected=(100, None, None)),
    # 《国家药品安全事件应急预案》 (group adverse events of one batch): people affected
    # 20 / 30 / 50, especially serious adverse events 3 / 5 / 10.
    Domain.DRUGS: GradeThresholds(affected=(20, 30, 50), injured=(3, 5, 10)),
    Domain.SPECIAL_EQUIPMENT: _ACCIDENTS,
    Domain.INDUSTRIAL_PRODUCTS: _ACCIDENTS,
    Domain.ENGINEERING: _ACCIDENTS,
    Domain.SERVICES: _ACCIDENTS,
}

# The incident-free period counts from the first year the city's records cover.
RECORDS_FROM_YEAR = 2017
