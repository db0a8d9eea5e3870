"""The awards app's sections of the enterprise profile (zhizao.enterprise.profile): published,
standing award results (public) and the organization's applications (private)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhizao.awards.models import AwardResult
from zhizao.awards.permissions import applications_visible_to
from zhizao.core.models import Organization
from zhizao.core.permissions import AnyUser
from zhizao.enterprise.profile import Row, Section, register


def _results(organization: Organization, user: AnyUser) -> list[Row]:
    results = (
        AwardResult.objects.standing()
        .filter(organization=organization)
        .select_related("edition__programme")
        .order_by("-edition__year", "edition__programme__rank")
    )
    return [
        {
            "year": result.edition.year,
            "award": str(result.edition.programme),
            "outcome": str(result.get_outcome_display()),
            "name": result.name_as_awarded,
            "synthetic": result.is_synthetic,
        }
        for result in results
    ]


def _applications(organization: Organization, user: AnyUser) -> list[Row]:
    applications = (
        applications_visible_to(user)
        .filter(organization=organization)
        .select_related("edition__programme")
        .order_by("-edition__year", "pk")
    )
    return [
        {
            "year": application.edition.year,
            "edition": str(application.edition),
            "category": str(application.get_category_display()),
            "status": str(application.get_status_display()),
        }
        for application in applications
    ]


register(
    Section(
        "awards",
        _("Government quality awards"),
        10,
        private=False,
        columns=(
            ("year", _("year")),
            ("award", _("award")),
            ("outcome", _("outcome")),
            ("name", _("name as awarded")),
        ),
        rows=_results,
        app="awards",
    ),
    Section(
        "award_applications",
        _("Award applications"),
        110,
        private=True,
        columns=(
            ("year", _("year")),
            ("edition", _("edition")),
            ("category", _("category")),
            ("status", _("status")),
        ),
        rows=_applications,
        app="awards",
    ),
)
