"""Every change of the standards registry goes through a function here: permission-checked,
validated (the code through the parser), atomic and audited (django-simple-history records who
changed what). Bureau staff keep the registry; the drafters of a standard are recorded by the
staff of the organization's region."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from zhizao.core import permissions
from zhizao.core.actors import acting_as, is_system_actor, system_actor
from zhizao.core.models import Organization, User
from zhizao.standards.choices import DraftingRole, StandardStatus
from zhizao.standards.models import Standard, StandardDrafter

STANDARD_FIELDS = frozenset(
    {
        "code",
        "title",
        "title_en",
        "published_on",
        "implemented_on",
        "revision",
        "drafting_organizations",
        "is_synthetic",
    }
)
"""Fields a caller sets. Status, successor and withdrawal change through their own services;
the code's parts follow from the code."""


def _check_staff(actor: User | None) -> None:
    """``actor`` None (or the system actor) is the demo loader or an import job."""
    if actor is not None and not is_system_actor(actor) and not permissions.is_staff_user(actor):
        raise PermissionDenied(_("Only bureau staff keep the standards registry."))


def _save_audited(instance: Standard | StandardDrafter, actor: User | None) -> None:
    try:
        with transaction.atomic(), acting_as(actor or system_actor()):
            instance.save()
    except IntegrityError as error:  # a concurrent writer won the race for a unique value
        raise ValidationError(_("This record duplicates an existing one.")) from error


def _apply(standard: Standard, data: Mapping[str, Any]) -> None:
    unknown = set(data) - STANDARD_FIELDS
    if unknown:
        raise ValidationError({field: [_("Unknown field.")] for field in sorted(unknown)})
    for field, value in data.items():
        setattr(standard, field, value)


def create_standard(actor: User | None, data: Mapping[str, Any]) -> Standard:
    """Register an edition of a standard; its code is parsed, validated and normalised."""
    _check_staff(actor)
    standard = Standard(created_by=actor)
    _apply(standard, data)
    standard.full_clean()
    _save_audited(standard, actor)
    return standard


def update_standard(actor: User | None, standard: Standard, data: Mapping[str, Any]) -> Standard:
    _check_staff(actor)
    _apply(standard, data)
    standard.full_clean()
    _save_audited(standard, actor)
    return standard


def supersede_standard(actor: User | None, old: Standard, new: Standard) -> Standard:
    """Mark ``old`` superseded by ``new`` (代替), which must be a later edition in force."""
    _check_staff(actor)
    with transaction.atomic():
        old = Standard.objects.select_for_update().get(pk=old.pk)
        new = Standard.objects.select_for_update().get(pk=new.pk)
        if old.pk == new.pk:
            raise ValidationError({"superseded_by": _("A standard cannot supersede itself.")})
        if old.status != StandardStatus.IN_FORCE:
            raise ValidationError(
                {"status": _("%(code)s is no longer in force.") % {"code": old.code}}
            )
        if new.status != StandardStatus.IN_FORCE:
            raise ValidationError(
                {
                    "superseded_by": _("%(code)s, the successor, is not in force.")
                    % {"code": new.code}
                }
            )
        if (new.year or 0) < (old.year or 0):
            raise ValidationError(
                {
                    "superseded_by": _("%(new)s is older than %(old)s.")
                    % {"new": new.code, "old": old.code}
                }
            )
        old.status = StandardStatus.SUPERSEDED
        old.superseded_by = new
        old.full_clean()
        _save_audited(old, actor)
    return old


def withdraw_standard(actor: User | None, standard: Standard, on: dt.date) -> Standard:
    """Record that ``standard`` was withdrawn (废止) on ``on`` without a successor."""
    _check_staff(actor)
    with transaction.atomic():
        standard = Standard.objects.select_for_update().get(pk=standard.pk)
        if standard.status != StandardStatus.IN_FORCE:
            raise ValidationError(
                {"status": _("%(code)s is no longer in force.") % {"code": standard.code}}
            )
        if standard.published_on is not None and on < standard.published_on:
            raise ValidationError(
                {"withdrawn_on": _("A standard cannot be withdrawn before its publication.")}
            )
        standard.status = StandardStatus.WITHDRAWN
        standard.withdrawn_on = on
        standard.full_clean()
        _save_audited(standard, actor)
    return standard


def _check_drafter_permission(actor: User | None, organization: Organization) -> None:
    if actor is None or is_system_actor(actor):
        return
    if not (
        permissions.is_staff_user(actor)
        and permissions.staff_regions(actor).filter(pk=organization.region_id).exists()
    ):
        raise PermissionDenied(
            _("You may record the standards of organizations in your region only.")
        )


def set_drafter(
    actor: User | None, standard: Standard, organization: Organization, role: str
) -> StandardDrafter:
    """Record (or change) a local organization's role among a standard's drafters."""
    _check_drafter_permission(actor, organization)
    if role not in DraftingRole.values:
        raise ValidationError({"role": _("Choose led or participated.")})
    with transaction.atomic():
        drafter = (
            StandardDrafter.objects.select_for_update()
            .filter(standard=standard, organization=organization)
            .first()
        ) or StandardDrafter(standard=standard, organization=organization)
        drafter.role = role
        drafter.full_clean()
        _save_audited(drafter, actor)
    return drafter


def remove_drafter(actor: User | None, standard: Standard, organization: Organization) -> None:
    _check_drafter_permission(actor, organization)
    with transaction.atomic():
        drafter = (
            StandardDrafter.objects.select_for_update()
            .filter(standard=standard, organization=organization)
            .first()
        )
        if drafter is None:
            return
        with acting_as(actor or system_actor()):
            drafter.delete()
