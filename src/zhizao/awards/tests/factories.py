"""Records the awards tests make in bulk."""

from __future__ import annotations

import datetime as dt
from typing import Any

from zhizao.awards import services
from zhizao.awards.choices import ReviewStage
from zhizao.awards.models import Application, AwardEdition
from zhizao.core import services as core_services
from zhizao.core.choices import Role
from zhizao.core.testing import make_organization


def applications_in_material_review(
    personas: Any, edition: AwardEdition, count: int = 12
) -> list[Application]:
    """``count`` enterprises of 天元区 apply; each application reaches material review with the
    assessor assigned."""
    applications = []
    for index in range(count):
        organization = make_organization(f"计数申报企业{index:02d}", personas.tianyuan)
        user = core_services.create_user(
            username=f"applicant{index:02d}",
            password=None,
            role=Role.ENTERPRISE,
            organization=organization,
        )
        app = services.create_application(user, edition, established_on=dt.date(2005, 1, 1))
        services.save_self_assessment(user, app, "4.1.1", "高层领导…", "")
        services.update_application(
            user, app, {"declaration_accepted": True, "declared_no_incident": True}
        )
        app = services.transition(user, app, "submitted")
        app = services.transition(personas.officer, app, "eligibility_review")
        services.record_eligibility_check(personas.officer, app, passed=True, note="无事故")
        app = services.transition(personas.officer, app, "material_review")
        services.assign_assessor(personas.officer, app, personas.assessor, ReviewStage.MATERIAL)
        applications.append(app)
    return applications
