"""Records of rapid testing of edible agricultural products in markets (食用农产品快检).

Editable domain records keep a full history (django-simple-history). The bulk table
:class:`TestRecord` (1.1 million rows in the demo city) does not: a bulk import is audited as one
:class:`ImportBatch` (who, when, file, rows, SHA-256) and every correction or deletion of a single
record as a :class:`RecordCorrection` with the values before and after (docs/rapidtest.md).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zhizao.core.choices import MARKET_KINDS
from zhizao.core.fields import EncryptedCharField
from zhizao.core.models import Organization
from zhizao.core.validators import validate_plain_text
from zhizao.rapidtest.choices import (
    CONFIRMATION_OUTCOMES,
    QUALITATIVE_DIRECTIONS,
    CaseStatus,
    Category,
    CorrectionAction,
    LabResult,
    QuotaPeriod,
    RuleDirection,
    Source,
)


class MarketProfile(models.Model):
    """A market's test room (快检室) and the figures used for coverage."""

    organization = models.OneToOneField(
        Organization,
        verbose_name=_("market"),
        on_delete=models.CASCADE,
        related_name="rapidtest_profile",
    )
    has_test_room = models.BooleanField(_("has a test room"), default=True)
    test_room_since = models.DateField(_("test room since"), null=True, blank=True)
    annual_volume_t = models.FloatField(
        _("annual trading volume (t)"), null=True, blank=True, help_text=_("交易量, tonnes a year")
    )
    floor_area_m2 = models.FloatField(_("floor area (m²)"), null=True, blank=True)
    opens_at = models.TimeField(_("opens at"), default="06:00")
    closes_at = models.TimeField(_("closes at"), default="20:00")
    instrument_only = models.BooleanField(
        _("instrument upload only"),
        default=False,
        help_text=_("Results must come from instruments through the API; manual entry is refused."),
    )
    evidence_required = models.BooleanField(
        _("photo evidence required"),
        default=False,
        help_text=_("Every manual entry must carry a photo of the strip or instrument screen."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("market test room")
        verbose_name_plural = _("market test rooms")

    def __str__(self) -> str:
        return str(self.organization)

    def clean(self) -> None:
        if self.organization_id and self.organization.kind not in MARKET_KINDS:
            raise ValidationError(
                {"organization": _("Only markets and supermarkets have test rooms.")}
            )


class Stall(models.Model):
    """A stall (摊位) in a market."""

    market = models.ForeignKey(
        Organization, verbose_name=_("market"), on_delete=models.CASCADE, related_name="stalls"
    )
    booth_number = models.CharField(
        _("booth number"), max_length=32, validators=[validate_plain_text]
    )
    operator_name = models.CharField(
        _("operator"), max_length=100, blank=True, validators=[validate_plain_text]
    )
    # May be the operator's ID number (身份证号): encrypted at rest (docs/security.md).
    operator_code = EncryptedCharField(
        _("operator credit code or ID"), max_length=32, blank=True, validators=[validate_plain_text]
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("stall")
        verbose_name_plural = _("stalls")
        ordering = ["market", "booth_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["market", "booth_number"], name="rapidtest_stall_unique"
            )
        ]

    def __str__(self) -> str:
        return self.booth_number


class Product(models.Model):
    """A product in the test catalogue (e.g. 青菜, 猪肉, 草鱼)."""

    name = models.CharField(_("name"), max_length=50, unique=True, validators=[validate_plain_text])
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["category", "name"]

    def __str__(self) -> str:
        return self.name


class TestItem(models.Model):
    """A test item (检测项目) with its method and decision rule, applied to one category."""

    name = models.CharField(
        _("name"), max_length=100, unique=True, validators=[validate_plain_text]
    )
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    method_code = models.CharField(_("method (standard code)"), max_length=64)
    direction = models.CharField(_("decision rule"), max_length=16, choices=RuleDirection.choices)
    threshold = models.FloatField(_("threshold"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=16, blank=True)
    history = HistoricalRecords()

    __test__ = False  # not a pytest test class

    class Meta:
        verbose_name = _("test item")
        verbose_name_plural = _("test items")
        ordering = ["category", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_qualitative(self) -> bool:
        return self.direction in QUALITATIVE_DIRECTIONS

    def clean(self) -> None:
        if not self.is_qualitative and self.threshold is None:
            raise ValidationError({"threshold": _("A numeric rule needs a threshold.")})


class ImportBatch(models.Model):
    """One bulk import: the audit record of its rows (who, when, which file, how many)."""

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    file_name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.rows})"


def own_sample_code() -> str:
    """The sample code of a test made without one: a batch of its own."""
    return f"own-{uuid.uuid4().hex}"


class TestRecord(models.Model):
    """One test (检测项目) of one sample: a batch (批次) is the sample, ``(market, sample_code)``,
    with one record per item tested on it; the batch fails if any of its items fails
    (docs/decisions/0006-rapidtest-batches.md). The result is computed from the value by the
    item's rule."""

    market = models.ForeignKey(
        Organization,
        verbose_name=_("market"),
        on_delete=models.PROTECT,
        related_name="rapid_tests",
        db_index=False,  # covered by the (market, tested_at) index
    )
    stall = models.ForeignKey(
        Stall,
        verbose_name=_("stall"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,
        related_name="+",
    )
    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        on_delete=models.PROTECT,
        db_index=False,
        related_name="+",
    )
    item = models.ForeignKey(
        TestItem,
        verbose_name=_("test item"),
        on_delete=models.PROTECT,
        db_index=False,
        related_name="+",
    )
    sample_code = models.CharField(
        _("sample code"),
        max_length=64,
        default=own_sample_code,
        help_text=_(
            "The batch (批次) this test was made on: the tests of one sample share its code. "
            "Without one, the test is a batch of its own."
        ),
    )
    origin = models.CharField(_("origin"), max_length=100, blank=True)  # 产地
    supplier = models.CharField(_("supplier"), max_length=200, blank=True)  # 供货商
    batch_kg = models.FloatField(_("batch weight (kg)"), null=True, blank=True)
    sampled_at = models.DateTimeField(_("sampled"), null=True, blank=True)
    tested_at = models.DateTimeField(_("tested"))
    tester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,
        related_name="+",
    )
    tester_name = models.CharField(_("tester"), max_length=50, blank=True)
    instrument_id = models.CharField(_("instrument"), max_length=64, blank=True)
    value = models.FloatField(_("measured value"))
    passed = models.BooleanField(_("passed"))
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    client_record_id = models.CharField(_("record id"), max_length=64)
    entered_at = models.DateTimeField(_("entered"), default=timezone.now)
    import_batch = models.ForeignKey(
        ImportBatch,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,
        related_name="+",
    )
    photo = models.FileField(_("photo"), upload_to="rapidtest/%Y/%m/", blank=True)
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False)

    __test__ = False

    class Meta:
        verbose_name = _("rapid test record")
        verbose_name_plural = _("rapid test records")
        ordering = ["-tested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["market", "client_record_id"], name="rapidtest_record_client_id_unique"
            )
        ]
        indexes = [
            # Per market and period; product and result ride along so that counts per market
            # and product over a period (early warnings, detection floor) read the index alone.
            models.Index(
                fields=["market", "tested_at", "product", "passed"],
                name="rapidtest_rec_market_cover",
            ),
            models.Index(fields=["tested_at"], name="rapidtest_rec_time"),
            # The items of one batch (sample): every write reads its batch's items.
            models.Index(fields=["market", "sample_code"], name="rapidtest_rec_sample"),
            models.Index(
                fields=["import_batch"], condition=Q(passed=False), name="rapidtest_rec_failed"
            ),
            # The failures (≈ 1% of the records) newest first: the records list filtered to
            # failures (every "failed" link of the dashboard) and the early warnings.
            models.Index(
                fields=["tested_at"], condition=Q(passed=False), name="rapidtest_rec_failed_time"
            ),
            # Tests and failures per supplier over a period, read from the index alone: the
            # early warnings' 365-day supplier baseline (suppliers are not in the rollups).
            models.Index(
                fields=["supplier", "market", "tested_at", "passed"],
                condition=~Q(supplier=""),
                name="rapidtest_rec_supplier",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id}/{self.item_id} {self.tested_at:%Y-%m-%d %H:%M}"

    def batch_items(self) -> models.QuerySet[TestRecord]:
        """The tests of this record's batch (its sample), this one included (their item and
        verdict only)."""
        return (
            TestRecord.objects.filter(market_id=self.market_id, sample_code=self.sample_code)
            .select_related("item")
            # Only what the batch's list shows: a sibling's stored time may be unreadable.
            .only("pk", "passed", "market_id", "item__name")
            .order_by("pk")
        )

    @property
    def result_label(self) -> str:
        return str(_("Pass")) if self.passed else str(_("Fail"))

    @property
    def verdict_label(self) -> str:
        """The verdict with the follow-up's state: a failed screen is *suspected* until the
        laboratory confirms it or the stall accepts it (select_related("case") to read it)."""
        if self.passed:
            return str(_("Pass"))
        case = getattr(self, "case", None)
        if case is None or case.is_settled or case.status == CaseStatus.CLOSED:
            return str(_("Fail"))
        return str(_("Suspected (positive screen, awaiting confirmation)"))

    @property
    def is_late(self) -> bool:
        from zhizao.rapidtest.choices import MANUAL_SOURCES, late_entry_hours

        delay = (self.entered_at - self.tested_at).total_seconds() / 3600
        return self.source in MANUAL_SOURCES and delay > late_entry_hours()


class RecordCorrection(models.Model):
    """The audit record of one correction or deletion of a test record."""

    record_id = models.BigIntegerField(_("record"), db_index=True)
    market = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    action = models.CharField(_("action"), max_length=16, choices=CorrectionAction.choices)
    before = models.JSONField(_("before"))
    after = models.JSONField(_("after"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        verbose_name = _("record correction")
        verbose_name_plural = _("record corrections")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.action} #{self.record_id}"


class FollowUpCase(models.Model):
    """The follow-up of a failed test (不合格处置): disposal, confirmatory lab test, tracing."""

    record = models.OneToOneField(
        TestRecord, verbose_name=_("test record"), on_delete=models.CASCADE, related_name="case"
    )
    market = models.ForeignKey(
        Organization, verbose_name=_("market"), on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    opened_at = models.DateTimeField(_("opened"))
    due_at = models.DateTimeField(_("disposal due"))
    held_kg = models.FloatField(_("held (kg)"), default=0)
    off_sale_kg = models.FloatField(_("taken off sale (kg)"), default=0)
    destroyed_kg = models.FloatField(_("destroyed (kg)"), default=0)
    disposed_at = models.DateTimeField(_("disposed"), null=True, blank=True)
    lab_name = models.CharField(_("laboratory"), max_length=200, blank=True)
    lab_sent_at = models.DateTimeField(_("sample sent to lab"), null=True, blank=True)
    lab_result = models.CharField(
        _("lab result"), max_length=16, choices=LabResult.choices, blank=True, default=""
    )
    stall_accepted = models.BooleanField(
        _("stall accepted the screening result"),
        default=False,
        help_text=_(
            "The stall operator accepted the rapid-test result and asked for no confirmatory "
            "test: disposal may follow without a laboratory result."
        ),
    )
    supplier_traced = models.BooleanField(_("supplier traced"), default=False)
    trace_note = models.CharField(_("tracing note"), max_length=300, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closing_note = models.CharField(_("closing note"), max_length=300, blank=True)
    closed_by_correction = models.BooleanField(
        _("closed by a correction"),
        default=False,
        editable=False,
        help_text=_("Closed because a correction made the result a pass; reopened if undone."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up case")
        verbose_name_plural = _("follow-up cases")
        ordering = ["-opened_at", "-pk"]
        indexes = [models.Index(fields=["market", "status"], name="rapidtest_case_market")]

    def __str__(self) -> str:
        return f"#{self.pk}"

    @property
    def is_overdue(self) -> bool:
        return self.overdue_at(timezone.now())

    def overdue_at(self, now: datetime) -> bool:
        if self.disposed_at is not None:
            return self.disposed_at > self.due_at
        return now > self.due_at

    @property
    def is_settled(self) -> bool:
        """The positive screen is settled: confirmed or not by the laboratory, or accepted by
        the stall. Until then the failure is only suspected (standards §6.3)."""
        return self.lab_result in CONFIRMATION_OUTCOMES or self.stall_accepted

    @staticmethod
    def overdue_q(now: datetime) -> Q:
        """The cases :attr:`is_overdue` holds for, as a filter."""
        return Q(disposed_at__isnull=True, due_at__lt=now) | Q(disposed_at__gt=F("due_at"))


class RoomQuota(models.Model):
    """A task for a test room: batches per week or quarter, overall or for one category."""

    market = models.ForeignKey(
        Organization, verbose_name=_("market"), on_delete=models.CASCADE, related_name="+"
    )
    category = models.CharField(_("category"), max_length=16, choices=Category.choices, blank=True)
    period = models.CharField(_("period"), max_length=16, choices=QuotaPeriod.choices)
    batches = models.PositiveIntegerField(_("batches"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("test quota")
        verbose_name_plural = _("test quotas")
        constraints = [
            models.UniqueConstraint(
                fields=["market", "category", "period"], name="rapidtest_quota_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.market} {self.period} {self.batches}"


class MonthlyRollup(models.Model):
    """Tests and failed tests per market, month, product and item, and the batches (samples) and
    failed batches counted on their first item (lowest id) there; kept current by every write."""

    market = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    month = models.DateField()
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+", db_index=False)
    item = models.ForeignKey(TestItem, on_delete=models.CASCADE, related_name="+", db_index=False)
    total = models.IntegerField(default=0)  # tests
    failed = models.IntegerField(default=0)  # failed tests
    batches = models.IntegerField(default=0, db_default=0)
    batches_failed = models.IntegerField(default=0, db_default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["market", "month", "product", "item"], name="rapidtest_rollup_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.market_id} {self.month} {self.product_id}/{self.item_id}"


class MarketMonthRollup(models.Model):
    """Batches, failed batches, tests and failed tests per market and month: the dashboard's
    hottest figure (the sums of :class:`MonthlyRollup` over products and items)."""

    market = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    month = models.DateField()
    total = models.IntegerField(default=0)  # tests
    failed = models.IntegerField(default=0)  # failed tests
    batches = models.IntegerField(default=0, db_default=0)
    batches_failed = models.IntegerField(default=0, db_default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["market", "month"], name="rapidtest_mm_rollup_unique")
        ]

    def __str__(self) -> str:
        return f"{self.market_id} {self.month}"


class RollupVersion(models.Model):
    """One row whose ``token`` changes (to a fresh random value) in the same transaction as every
    write to the rollups: a cache of a figure computed from the rollups is valid while the token
    it was computed under is current. Random, never a counter, so a rolled-back write cannot make
    an old token come back with other data behind it."""

    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return self.token


class SupplierMonthRollup(models.Model):
    """Tests and failed tests per market, month and supplier (suppliers named on the record
    only), kept current by every write with the other rollups: the early warnings' supplier
    counts over whole months (figures/integrity.py)."""

    market = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    month = models.DateField()
    supplier = models.CharField(max_length=200)
    total = models.IntegerField(default=0)  # tests
    failed = models.IntegerField(default=0)  # failed tests

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["market", "month", "supplier"], name="rapidtest_supplier_rollup_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.market_id} {self.month} {self.supplier}"
