"""Choices of the standards registry. Level and kind mirror the parser's enums
(zhizao.stdcodes.codes.Level / Kind), value for value; a test keeps them equal."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StandardLevel(models.TextChoices):
    INTERNATIONAL = "international", _("International standard")
    NATIONAL = "national", _("National standard")
    INDUSTRY = "industry", _("Industry standard")
    LOCAL = "local", _("Local standard")
    GROUP = "group", _("Group standard")
    ENTERPRISE = "enterprise", _("Enterprise standard")


class StandardKind(models.TextChoices):
    MANDATORY = "mandatory", _("Mandatory")
    RECOMMENDED = "recommended", _("Recommended (/T)")
    GUIDANCE = "guidance", _("Guidance technical document (/Z)")
    STANDARD = "standard", _("International Standard")
    TECHNICAL_SPECIFICATION = "technical_specification", _("Technical Specification (TS)")
    TECHNICAL_REPORT = "technical_report", _("Technical Report (TR)")
    PUBLICLY_AVAILABLE_SPECIFICATION = (
        "publicly_available_specification",
        _("Publicly Available Specification (PAS)"),
    )
    GUIDE = "guide", _("Guide")
    RECOMMENDATION = "recommendation", _("ITU-T Recommendation")
    VERIFICATION_REGULATION = "verification_regulation", _("Metrological verification regulation")
    METROLOGY_SPECIFICATION = "metrology_specification", _("Metrological technical specification")
    VOLUNTARY = "voluntary", _("Voluntary (group or enterprise)")


class StandardStatus(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    SUPERSEDED = "superseded", _("Superseded")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Revision(models.TextChoices):
    NEW = "new", _("New standard")
    REVISION = "revision", _("Revision")


class DraftingRole(models.TextChoices):
    LED = "led", _("Led")
    PARTICIPATED = "participated", _("Participated")
