"""Reading the audit trail kept by django-simple-history: who changed what, when, and how.

The audit log shows a user only the changes of records they may see on the records' own pages:
each audited model names its scoping method in :data:`SCOPES` (the same ``*_visible_to``
functions the views and the API use). A model without one is shown to superusers only. A
record's history is scoped through the live record, so the changes of a deleted record are
shown to superusers only.

The log is one query for the page (a ``UNION`` of the history tables, filtered and scoped in
SQL), one for the count, and two per record type on the page (its rows with the id of each
row's previous version, and those previous versions): never one per row.

Logins are not user changes: :func:`record_login` sets ``last_login`` without a history row and
logs the login as a security event (django-axes keeps every attempt in its access log)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import CharField, OuterRef, QuerySet, Subquery, Value
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import registered_models

from zhizao.core.choices import Role

security_log = logging.getLogger("zhizao.security")

ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}

AnyUser = Any  # User | AnonymousUser (core.permissions.AnyUser; imported lazily)
Scope = Callable[[AnyUser], QuerySet[Any]]


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class AuditEntry:
    when: datetime
    who: str
    action: str
    record_type: str
    record: str
    changes: tuple[FieldChange, ...]
    reason: str


@dataclass(frozen=True)
class AuditFilter:
    """What the audit page asks for; every field optional."""

    who: str = ""
    model: str = ""  # "app_label.model_name"
    record_id: int | None = None
    since: date | None = None
    until: date | None = None


@cache
def _scopes() -> dict[str, Scope]:
    """Audited model ("app_label.model_name") → the scoping method of its own pages."""
    from zhizao.awards import permissions as awards
    from zhizao.core import permissions as core
    from zhizao.enterprise import permissions as enterprise
    from zhizao.funds import permissions as funds
    from zhizao.rapidtest import permissions as rapidtest

    def everything(model: str) -> Scope:
        def scope(user: AnyUser) -> QuerySet[Any]:
            return _model(model)._default_manager.all()

        return scope

    def of_markets(model: str, field: str) -> Scope:
        def scope(user: AnyUser) -> QuerySet[Any]:
            markets = rapidtest.private_markets(user)
            return _model(model)._default_manager.filter(**{f"{field}__in": markets})

        return scope

    def of_applications(model: str, field: str = "application") -> Scope:
        def scope(user: AnyUser) -> QuerySet[Any]:
            applications = awards.applications_visible_to(user)
            return _model(model)._default_manager.filter(**{f"{field}__in": applications})

        return scope

    def of_results(model: str) -> Scope:
        def scope(user: AnyUser) -> QuerySet[Any]:
            results = awards.results_visible_to(user)
            return _model(model)._default_manager.filter(result__in=results)

        return scope

    def of_fund_applications(model: str) -> Scope:
        def scope(user: AnyUser) -> QuerySet[Any]:
            applications = funds.applications_visible_to(user)
            return _model(model)._default_manager.filter(application__in=applications)

        return scope

    return {
        # Public reference data: every officer may read its changes.
        "core.region": everything("core.region"),
        "registry.honour": everything("registry.honour"),
        "rapidtest.product": everything("rapidtest.product"),
        "rapidtest.testitem": everything("rapidtest.testitem"),
        "awards.awardprogramme": everything("awards.awardprogramme"),
        "awards.awardedition": everything("awards.awardedition"),
        "awards.publicnotice": everything("awards.publicnotice"),
        # Records with private fields: the same rules as their pages.
        "core.organization": core.organizations_with_private_access,
        "core.person": core.people_visible_to,
        "core.user": core.users_visible_to,
        "rapidtest.marketprofile": of_markets("rapidtest.marketprofile", "organization"),
        "rapidtest.stall": of_markets("rapidtest.stall", "market"),
        "rapidtest.followupcase": of_markets("rapidtest.followupcase", "market"),
        "rapidtest.roomquota": of_markets("rapidtest.roomquota", "market"),
        "awards.application": awards.applications_visible_to,
        "awards.selfassessment": of_applications("awards.selfassessment"),
        "awards.attachment": of_applications("awards.attachment"),
        "awards.assessorassignment": of_applications("awards.assessorassignment"),
        "awards.score": of_applications("awards.score", "assignment__application"),
        "awards.consensusscore": of_applications("awards.consensusscore"),
        "awards.transition": of_applications("awards.transition"),
        "awards.feedbackentry": of_applications("awards.feedbackentry"),
        "awards.objection": of_applications("awards.objection"),
        "awards.awardresult": awards.results_visible_to,
        "awards.validityreview": of_results("awards.validityreview"),
        "funds.fundprogramme": everything("funds.fundprogramme"),
        "funds.fundapplication": funds.applications_visible_to,
        "funds.funddocument": of_fund_applications("funds.funddocument"),
        "funds.fundgrant": funds.grants_visible_to,
        "funds.fundpayment": funds.payments_visible_to,
        "enterprise.qualityevent": everything("enterprise.qualityevent"),
        "enterprise.eventmaterial": everything("enterprise.eventmaterial"),
        "enterprise.eventparticipation": enterprise.participations_with_names,
        "enterprise.chiefqualityofficer": enterprise.officers_visible_to,
        "enterprise.enterpriseperformance": enterprise.performance_visible_to,
        # Not listed (shown to superusers only): message templates, conflict declarations.
    }


def _label(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def _model(label: str) -> type[models.Model]:
    from django.apps import apps

    return apps.get_model(label)


def audited_models() -> list[type[models.Model]]:
    """Every model with a history, in a stable order."""
    return sorted(registered_models.values(), key=_label)


def model_choices() -> list[tuple[str, str]]:
    return [(_label(model), str(model._meta.verbose_name)) for model in audited_models()]


def _history_rows(model: type[models.Model], user: AnyUser, query: AuditFilter) -> QuerySet[Any]:
    """The history rows of ``model`` this user may see and the filter asks for."""
    history_model: Any = getattr(model, "history").model  # noqa: B009 - added by simple_history
    rows: QuerySet[Any] = history_model.objects.all()
    if not (user.is_superuser or user.role == Role.AUDIT_ADMIN):  # 三员分立: reads all
        scope = _scopes().get(_label(model))
        if scope is None:
            return rows.none()
        rows = rows.filter(id__in=scope(user).values("pk"))
    if query.who:
        rows = rows.filter(history_user__username__icontains=query.who)
    if query.record_id is not None:
        rows = rows.filter(id=query.record_id)
    zone = timezone.get_current_timezone()
    if query.since:
        rows = rows.filter(history_date__gte=datetime.combine(query.since, time.min, zone))
    if query.until:
        end = datetime.combine(query.until + timedelta(days=1), time.min, zone)
        rows = rows.filter(history_date__lt=end)
    return rows


def changes_visible_to(user: AnyUser, query: AuditFilter | None = None) -> QuerySet[Any]:
    """The audit log's rows as ``(history_date, history_id, model label)`` tuples, newest first:
    one ``UNION ALL`` over the history tables, ready to count and slice (paginate)."""
    query = query or AuditFilter()
    models_ = [m for m in audited_models() if not query.model or _label(m) == query.model]
    if isinstance(user, AnonymousUser) or not user.is_authenticated or not models_:
        return _nothing()
    parts = [
        _history_rows(model, user, query)
        .annotate(audited_model=Value(_label(model), output_field=CharField()))
        .values_list("history_date", "history_id", "audited_model")
        .order_by()
        for model in models_
    ]
    first, *rest = parts
    union: QuerySet[Any] = first.union(*rest, all=True)
    return union.order_by("-history_date", "-history_id")


def _nothing() -> QuerySet[Any]:
    model: Any = getattr(audited_models()[0], "history").model  # noqa: B009
    nothing: QuerySet[Any] = model.objects.none().values_list(
        "history_date", "history_id", "history_type"
    )
    return nothing


def _related_paths(model: type[models.Model], depth: int = 3) -> list[str]:
    """``select_related`` paths for the foreign keys a record's ``__str__`` may follow."""
    paths: list[str] = []
    for field in model._meta.fields:
        if not (field.many_to_one or field.one_to_one) or field.related_model is None:
            continue
        if field.name == "history_user":
            continue
        paths.append(field.name)
        if depth > 1:
            target: Any = field.related_model
            paths.extend(
                f"{field.name}__{sub}"
                for sub in _related_paths(target, depth - 1)
                if not target._meta.get_field(sub.split("__")[0]).null
            )
    return paths


def _instance(historical: Any) -> models.Model:
    """The record as it was, without the query simple-history's ``instance`` makes for
    excluded fields; related records come from the history row's ``select_related``."""
    model = historical.instance_type
    instance: models.Model = model(
        **{field.attname: getattr(historical, field.attname) for field in historical.tracked_fields}
    )
    instance._state.adding = False
    for name, value in historical._state.fields_cache.items():
        if name != "history_user" and value is not None:
            instance._state.fields_cache[name] = value
    return instance


def _describe(historical: Any) -> str:
    """The record's name as it was; a record whose related records are gone since is named by
    its id (one stored value never breaks the page)."""
    try:
        return str(_instance(historical))
    except (ObjectDoesNotExist, AttributeError, TypeError, ValueError):
        return f"#{historical.id}"


def _shown(field: Any, value: Any) -> Any:
    """A stored choice by its label in the user's language (企业用户, not "enterprise")."""
    choices = dict(field.flatchoices) if getattr(field, "choices", None) else {}
    return choices.get(value, value)


def _entry(historical: Any, previous: Any | None) -> AuditEntry:
    changes: tuple[FieldChange, ...] = ()
    if previous is not None and historical.history_type == "~":
        delta = historical.diff_against(previous)
        model = historical.instance_type
        changes = tuple(
            FieldChange(
                field=str(model._meta.get_field(change.field).verbose_name),
                old=_shown(model._meta.get_field(change.field), change.old),
                new=_shown(model._meta.get_field(change.field), change.new),
            )
            for change in delta.changes
        )
    user = historical.history_user
    return AuditEntry(
        when=historical.history_date,
        who=user.get_username() if user is not None else str(_("system")),
        action=str(ACTIONS.get(historical.history_type, historical.history_type)),
        record_type=str(historical.instance_type._meta.verbose_name),
        record=_describe(historical),
        changes=changes,
        reason=historical.history_change_reason or "",
    )


def entries_for(rows: Iterable[tuple[datetime, int, str]]) -> list[AuditEntry]:
    """Audit entries for a page of :func:`changes_visible_to`, in its order."""
    page = list(rows)
    by_model: dict[str, list[int]] = {}
    for _when, history_id, label in page:
        by_model.setdefault(label, []).append(history_id)
    loaded: dict[tuple[str, int], AuditEntry] = {}
    for label, ids in by_model.items():
        model = _model(label)
        history_model: Any = getattr(model, "history").model  # noqa: B009
        previous_id = (
            history_model.objects.filter(
                id=OuterRef("id"), history_date__lt=OuterRef("history_date")
            )
            .order_by("-history_date", "-history_id")
            .values("history_id")[:1]
        )
        related = ["history_user", *_related_paths(history_model)]
        found: list[Any] = list(
            history_model.objects.filter(history_id__in=ids)
            .select_related(*related)
            .annotate(previous_history_id=Subquery(previous_id))
        )
        wanted = [row.previous_history_id for row in found if row.history_type == "~"]
        previous = {
            row.history_id: row
            for row in history_model.objects.filter(history_id__in=[i for i in wanted if i])
        }
        for row in found:
            before = previous.get(row.previous_history_id)
            if not _is_empty_user_change(row, before):
                loaded[(label, row.history_id)] = _entry(row, before)
    return [
        loaded[(label, history_id)]
        for _when, history_id, label in page
        if (label, history_id) in loaded
    ]


def record_changes(instance: models.Model) -> list[AuditEntry]:
    """The history of one record, newest first, each with the fields it changed."""
    history: Any = getattr(instance, "history")  # noqa: B009 - added by simple_history
    related = ["history_user", *_related_paths(history.model)]
    rows = list(history.select_related(*related).order_by("history_date", "history_id"))
    entries = [
        _entry(row, before)
        for row, before in zip(rows, [None, *rows[:-1]], strict=True)
        if not _is_empty_user_change(row, before)
    ]
    return entries[::-1]


def _is_empty_user_change(historical: Any, previous: Any | None) -> bool:
    """A "changed user" row that changes nothing the history tracks: what a login stored
    before logins stopped saving the user (``last_login`` is not tracked). Migration
    ``core.0003`` deleted the old ones; the log skips any left (rows with a reason are kept)."""
    return (
        previous is not None
        and historical.history_type == "~"
        and _label(historical.instance_type) == "core.user"
        and not historical.history_change_reason
        and not historical.diff_against(previous).changes
    )


def record_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """``user_logged_in``: note the login time without a history row (a login is not a change of
    the user record) and log the login as a security event."""
    now = timezone.now()
    type(user)._default_manager.filter(pk=user.pk).update(last_login=now)
    user.last_login = now
    address = client_address(request) if request is not None else ""
    security_log.info("login succeeded: user=%s address=%s", user.get_username(), address)


def client_address(request: HttpRequest) -> str:
    """The client's IP address for login throttling and the security log: the address the
    reverse proxy appended last to ``X-Forwarded-For`` when ``ZHIZAO_BEHIND_PROXY`` is set (the
    entries before it are the client's word and could be forged), else ``REMOTE_ADDR``."""
    from django.conf import settings

    if settings.ZHIZAO_BEHIND_PROXY:
        header = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
        forwarded = [part.strip() for part in header.split(",")]
        if forwarded and forwarded[-1]:
            return forwarded[-1]
    return str(request.META.get("REMOTE_ADDR", ""))
