"""The incentive-fund ledger (奖励资金台账): one record of money for every incentive fund the
city's organizations apply to or receive, whoever runs it (the province's IP-strategy special
fund, a district's standardization reward, quality-award bonuses…).

An application (申报) is reviewed (score, decision), an approved one is granted an amount (资助 /
奖励), and a grant is paid in one or more payments (拨付) with their vouchers. A grant may also
come without an application: a quality-award bonus names the award result it rewards, and a
grant recorded by another app (a standards-registry reward) is adopted with ``source_ref``.

Money is ``Decimal`` yuan with two places (元.分). The running totals the limits are checked on
are kept on the rows they limit (``FundProgramme.granted_total``, ``FundGrant.paid_total``) and
bounded by database constraints, so no way in can grant beyond the budget or pay beyond a grant;
the services keep them equal to the sums of the rows (a test reconciles them). Docs:
docs/funds.md."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zhizao.core.models import Organization, Region
from zhizao.core.validators import validate_plain_text
from zhizao.funds.choices import (
    MONEY_DIGITS,
    MONEY_PLACES,
    ApplicationStatus,
    ProgrammeKind,
    ProgrammeLevel,
)


def money(verbose_name: Any, **options: Any) -> Any:
    return models.DecimalField(
        verbose_name,
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        **options,
    )


class FundProgramme(models.Model):
    """One fund programme of one year (e.g. 2022 省知识产权战略实施专项), with its budget."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=ProgrammeKind.choices)
    level = models.CharField(_("level"), max_length=16, choices=ProgrammeLevel.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=200, validators=[validate_plain_text])
    name_en = models.CharField(
        _("English name"), max_length=300, blank=True, validators=[validate_plain_text]
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="fund_programmes",
        help_text=_("Where the programme is run: the province, city or district it covers."),
    )
    authority = models.CharField(
        _("authority"),
        max_length=200,
        validators=[validate_plain_text],
        help_text=_("The body that runs the programme."),
    )
    rules = models.TextField(_("rules"), blank=True, validators=[validate_plain_text])
    budget = money(_("budget (yuan)"))
    granted_total = money(_("granted (yuan)"), default=Decimal("0.00"), editable=False)
    is_synthetic = models.BooleanField(
        _("synthetic demo record"),
        default=False,
        help_text=_("Generated for the demo city; not taken from the source article."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fund programme")
        verbose_name_plural = _("fund programmes")
        ordering = ["-year", "kind", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget__gte=0), name="funds_programme_budget_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(granted_total__gte=0) & Q(granted_total__lte=F("budget")),
                name="funds_programme_granted_within_budget",
                violation_error_message=_("The grants would exceed the programme's budget."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"

    @property
    def budget_left(self) -> Decimal:
        left: Decimal = self.budget - self.granted_total
        return left


class FundApplication(models.Model):
    """An organization's application (申报) to a programme: its project and the amount asked."""

    programme = models.ForeignKey(
        FundProgramme,
        verbose_name=_("fund programme"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="fund_applications",
    )
    city = models.ForeignKey(
        Region,
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The applicant's city (from its region): what provincial rankings count."),
    )
    project = models.CharField(_("project"), max_length=300, validators=[validate_plain_text])
    amount_requested = money(_("amount asked (yuan)"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
        db_index=True,
    )
    score = models.DecimalField(
        _("review score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    decision_note = models.TextField(_("decision note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fund application")
        verbose_name_plural = _("fund applications")
        ordering = ["programme", "organization__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "organization", "project"],
                name="funds_application_unique",
            ),
            models.CheckConstraint(
                condition=Q(amount_requested__gt=0), name="funds_application_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=100)),
                name="funds_application_score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme}: {self.organization} · {self.project}"


def document_path(instance: FundDocument, filename: str) -> str:
    # Never the uploaded name: a random name under MEDIA_ROOT, which the web server does not serve.
    import uuid

    return f"funds/documents/{instance.application_id}/{uuid.uuid4().hex}.pdf"


class FundDocument(models.Model):
    """A PDF filed with an application; served only through a permission-checked view."""

    application = models.ForeignKey(
        FundApplication, on_delete=models.CASCADE, related_name="documents"
    )
    file = models.FileField(_("file"), upload_to=document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class FundGrant(models.Model):
    """Money granted (资助 / 奖励) to an organization from a programme: for an approved
    application, for an award result (a quality-award bonus), or adopted from another app's
    record (``source_ref``)."""

    programme = models.ForeignKey(
        FundProgramme,
        verbose_name=_("fund programme"),
        on_delete=models.PROTECT,
        related_name="grants",
    )
    application = models.OneToOneField(
        FundApplication,
        verbose_name=_("application"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grant",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="fund_grants",
    )
    city = models.ForeignKey(
        Region, verbose_name=_("city"), on_delete=models.PROTECT, related_name="+"
    )
    amount = money(_("amount (yuan)"))
    paid_total = money(_("paid (yuan)"), default=Decimal("0.00"), editable=False)
    granted_on = models.DateField(_("granted on"))
    award_result = models.ForeignKey(
        "awards.AwardResult",
        verbose_name=_("award result"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fund_grants",
        help_text=_("The award a quality-award bonus rewards."),
    )
    source_ref = models.CharField(
        _("adopted from"),
        max_length=100,
        blank=True,
        help_text=_(
            "The record of another app this grant was adopted from (app.model:id), so that one "
            "grant is never recorded twice."
        ),
    )
    note = models.CharField(_("note"), max_length=300, blank=True, validators=[validate_plain_text])
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fund grant")
        verbose_name_plural = _("fund grants")
        ordering = ["-granted_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="funds_grant_amount_positive"),
            models.CheckConstraint(
                condition=Q(paid_total__gte=0) & Q(paid_total__lte=F("amount")),
                name="funds_grant_paid_within_amount",
                violation_error_message=_("The payments would exceed the grant."),
            ),
            models.UniqueConstraint(
                fields=["source_ref"],
                condition=~Q(source_ref=""),
                name="funds_grant_source_unique",
                violation_error_message=_("This grant is already recorded in the ledger."),
            ),
            models.UniqueConstraint(
                fields=["programme", "award_result"],
                condition=Q(award_result__isnull=False),
                name="funds_grant_one_bonus_per_award",
                violation_error_message=_("This award already has a bonus from this programme."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme}: {self.organization} ¥{self.amount}"


def voucher_path(instance: FundPayment, filename: str) -> str:
    import uuid

    return f"funds/vouchers/{instance.grant_id}/{uuid.uuid4().hex}.pdf"


class FundPayment(models.Model):
    """One payment (拨付) of a grant, with its voucher (凭证号) and, where filed, the voucher's
    scan (a PDF, checked by its first bytes; served only through a permission-checked view)."""

    grant = models.ForeignKey(
        FundGrant, verbose_name=_("grant"), on_delete=models.PROTECT, related_name="payments"
    )
    amount = money(_("amount (yuan)"))
    paid_on = models.DateField(_("paid on"))
    voucher = models.CharField(_("voucher"), max_length=64, validators=[validate_plain_text])
    voucher_file = models.FileField(
        _("voucher scan"), upload_to=voucher_path, max_length=200, blank=True
    )
    voucher_file_name = models.CharField(_("voucher file name"), max_length=200, blank=True)
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fund payment")
        verbose_name_plural = _("fund payments")
        ordering = ["grant", "paid_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="funds_payment_amount_positive"),
            models.UniqueConstraint(
                fields=["grant", "voucher"], name="funds_payment_voucher_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.voucher}: ¥{self.amount}"
