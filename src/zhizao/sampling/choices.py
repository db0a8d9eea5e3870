"""Choices of supervision sampling (监督抽检): domains, levels, verdicts, the follow-up steps of
a non-conforming batch and their periods."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Domain(models.TextChoices):
    CONSUMER_GOODS = "consumer_goods", _("Consumer goods (消费品)")
    INDUSTRIAL = "industrial", _("Industrial products (工业产品)")
    AGRI = "agri", _("Agricultural products quality-safety (农产品质量安全)")
    FOOD_SAFETY_SUPERVISORY = (
        "food_safety_supervisory",
        _("Food-safety supervisory sampling (食品安全监督抽检)"),
    )
    FOOD_SAFETY_EVALUATIVE = (
        "food_safety_evaluative",
        _("Food-safety evaluative sampling (食品安全评价性抽检)"),
    )
    EXPORT_LEGAL = "export_legal", _("Legal inspection of export goods (出口商品法定检验)")


FOOD_DOMAINS = frozenset({Domain.FOOD_SAFETY_SUPERVISORY, Domain.FOOD_SAFETY_EVALUATIVE})


class AuthorityLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    CITY = "city", _("City")
    DISTRICT = "district", _("District")


class Verdict(models.TextChoices):
    PASS = "pass", _("Conforms")
    FAIL = "fail", _("Does not conform")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Notice to send")
    NOTIFIED = "notified", _("Notified; re-test period running")
    RETEST_REQUESTED = "retest_requested", _("Re-test requested")
    RETEST_CONFORMING = "retest_conforming", _("Re-test conforms")
    RECTIFYING = "rectifying", _("Rectification ordered")
    RECTIFIED = "rectified", _("Rectification reported")
    FOLLOW_UP = "follow_up", _("Follow-up sampled")
    CLOSED = "closed", _("Closed")


# Periods of the follow-up (docs/sampling.md). The re-test period is the law's: 7 working days
# from receiving the result for food (《食品安全法》), 15 days for products (《产品质量监督抽查
# 管理暂行办法》). The others are this platform's working periods, set by the city.
NOTICE_WORKING_DAYS = 5
RETEST_WORKING_DAYS_FOOD = 7
RETEST_DAYS_PRODUCTS = 15
RETEST_RESULT_DAYS = 30
RECTIFICATION_DAYS = 30
FOLLOW_UP_DAYS = 90

# Failed batches of one producer in one calendar year that raise an early warning.
WARNING_FAILURES = 2

# Where each domain's figure is published (the code is public: never rename one).
FIGURE_CODES: dict[str, str] = {
    Domain.CONSUMER_GOODS: "sampling.consumer_goods.pass_rate",
    Domain.INDUSTRIAL: "sampling.industrial.pass_rate",
    Domain.AGRI: "sampling.agri.pass_rate",
    Domain.FOOD_SAFETY_EVALUATIVE: "sampling.food_safety_evaluative.pass_rate",
    Domain.FOOD_SAFETY_SUPERVISORY: "sampling.food_safety_supervisory.pass_rate",
    Domain.EXPORT_LEGAL: "sampling.export_legal.pass_rate",
}
DOMAIN_NAMES: dict[str, tuple[str, str]] = {
    Domain.CONSUMER_GOODS: ("消费品质量合格率", "Consumer-goods quality pass rate"),
    Domain.INDUSTRIAL: ("工业产品监督抽查合格率", "Industrial-product sampling pass rate"),
    Domain.AGRI: ("农产品质量安全抽检合格率", "Agricultural-product quality-safety pass rate"),
    Domain.FOOD_SAFETY_EVALUATIVE: (
        "食品安全评价性抽检合格率",
        "Food-safety evaluative sampling pass rate",
    ),
    Domain.FOOD_SAFETY_SUPERVISORY: (
        "食品安全监督抽检合格率",
        "Food-safety supervisory sampling pass rate",
    ),
    Domain.EXPORT_LEGAL: ("出口商品法定检验合格率", "Export legal-inspection pass rate"),
}


class Grouping(models.TextChoices):
    """How the pass-rate page groups batches."""

    DOMAIN = "domain", _("Domain")
    CATEGORY = "category", _("Product category")
    DISTRICT = "district", _("District")
    PRODUCER = "producer", _("Producer")
    YEAR = "year", _("Year")


# Message codes (notification templates).
MSG_NOTICE = "sampling_nonconformity_notice"
MSG_WARNING = "sampling_early_warning"
