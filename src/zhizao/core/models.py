"""Core records that every domain app references: regions, organizations, people, users and
their roles, API tokens, notifications and the demo-data ledger."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zhizao.core.choices import (
    ADMIN_ROLES,
    ORGANIZATION_ROLES,
    Channel,
    DeliveryStatus,
    IndustryChain,
    JobState,
    Language,
    OrganizationKind,
    RegionLevel,
    Role,
)
from zhizao.core.display import localized_name
from zhizao.core.fields import EncryptedCharField
from zhizao.core.validators import (
    normalise_credit_code,
    validate_credit_code,
    validate_plain_text,
)


class RegionQuerySet(models.QuerySet["Region"]):
    def city(self, code: str = "") -> Region | None:
        """The region of division ``code``, by default the platform's city
        (``ZHIZAO_CITY_CODE``); ``None`` if no such region is loaded. The one city lookup of
        every page, API endpoint and list filter."""
        return self.filter(code=code or settings.ZHIZAO_CITY_CODE).first()


class Region(models.Model):
    """An administrative division (GB/T 2260) or a park/zone inside one (行政区划 / 园区)."""

    code = models.CharField(
        _("division code"),
        max_length=12,
        blank=True,
        help_text=_("GB/T 2260 six-digit code; empty for parks and zones, which have none."),
    )
    name = models.CharField(_("name"), max_length=100, validators=[validate_plain_text])
    name_en = models.CharField(
        _("English name"), max_length=200, blank=True, validators=[validate_plain_text]
    )
    level = models.CharField(_("level"), max_length=16, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path of primary keys ("/1/2/5/") so that a region's subtree is one indexed
    # prefix lookup. Maintained by save().
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    history = HistoricalRecords()

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="core_region_code_unique"
            ),
            models.UniqueConstraint(fields=["parent", "name"], name="core_region_name_unique"),
        ]

    def __str__(self) -> str:
        return localized_name(self)

    def save(self, *args: object, **kwargs: object) -> None:
        super().save(*args, **kwargs)  # type: ignore[arg-type]
        path = f"{self.parent.path if self.parent else '/'}{self.pk}/"
        if path != self.path:
            self.path = path
            Region.objects.filter(pk=self.pk).update(path=path)

    def subtree(self) -> models.QuerySet[Region]:
        return Region.objects.filter(path__startswith=self.path)


class Organization(models.Model):
    """An enterprise, public institution, inspection/metrology body, market or laboratory."""

    name = models.CharField(_("name"), max_length=200, validators=[validate_plain_text])
    name_en = models.CharField(
        _("English name"), max_length=300, blank=True, validators=[validate_plain_text]
    )
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        validators=[validate_credit_code],
        help_text=_("统一社会信用代码: 18 characters with the GB 32100-2015 check character."),
    )
    kind = models.CharField(_("type"), max_length=32, choices=OrganizationKind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="organizations"
    )
    industry_chain = models.CharField(
        _("industry chain"), max_length=32, choices=IndustryChain.choices, blank=True
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subsidiaries",
    )
    address = models.CharField(
        _("address"), max_length=300, blank=True, validators=[validate_plain_text]
    )
    # Private: only the organization's own users and bureau staff of its region see these.
    contact_name = models.CharField(
        _("contact person"), max_length=100, blank=True, validators=[validate_plain_text]
    )
    contact_phone = EncryptedCharField(_("contact phone"), max_length=32, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    is_synthetic = models.BooleanField(
        _("synthetic demo record"),
        default=False,
        help_text=_("Generated for the demo city; not taken from the source article."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["credit_code"], name="core_org_credit_code_unique"),
            models.UniqueConstraint(fields=["name"], name="core_org_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def unique_error_message(
        self, model_class: type[models.Model], unique_check: Sequence[str]
    ) -> ValidationError:
        messages: dict[tuple[str, ...], Any] = {
            ("credit_code",): _(
                "An organization with this unified social credit code is already registered."
            ),
            ("name",): _("An organization with this name is already registered."),
        }
        if tuple(unique_check) in messages:
            return ValidationError(messages[tuple(unique_check)], code="unique")
        return super().unique_error_message(model_class, unique_check)

    def clean(self) -> None:
        if self.credit_code:
            self.credit_code = normalise_credit_code(self.credit_code)
        if self.parent_id is not None and self.pk is not None:
            ancestor: Organization | None = self.parent
            while ancestor is not None:
                if ancestor.pk == self.pk:
                    raise ValidationError(
                        {"parent": _("An organization cannot be its own parent or ancestor.")}
                    )
                ancestor = ancestor.parent

    def group_ids(self) -> set[int]:
        """Primary keys of this organization's whole group: itself, its ancestors and all their
        descendants (used for conflict-of-interest rules)."""
        root: Organization = self
        while root.parent is not None:
            root = root.parent
        members = {root.pk}
        frontier = [root.pk]
        while frontier:
            children = list(
                Organization.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
            )
            frontier = [pk for pk in children if pk not in members]
            members.update(frontier)
        return members


class Person(models.Model):
    """A person named in the records: award winners, assessors, chief quality officers."""

    name = models.CharField(_("name"), max_length=100, validators=[validate_plain_text])
    name_en = models.CharField(
        _("English name"), max_length=200, blank=True, validators=[validate_plain_text]
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    title = models.CharField(
        _("position"), max_length=200, blank=True, validators=[validate_plain_text]
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = EncryptedCharField(_("phone"), max_length=32, blank=True)
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A login. Its role decides what it may do; its region or organization decides where."""

    role = models.CharField(_("role"), max_length=32, choices=Role.choices, blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Bureau staff act within this region and the regions below it."),
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("Enterprise users, market testers and service providers act for it."),
    )
    person = models.OneToOneField(
        Person, verbose_name=_("person"), null=True, blank=True, on_delete=models.SET_NULL
    )
    phone = EncryptedCharField(_("phone"), max_length=32, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.ZH_HANS
    )
    # When the password was last set (password expiry, ZHIZAO_PASSWORD_MAX_AGE_DAYS); empty for
    # accounts made before it was kept, whose password counts from ``date_joined``.
    password_changed_at = models.DateTimeField(_("password changed"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["password", "last_login", "password_changed_at"])

    objects: ClassVar[UserManager[User]] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # 三员分立: an administrator of the system, of security or of the audit log holds
            # that one role and never the superuser flag, which would give it the other two.
            models.CheckConstraint(
                condition=~Q(role__in=ADMIN_ROLES) | Q(is_superuser=False),
                name="core_user_admin_role_not_superuser",
                violation_error_message=_(
                    "A system, security or audit administrator cannot also be a superuser."
                ),
            ),
        ]

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    def clean(self) -> None:
        super().clean()
        if self.role == Role.BUREAU_STAFF and self.region_id is None:
            raise ValidationError({"region": _("Bureau staff need a region.")})
        if self.role in ORGANIZATION_ROLES and self.organization_id is None:
            raise ValidationError({"organization": _("This role needs an organization.")})

    @property
    def is_bureau_staff(self) -> bool:
        return self.is_superuser or self.role == Role.BUREAU_STAFF


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def authenticate(self, raw: str) -> ApiToken | None:
        return (
            self.select_related("user")
            .filter(key_hash=_hash_token(raw), user__is_active=True, revoked_at__isnull=True)
            .first()
        )


class ApiToken(models.Model):
    """A bearer token for the REST API (test instruments, integrations). Only its hash is kept."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user: User, name: str) -> tuple[ApiToken, str]:
        raw = "zz_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, key_hash=_hash_token(raw), prefix=raw[:8])
        return token, raw


class MessageTemplate(models.Model):
    """A notification text in both languages that staff can edit. Placeholders use Django
    template syntax ({{ organization }})."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    subject_zh = models.CharField(_("subject (Chinese)"), max_length=200)
    body_zh = models.TextField(_("body (Chinese)"))
    subject_en = models.CharField(_("subject (English)"), max_length=200)
    body_en = models.TextField(_("body (English)"))
    channels = models.JSONField(
        _("channels"),
        default=list,
        help_text=_("Channels besides the inbox: any of email, sms, wechat."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Notification(models.Model):
    """One message in a user's in-app inbox. Copies sent on other channels (e-mail, SMS, WeChat)
    are logged in :class:`MessageDelivery`."""

    recipient = models.ForeignKey(
        User, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    template = models.ForeignKey(
        MessageTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "channel", "read_at"])]

    def __str__(self) -> str:
        return self.subject


class MessageDelivery(models.Model):
    """The delivery log: one message to one recipient on one outbound channel, written in the
    transaction that caused it and delivered after commit by the task worker, with bounded
    retries (docs/core.md, "Notifications")."""

    recipient = models.ForeignKey(
        User, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="deliveries"
    )
    template = models.ForeignKey(
        MessageTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    address = models.CharField(
        _("address"), max_length=254, blank=True, help_text=_("E-mail address or phone number.")
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
        db_index=True,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("message delivery")
        verbose_name_plural = _("message deliveries")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.channel} → {self.address or self.recipient_id}: {self.subject}"


class JobQuerySet(models.QuerySet["Job"]):
    def visible_to(self, user: Any) -> JobQuerySet:
        """A job is its owner's (a superuser sees every job): its parameters name the owner's
        filters and its file holds what the owner may read, nobody else's."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(owner=user)


class Job(models.Model):
    """A piece of work too long for a request (a large export or import), run by the task
    worker (docs/core.md, "Background jobs"): who asked for it, with what parameters, how far it
    got (rows read, validated, written of the expected total), its result file (kept outside
    the web root, served by permission) and every error."""

    kind = models.CharField(_("kind"), max_length=64)
    owner = models.ForeignKey(
        User, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="jobs"
    )
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=JobState.choices, default=JobState.QUEUED
    )
    rows_total = models.PositiveBigIntegerField(_("rows expected"), null=True, blank=True)
    rows_read = models.PositiveBigIntegerField(_("rows read"), default=0)
    rows_validated = models.PositiveBigIntegerField(_("rows validated"), default=0)
    rows_written = models.PositiveBigIntegerField(_("rows written"), default=0)
    source = models.FileField(_("uploaded file"), upload_to="jobs/in/%Y/%m/", blank=True)
    result = models.FileField(_("result file"), upload_to="jobs/out/%Y/%m/", blank=True)
    result_name = models.CharField(_("download name"), max_length=200, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Progress counters change by queryset updates (no history row each); the error list can
    # hold 100,000 rows and stays out of the history.
    history = HistoricalRecords(excluded_fields=["errors", "summary", "params"])

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.state})"

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)

    @property
    def percent(self) -> int | None:
        """How far the slowest counter got, in per cent of the expected rows (None: unknown)."""
        if not self.rows_total:
            return 100 if self.state == JobState.DONE else None
        done = max(self.rows_written, self.rows_validated)
        return min(100, int(done * 100 / self.rows_total))


class DemoDataset(models.Model):
    """Ledger of demo data sets already loaded, so that loading the demo city is idempotent."""

    name = models.CharField(max_length=64, unique=True)
    version = models.PositiveIntegerField(default=1)
    loaded_at = models.DateTimeField(auto_now_add=True)
    summary = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("demo data set")
        verbose_name_plural = _("demo data sets")

    def __str__(self) -> str:
        return self.name
