"""Choices of the quality-infrastructure records (质量基础设施, NQI): committees, innovation
bases, pilot projects, reward grants, the bodies and their accreditations, and the one-stop
service."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BodyLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    CITY = "city", _("City")


class CommitteeKind(models.TextChoices):
    TECHNICAL_COMMITTEE = "tc", _("Technical committee (TC)")
    SUBCOMMITTEE = "sc", _("Subcommittee (SC)")
    MIRROR_COMMITTEE = "mirror", _("Mirror committee of an ISO/IEC committee")


class InnovationKind(models.TextChoices):
    STANDARDS_INNOVATION_BASE = "base", _("Technical-standards innovation base")
    STANDARDS_INNOVATION_CENTRE = "centre", _("Standards innovation centre")


class PilotStatus(models.TextChoices):
    UNDER_WAY = "under_way", _("Under way")
    COMPLETED = "completed", _("Completed and accepted")
    FAILED = "failed", _("Not accepted")


class Designation(models.TextChoices):
    NATIONAL_INSPECTION_CENTRE = "national_centre", _("National inspection and testing centre")
    PROVINCIAL_INSPECTION_CENTRE = "provincial_centre", _("Provincial inspection centre")
    METROLOGY_INSTITUTE = "metrology_institute", _("Metrology institute")
    METROLOGY_TEST_CENTRE = "metrology_centre", _("Metrology test centre")
    CERTIFICATION_BODY = "certification_body", _("Certification body")
    LABORATORY = "laboratory", _("Testing laboratory")


class Scheme(models.TextChoices):
    CNAS_LAB = "cnas_lab", _("CNAS laboratory accreditation")
    CNAS_INSPECTION = "cnas_inspection", _("CNAS inspection body accreditation")
    CNAS_CERTIFICATION = "cnas_certification", _("CNAS certification body accreditation")
    CMA = "cma", _("CMA inspection and testing qualification")


# The printed form of each scheme's number, e.g. CNAS L1234, CNAS IB0123, CNAS C001-M, and the
# 12-digit CMA number.
SCHEME_NUMBER_PATTERNS: dict[str, str] = {
    Scheme.CNAS_LAB: r"^CNAS L\d{4,5}$",
    Scheme.CNAS_INSPECTION: r"^CNAS IB\d{4}$",
    Scheme.CNAS_CERTIFICATION: r"^CNAS C\d{3}-[A-Z]$",
    Scheme.CMA: r"^\d{12}$",
}
SCHEME_NUMBER_EXAMPLES: dict[str, str] = {
    Scheme.CNAS_LAB: "CNAS L1234",
    Scheme.CNAS_INSPECTION: "CNAS IB0123",
    Scheme.CNAS_CERTIFICATION: "CNAS C001-M",
    Scheme.CMA: "201918000123",
}


class Element(models.TextChoices):
    METROLOGY = "metrology", _("Metrology")
    STANDARDS = "standards", _("Standards")
    CERTIFICATION = "certification", _("Certification and accreditation")
    INSPECTION = "inspection", _("Inspection and testing")


class Stage(models.TextChoices):
    RD = "rd", _("R&D")
    PROCUREMENT = "procurement", _("Procurement")
    PRODUCTION = "production", _("Production")
    SUPPLY = "supply", _("Supply")
    AFTER_SALES = "after_sales", _("After-sales")


class PilotKind(models.TextChoices):
    ZONE = "zone", _("Pilot zone")
    CHAIN = "chain", _("Industry chain")


class RequestStatus(models.TextChoices):
    FILED = "filed", _("Filed")
    ROUTED = "routed", _("Routed to a provider")
    DECLINED = "declined", _("Declined by the provider")
    ACCEPTED = "accepted", _("Accepted by the provider")
    QUOTED = "quoted", _("Quoted")
    DELIVERED = "delivered", _("Delivered")
    CLOSED = "closed", _("Closed by the provider")
    RATED = "rated", _("Accepted and rated by the enterprise")


SERVED_STATUSES = (RequestStatus.DELIVERED, RequestStatus.CLOSED, RequestStatus.RATED)
OPEN_STATUSES = (
    RequestStatus.FILED,
    RequestStatus.ROUTED,
    RequestStatus.DECLINED,
    RequestStatus.ACCEPTED,
    RequestStatus.QUOTED,
)

MSG_REQUEST_FILED = "nqi_request_filed"
MSG_REQUEST_ROUTED = "nqi_request_routed"
MSG_REQUEST_UPDATED = "nqi_request_updated"
MSG_REQUEST_OVERDUE = "nqi_request_overdue"


class StandardAwardKind(models.TextChoices):
    """Standard-setting awards (标准化奖项)."""

    CHINA_STANDARD_INNOVATION = (
        "china_innovation",
        _("China Standard Innovation Contribution Award (中国标准创新贡献奖)"),
    )
    PROVINCIAL_CONTRIBUTION = (
        "provincial_contribution",
        _("Provincial Standardization Contribution Award (省标准化贡献奖)"),
    )
    CITY_CONTRIBUTION = "city_contribution", _("City Standardization Contribution Award")
    OTHER = "other", _("Other standardization award")


class AwardGrade(models.TextChoices):
    FIRST = "first", _("First prize")
    SECOND = "second", _("Second prize")
    THIRD = "third", _("Third prize")
    EXCELLENCE = "excellence", _("Excellence award")
    PROJECT = "project", _("Project award (no grade)")
    ORGANIZATION = "organization", _("Organization award")
    PERSONAL = "personal", _("Personal award")
