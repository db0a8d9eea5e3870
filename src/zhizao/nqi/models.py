"""Quality infrastructure (质量基础设施, NQI) records: standardization technical committees,
innovation bases and centres, standardization pilot projects, standardization reward grants,
the inspection / metrology / certification bodies with their accreditations and accredited
scope, and the one-stop service (一站式服务): its catalogue, pilots and requests.
Docs: docs/nqi.md."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zhizao.core.choices import IndustryChain
from zhizao.core.display import is_chinese, localized_name
from zhizao.core.models import Organization, Region
from zhizao.core.validators import validate_plain_text
from zhizao.nqi.choices import (
    SCHEME_NUMBER_EXAMPLES,
    SCHEME_NUMBER_PATTERNS,
    AwardGrade,
    BodyLevel,
    CommitteeKind,
    Designation,
    Element,
    InnovationKind,
    PilotKind,
    PilotStatus,
    RequestStatus,
    Scheme,
    Stage,
    StandardAwardKind,
)
from zhizao.standards.validators import parse_standard_code

COMMITTEE_NUMBER = re.compile(r"^(SAC|[A-Z]{2})/TC \d{1,4}(/SC \d{1,3})?$")
MIRRORED_COMMITTEE = re.compile(r"^(ISO|IEC|ISO/IEC JTC 1)(/(TC|SC|PC) \d{1,4})*$")


def _synthetic() -> models.BooleanField[bool, bool]:
    return models.BooleanField(
        _("synthetic demo record"),
        default=False,
        help_text=_("Generated for the demo city; not taken from the source article."),
    )


def normalise_committee_number(value: str) -> str:
    """``sac / tc278`` → ``SAC/TC 278``: upper case, no spaces around slashes, one before the
    number."""
    text = re.sub(r"\s*/\s*", "/", value.strip().upper())
    text = re.sub(r"(TC|SC|PC)\s*(\d)", r"\1 \2", text)
    return re.sub(r"\s+", " ", text)


class TechnicalCommittee(models.Model):
    """A standardization technical committee (标准化技术委员会) or subcommittee whose
    secretariat is in the city, e.g. SAC/TC 278, or a mirror committee of an ISO/IEC one."""

    number = models.CharField(
        _("committee number"),
        max_length=40,
        help_text=_("As printed, e.g. SAC/TC 278, SAC/TC 278/SC 2 or HN/TC 12."),
    )
    name = models.CharField(_("name"), max_length=200, validators=[validate_plain_text])
    name_en = models.CharField(
        _("English name"), max_length=300, blank=True, validators=[validate_plain_text]
    )
    kind = models.CharField(_("kind"), max_length=16, choices=CommitteeKind.choices)
    level = models.CharField(_("level"), max_length=16, choices=BodyLevel.choices)
    secretariat = models.ForeignKey(
        Organization,
        verbose_name=_("secretariat"),
        on_delete=models.PROTECT,
        related_name="committee_secretariats",
    )
    mirror_of = models.CharField(
        _("mirror of"),
        max_length=40,
        blank=True,
        help_text=_("The ISO/IEC committee it mirrors, e.g. ISO/TC 269 or IEC/TC 9."),
    )
    established_on = models.DateField(_("established"), null=True, blank=True)
    is_synthetic = _synthetic()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("technical committee")
        verbose_name_plural = _("technical committees")
        ordering = ["level", "number"]
        constraints = [
            models.UniqueConstraint(fields=["number"], name="nqi_committee_number_unique"),
            models.CheckConstraint(
                condition=~Q(kind=CommitteeKind.MIRROR_COMMITTEE) | ~Q(mirror_of=""),
                name="nqi_mirror_names_its_committee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        self.number = normalise_committee_number(self.number or "")
        if not COMMITTEE_NUMBER.match(self.number):
            errors["number"] = str(
                _("Write the committee number as SAC/TC 278, SAC/TC 278/SC 2 or HN/TC 12.")
            )
        elif self.kind == CommitteeKind.SUBCOMMITTEE and "/SC " not in self.number:
            errors["number"] = str(_("A subcommittee's number ends in /SC and its number."))
        self.mirror_of = normalise_committee_number(self.mirror_of or "")
        if self.mirror_of and not MIRRORED_COMMITTEE.match(self.mirror_of):
            errors["mirror_of"] = str(
                _("Name an ISO or IEC committee, e.g. ISO/TC 269, IEC/TC 9 or ISO/IEC JTC 1/SC 27.")
            )
        if self.kind == CommitteeKind.MIRROR_COMMITTEE and not self.mirror_of:
            errors["mirror_of"] = str(_("A mirror committee names the ISO/IEC committee."))
        if errors:
            raise ValidationError(errors)


class InnovationBase(models.Model):
    """A technical-standards innovation base (技术标准创新基地) or standards innovation centre
    (标准创新中心)."""

    name = models.CharField(_("name"), max_length=200, validators=[validate_plain_text])
    name_en = models.CharField(_("English name"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=InnovationKind.choices)
    level = models.CharField(_("level"), max_length=16, choices=BodyLevel.choices)
    field = models.CharField(_("field"), max_length=100, blank=True)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT)
    host = models.ForeignKey(
        Organization,
        verbose_name=_("host organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    approved_on = models.DateField(_("approved"), null=True, blank=True)
    is_synthetic = _synthetic()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("standards innovation base")
        verbose_name_plural = _("standards innovation bases")
        ordering = ["level", "name"]
        constraints = [models.UniqueConstraint(fields=["name"], name="nqi_base_name_unique")]

    def __str__(self) -> str:
        return self.name


class StandardizationPilot(models.Model):
    """A standardization pilot or demonstration project (标准化试点示范项目)."""

    name = models.CharField(_("name"), max_length=200, validators=[validate_plain_text])
    level = models.CharField(_("level"), max_length=16, choices=BodyLevel.choices)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("undertaking organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    field = models.CharField(_("field"), max_length=100, blank=True)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("planned end"))
    status = models.CharField(
        _("status"), max_length=16, choices=PilotStatus.choices, default=PilotStatus.UNDER_WAY
    )
    accepted_on = models.DateField(_("acceptance date"), null=True, blank=True)
    acceptance_score = models.DecimalField(
        _("acceptance score"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text=_("The acceptance assessment's score out of 100."),
    )
    is_synthetic = _synthetic()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("standardization pilot project")
        verbose_name_plural = _("standardization pilot projects")
        ordering = ["level", "-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="nqi_pilot_period_order"
            ),
            models.CheckConstraint(
                condition=Q(status=PilotStatus.UNDER_WAY, accepted_on__isnull=True)
                | (~Q(status=PilotStatus.UNDER_WAY) & Q(accepted_on__isnull=False)),
                name="nqi_pilot_decided_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The project cannot end before it starts.")})


class RewardGrant(models.Model):
    """A standardization reward (标准化奖励资金) paid to an organization, as the standards
    registry sees it: why it was paid (the standard or pilot project it rewards).

    The money is the fund ledger's (issue 15, one ledger): ``ledger_grant`` is the
    ``funds.FundGrant`` (programme, recipient, amount, date) with its payment, created through
    ``funds.services`` by :func:`zhizao.nqi.services.record_reward_grant`. No amount, payer or
    date is kept here; the properties below read them from the ledger."""

    ledger_grant = models.OneToOneField(
        "funds.FundGrant",
        verbose_name=_("fund ledger grant"),
        on_delete=models.PROTECT,
        related_name="standardization_reward",
    )
    reason = models.CharField(_("reason"), max_length=300, validators=[validate_plain_text])
    standard = models.ForeignKey(
        "standards.Standard",
        verbose_name=_("standard"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    pilot = models.ForeignKey(
        StandardizationPilot,
        verbose_name=_("pilot project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    is_synthetic = _synthetic()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("standardization reward grant")
        verbose_name_plural = _("standardization reward grants")
        ordering = ["-ledger_grant__granted_on", "pk"]

    def __str__(self) -> str:
        return f"{self.recipient} ¥{self.amount}"

    @property
    def recipient(self) -> Organization:
        return self.ledger_grant.organization

    @property
    def payer(self) -> Region:
        """The paying government: the region whose programme it is."""
        return self.ledger_grant.programme.region

    @property
    def amount(self) -> Decimal:
        amount: Decimal = self.ledger_grant.amount
        return amount

    @property
    def paid_on(self) -> dt.date:
        paid_on: dt.date = self.ledger_grant.granted_on
        return paid_on


class StandardAward(models.Model):
    """A standard-setting award (标准化贡献奖 and the like) won by an organization, usually for
    a standard it led; the award money, if any, is a :class:`RewardGrant` (of the fund ledger)."""

    kind = models.CharField(_("award"), max_length=32, choices=StandardAwardKind.choices)
    level = models.CharField(_("level"), max_length=16, choices=BodyLevel.choices)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    grade = models.CharField(_("grade"), max_length=16, choices=AwardGrade.choices)
    title = models.CharField(_("awarded project"), max_length=300, validators=[validate_plain_text])
    recipient = models.ForeignKey(
        Organization,
        verbose_name=_("recipient"),
        on_delete=models.PROTECT,
        related_name="standard_awards",
    )
    standard = models.ForeignKey(
        "standards.Standard",
        verbose_name=_("standard"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="awards",
    )
    grant = models.ForeignKey(
        RewardGrant,
        verbose_name=_("award money paid"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="awards",
    )
    is_synthetic = _synthetic()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("standard-setting award")
        verbose_name_plural = _("standard-setting awards")
        ordering = ["-year", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "recipient", "title"], name="nqi_standard_award_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year} · {self.recipient}"

    def clean(self) -> None:
        super().clean()
        if self.year and self.year > timezone.localdate().year:
            raise ValidationError({"year": _("The award year cannot be in the future.")})
        grant = self.grant if self.grant_id else None
        if (
            grant is not None
            and self.recipient_id
            and grant.ledger_grant.organization_id != self.recipient_id
        ):
            raise ValidationError({"grant": _("The award money was paid to someone else.")})


class QualityBody(models.Model):
    """An organization of the quality infrastructure (an inspection centre, metrology
    institute, certification body or laboratory) with its designation, capacity and typical
    turnaround."""

    organization = models.OneToOneField(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="quality_body",
    )
    designation = models.CharField(_("designation"), max_length=32, choices=Designation.choices)
    title = models.CharField(
        _("designated title"),
        max_length=200,
        blank=True,
        help_text=_("e.g. 国家轨道交通装备产品质量检验检测中心"),
    )
    capacity = models.CharField(
        _("capacity"), max_length=200, blank=True, help_text=_("e.g. 3,000 samples a year.")
    )
    turnaround_days = models.PositiveSmallIntegerField(
        _("typical turnaround (working days)"), validators=[MinValueValidator(1)]
    )
    is_synthetic = _synthetic()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quality infrastructure body")
        verbose_name_plural = _("quality infrastructure bodies")
        ordering = ["designation", "organization__name"]

    def __str__(self) -> str:
        return self.title or self.organization.name


class Accreditation(models.Model):
    """An accreditation or qualification (CNAS, CMA) of a body, with its validity."""

    body = models.ForeignKey(
        QualityBody,
        verbose_name=_("body"),
        on_delete=models.CASCADE,
        related_name="accreditations",
    )
    scheme = models.CharField(_("scheme"), max_length=24, choices=Scheme.choices)
    number = models.CharField(_("number"), max_length=32)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    is_synthetic = _synthetic()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("accreditation")
        verbose_name_plural = _("accreditations")
        ordering = ["scheme", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "number"], name="nqi_accreditation_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="nqi_accreditation_validity_order",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_expired(self) -> bool:
        return self.valid_until < timezone.localdate()

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        self.number = re.sub(r"\s+", " ", (self.number or "").strip().upper())
        pattern = SCHEME_NUMBER_PATTERNS.get(self.scheme)
        if pattern and not re.match(pattern, self.number):
            errors["number"] = str(
                _("A %(scheme)s number is written like %(example)s.")
                % {
                    "scheme": Scheme(self.scheme).label,
                    "example": SCHEME_NUMBER_EXAMPLES[self.scheme],
                }
            )
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = str(_("The validity cannot end before it starts."))
        if errors:
            raise ValidationError(errors)


class ScopeLine(models.Model):
    """One line of an accreditation's scope: a product category, a test parameter and the
    standard (or metrology regulation) it is tested to. The code is parsed: ``code_key`` is the
    code without its year, so ``GB/T 19001``, ``GB/T19001-2016`` and ``GB/T 19001—2016`` all find
    this line."""

    accreditation = models.ForeignKey(
        Accreditation,
        verbose_name=_("accreditation"),
        on_delete=models.CASCADE,
        related_name="scope",
    )
    product_category = models.CharField(
        _("product category"), max_length=100, validators=[validate_plain_text]
    )
    parameter = models.CharField(_("parameter"), max_length=100, validators=[validate_plain_text])
    standard_code = models.CharField(_("standard code"), max_length=80)
    code_key = models.CharField(
        _("standard (any edition)"), max_length=80, editable=False, db_index=True
    )
    code_year = models.PositiveSmallIntegerField(_("year"), null=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("scope line")
        verbose_name_plural = _("scope lines")
        ordering = ["accreditation", "product_category", "parameter"]

    def __str__(self) -> str:
        return f"{self.product_category} · {self.parameter} · {self.standard_code}"

    def clean(self) -> None:
        super().clean()
        if self.standard_code:
            try:
                parsed = parse_standard_code(self.standard_code)
            except ValidationError as error:
                raise ValidationError({"standard_code": error.messages}) from None
            self.standard_code = parsed.code
            self.code_key = parsed.key
            self.code_year = parsed.year


# --- The one-stop service -------------------------------------------------------------------


class ServiceOffering(models.Model):
    """One service of the one-stop catalogue: its NQI element and lifecycle stage, and the
    words it is found by. ``search_text`` is the segmented text (jieba for Chinese) that the
    full-text index holds (docs/nqi.md, "Search")."""

    title = models.CharField(_("title"), max_length=200, validators=[validate_plain_text])
    title_en = models.CharField(_("English title"), max_length=300)
    description = models.TextField(_("description"), validators=[validate_plain_text])
    description_en = models.TextField(_("English description"))
    keywords = models.CharField(
        _("keywords"),
        max_length=500,
        blank=True,
        help_text=_("More words it is asked for by, in either language, separated by spaces."),
    )
    element = models.CharField(_("NQI element"), max_length=16, choices=Element.choices)
    stage = models.CharField(_("lifecycle stage"), max_length=16, choices=Stage.choices)
    search_text = models.TextField(editable=False, blank=True)
    is_synthetic = _synthetic()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("one-stop service")
        verbose_name_plural = _("one-stop services")
        ordering = ["element", "stage", "title"]
        constraints = [models.UniqueConstraint(fields=["title"], name="nqi_offering_title_unique")]

    def __str__(self) -> str:
        """The English title on English pages, the Chinese one otherwise."""
        if not is_chinese() and self.title_en:
            return self.title_en
        return self.title


class OfferingProvider(models.Model):
    """A provider of a catalogue service, with its price range and promised turnaround."""

    offering = models.ForeignKey(
        ServiceOffering, on_delete=models.CASCADE, related_name="providers"
    )
    provider = models.ForeignKey(
        Organization,
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        related_name="offered_services",
    )
    price_min = models.DecimalField(_("price from (yuan)"), max_digits=14, decimal_places=2)
    price_max = models.DecimalField(_("price up to (yuan)"), max_digits=14, decimal_places=2)
    promised_days = models.PositiveSmallIntegerField(
        _("promised turnaround (days)"), validators=[MinValueValidator(1)]
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service provider")
        verbose_name_plural = _("service providers")
        ordering = ["offering", "promised_days", "provider__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["offering", "provider"], name="nqi_offering_provider_unique"
            ),
            models.CheckConstraint(
                condition=Q(price_max__gte=models.F("price_min")) & Q(price_min__gte=0),
                name="nqi_offering_price_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offering} · {self.provider}"


class OneStopPilot(models.Model):
    """A pilot of the one-stop service: a zone (a park region) or an industry chain."""

    name = models.CharField(_("name"), max_length=100, validators=[validate_plain_text])
    name_en = models.CharField(_("English name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=8, choices=PilotKind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("zone"), null=True, blank=True, on_delete=models.PROTECT
    )
    industry_chain = models.CharField(
        _("industry chain"), max_length=32, choices=IndustryChain.choices, blank=True
    )
    city = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="onestop_pilots")
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("one-stop pilot")
        verbose_name_plural = _("one-stop pilots")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name"], name="nqi_onestop_pilot_unique"),
            models.CheckConstraint(
                condition=Q(kind=PilotKind.ZONE, region__isnull=False, industry_chain="")
                | Q(kind=PilotKind.CHAIN, region__isnull=True) & ~Q(industry_chain=""),
                name="nqi_onestop_pilot_zone_or_chain",
            ),
        ]

    def __str__(self) -> str:
        return localized_name(self)


class ServiceRequestQuerySet(models.QuerySet["ServiceRequest"]):
    def visible_to(self, user: object) -> ServiceRequestQuerySet:
        """Staff: requests of enterprises in their regions; an enterprise: its own; a provider:
        those routed to it."""
        from zhizao.core import permissions

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if getattr(user, "is_superuser", False):
            return self
        if permissions.is_staff_user(user):  # type: ignore[arg-type]
            return self.filter(enterprise__region__in=permissions.staff_regions(user))  # type: ignore[arg-type]
        org_id = permissions.own_organization_id(user)  # type: ignore[arg-type]
        if org_id is None:
            return self.none()
        return self.filter(Q(enterprise_id=org_id) | Q(provider_id=org_id))


class ServiceRequest(models.Model):
    """An enterprise's request to the one-stop service, in its own words, and its way through
    routing, quotation, delivery and rating. Each step's time is kept."""

    enterprise = models.ForeignKey(
        Organization,
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="service_requests",
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("request"), validators=[validate_plain_text])
    pilot = models.ForeignKey(
        OneStopPilot,
        verbose_name=_("pilot"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
    )
    offering = models.ForeignKey(
        ServiceOffering,
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
    )
    provider = models.ForeignKey(
        Organization,
        verbose_name=_("provider"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="routed_requests",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.FILED
    )
    promised_days = models.PositiveSmallIntegerField(
        _("promised turnaround (days)"), null=True, blank=True
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    quote_amount = models.DecimalField(
        _("quote (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    documents = models.TextField(
        _("delivered documents"), blank=True, help_text=_("Report or certificate numbers.")
    )
    decline_reason = models.CharField(_("reason for declining"), max_length=300, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    filed_at = models.DateTimeField(_("filed"), default=timezone.now)
    routed_at = models.DateTimeField(_("routed"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined"), null=True, blank=True)
    quoted_at = models.DateTimeField(_("quoted"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)
    overdue_flagged_on = models.DateField(_("flagged overdue"), null=True, blank=True)
    is_synthetic = _synthetic()
    history = HistoricalRecords()

    objects = ServiceRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("one-stop request")
        verbose_name_plural = _("one-stop requests")
        ordering = ["-filed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="nqi_request_rating_range",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.text[:30]}"

    @property
    def turnaround_days(self) -> float | None:
        """Days from acceptance by the provider to delivery."""
        if self.accepted_at is None or self.delivered_at is None:
            return None
        return (self.delivered_at - self.accepted_at).total_seconds() / 86400

    @property
    def on_time(self) -> bool | None:
        if self.delivered_at is None or self.due_at is None:
            return None
        return self.delivered_at <= self.due_at

    @property
    def is_overdue(self) -> bool:
        """Accepted, not delivered and past its due time."""
        return (
            self.delivered_at is None
            and self.due_at is not None
            and self.due_at < timezone.now()
            and self.status in (RequestStatus.ACCEPTED, RequestStatus.QUOTED)
        )
