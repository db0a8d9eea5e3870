"""Choices and error codes of the core records."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    DISTRICT = "district", _("District or county")
    PARK = "park", _("Park or zone")


class OrganizationKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    PUBLIC_INSTITUTION = "public_institution", _("Public institution")
    INSPECTION_BODY = "inspection_body", _("Inspection and testing body")
    METROLOGY_BODY = "metrology_body", _("Metrology body")
    CERTIFICATION_BODY = "certification_body", _("Certification body")
    LAB = "lab", _("Laboratory")
    FARMERS_MARKET = "farmers_market", _("Farmers' market")
    SUPERMARKET = "supermarket", _("Supermarket")
    WHOLESALE_MARKET = "wholesale_market", _("Wholesale market")
    GOVERNMENT = "government", _("Government body")
    OTHER = "other", _("Other")


MARKET_KINDS = (
    OrganizationKind.FARMERS_MARKET,
    OrganizationKind.SUPERMARKET,
    OrganizationKind.WHOLESALE_MARKET,
)


class IndustryChain(models.TextChoices):
    NONE = "", _("None")
    RAIL_TRANSIT = "rail_transit", _("Advanced rail transit equipment")
    HARD_MATERIALS = "hard_materials", _("Advanced hard materials")
    CERAMICS = "ceramics", _("Advanced ceramics")
    AVIATION = "aviation", _("General aviation")
    NEW_ENERGY_VEHICLES = "new_energy_vehicles", _("New energy vehicles")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    BUREAU_STAFF = "bureau_staff", _("Bureau staff")
    ENTERPRISE = "enterprise", _("Enterprise user")
    MARKET_TESTER = "market_tester", _("Market tester")
    SERVICE_PROVIDER = "service_provider", _("Service provider")
    ASSESSOR = "assessor", _("Assessor")
    COMMITTEE = "committee", _("Award committee member")
    DEPARTMENT = "department", _("Department user")
    # 三员分立 (GB/T 22239-2019 level 3): three administrators, each holding one of the three
    # and no other role (docs/security.md).
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")


# The three administrators of 三员分立: the system administrator keeps accounts and
# organizations, the security administrator grants roles and lifts lockouts, the audit
# administrator reads (and only reads) the security log and the records' history.
ADMIN_ROLES = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)


# Roles whose account belongs to one organization and sees its private records only. A
# department user (教育局, 住建局, 卫健委, 水务公司 …) acts for its department, a government body
# or public institution, and submits that department's figures (zhizao.plans).
ORGANIZATION_ROLES = (Role.ENTERPRISE, Role.MARKET_TESTER, Role.SERVICE_PROVIDER, Role.DEPARTMENT)


class Channel(models.TextChoices):
    INBOX = "inbox", _("In-app inbox")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    WECHAT = "wechat", _("WeChat")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Delivery failed")


class JobState(models.TextChoices):
    """Where a background job (core.Job: a large export or import) stands."""

    QUEUED = "queued", _("Waiting for the worker")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Stopped with errors")


class Language(models.TextChoices):
    ZH_HANS = "zh-hans", "简体中文"
    EN = "en", "English"
