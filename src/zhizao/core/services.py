"""Every change of a core record goes through a function here: permission-checked, validated,
atomic and audited (django-simple-history records who changed what, through
:func:`zhizao.core.actors.acting_as`). The contract every app follows:
docs/decisions/0004-service-contract.md."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhizao.core import permissions
from zhizao.core.actors import SYSTEM_USERNAME, acting_as, system_actor
from zhizao.core.models import ApiToken, Organization, Person, Region, User
from zhizao.core.validators import normalise_credit_code

ORGANIZATION_FIELDS = (
    "name",
    "name_en",
    "credit_code",
    "kind",
    "region",
    "industry_chain",
    "parent",
    "address",
    "contact_name",
    "contact_phone",
    "contact_email",
    "is_synthetic",
)


# Called after an organization's group (its parent) or a person's organization changed, with
# the actor and the primary keys concerned: apps whose rules depend on who belongs where (the
# awards' conflicts of interest) re-check them. Apps register in their AppConfig.ready().
AffiliationHook = Callable[..., object]
AFFILIATION_HOOKS: list[AffiliationHook] = []


def on_affiliation_change(hook: AffiliationHook) -> None:
    if hook not in AFFILIATION_HOOKS:
        AFFILIATION_HOOKS.append(hook)


def affiliation_changed(
    actor: User | None, *, organizations: Collection[int] = (), people: Collection[int] = ()
) -> None:
    for hook in AFFILIATION_HOOKS:
        hook(actor, organizations=set(organizations), people=set(people))


def _save_audited(instance: Any, actor: User) -> None:
    """Save an already validated record with the actor recorded in its history."""
    try:
        with transaction.atomic(), acting_as(actor):
            instance.save()
    except IntegrityError as error:  # a concurrent writer won the race for a unique value
        raise ValidationError(_("This record duplicates an existing one.")) from error


def _apply(instance: Organization, data: Mapping[str, Any], allowed: frozenset[str] | None) -> None:
    unknown = set(data) - set(ORGANIZATION_FIELDS)
    if unknown:
        raise ValidationError({field: [_("Unknown field.")] for field in sorted(unknown)})
    if allowed is not None:
        refused = {field for field in data if field not in allowed}
        if refused:
            raise PermissionDenied(
                _("You may change only the contact details of your own organization.")
            )
    for field, value in data.items():
        if field == "credit_code" and isinstance(value, str):
            value = normalise_credit_code(value)
        setattr(instance, field, value)


def create_organization(actor: User, data: Mapping[str, Any]) -> Organization:
    region = data.get("region")
    if not permissions.can_create_organization(
        actor, region if isinstance(region, Region) else None
    ):
        raise PermissionDenied(_("You may not register organizations in this region."))
    organization = Organization()
    _apply(organization, data, allowed=None)
    organization.full_clean()
    _save_audited(organization, actor)
    return organization


def update_organization(
    actor: User, organization: Organization, data: Mapping[str, Any]
) -> Organization:
    if not permissions.can_change_organization(actor, organization):
        raise PermissionDenied(_("You may not change this organization."))
    allowed = (
        None if permissions.is_staff_user(actor) else permissions.ORGANIZATION_SELF_SERVICE_FIELDS
    )
    old_parent = organization.parent_id
    _apply(organization, data, allowed=allowed)
    new_region = organization.region if organization.region_id else None
    if (
        allowed is None
        and new_region is not None
        and not permissions.can_create_organization(actor, new_region)
    ):
        raise PermissionDenied(_("You may not move an organization outside your region."))
    organization.full_clean()
    _save_audited(organization, actor)
    if organization.parent_id != old_parent:
        affiliation_changed(
            actor, organizations={organization.pk} | {pk for pk in (old_parent,) if pk}
        )
    return organization


def delete_organization(actor: User, organization: Organization) -> None:
    if not permissions.can_delete_organization(actor, organization):
        raise PermissionDenied(_("You may not delete this organization."))
    try:
        with transaction.atomic(), acting_as(actor):
            organization.delete()
    except IntegrityError as error:  # includes ProtectedError
        raise ValidationError(
            _("This organization is still referenced by other records and cannot be deleted.")
        ) from error


def save_person(actor: User, person: Person, data: Mapping[str, Any]) -> Person:
    old_organization = person.organization_id
    for field, value in data.items():
        setattr(person, field, value)
    if not permissions.can_change_person(actor, person):
        raise PermissionDenied(_("You may not change this person's record."))
    person.full_clean()
    _save_audited(person, actor)
    if person.organization_id != old_organization:
        affiliation_changed(actor, people={person.pk})
    return person


def create_user(
    *,
    username: str,
    password: str | None,
    role: str,
    region: Region | None = None,
    organization: Organization | None = None,
    email: str = "",
    actor: User | None = None,
    is_superuser: bool = False,
) -> User:
    """Create a login. ``actor`` None is the console (``zhizao createuser``, the demo loader):
    the system actor signs the history row."""
    if username == SYSTEM_USERNAME:
        raise ValidationError({"username": [_("This username is reserved for the system.")]})
    user = User(
        username=username,
        role=role,
        region=region,
        organization=organization,
        email=email,
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    with transaction.atomic(), acting_as(actor or system_actor()):
        user.save()
    return user


def issue_api_token(actor: User, user: User, name: str) -> str:
    """Issue a token for ``user`` and return the raw key (shown once, kept only as a hash)."""
    if actor.pk != user.pk and not actor.is_superuser:
        raise PermissionDenied(_("You may issue tokens only for yourself."))
    _token, raw = ApiToken.issue(user, name)
    return raw


def revoke_api_token(actor: User, token: ApiToken) -> ApiToken:
    """Revoke ``token`` (its user or a superuser); revoking a revoked token changes nothing."""
    if actor.pk != token.user_id and not actor.is_superuser:
        raise PermissionDenied(_("You may revoke only your own tokens."))
    with transaction.atomic(), acting_as(actor):
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.save(update_fields=["revoked_at"])
    return locked
