"""The three administrators' pages (三员分立; security.permissions says who opens which) and
every account's password change."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhizao.core.actors import request_actor
from zhizao.core.exports import safe_row
from zhizao.core.filters import filter_query
from zhizao.core.models import User
from zhizao.security import permissions, services
from zhizao.security.choices import EventKind
from zhizao.security.filters import filter_events
from zhizao.security.forms import AccountForm, EventFilterForm, RoleForm, UnlockForm
from zhizao.security.models import SecurityEvent
from zhizao.security.passwords import password_expired, password_expires_at

EXPORT_HEADERS = ("seq", "at", "kind", "subject", "object", "result", "address", "digest")


def _events(request: HttpRequest) -> tuple[EventFilterForm, QuerySet[SecurityEvent]]:
    if not permissions.can_read_security_log(request.user):
        raise PermissionDenied
    form = EventFilterForm(request.GET or None)
    events: QuerySet[SecurityEvent] = SecurityEvent.objects.order_by("-seq")
    if form.is_valid():
        events = filter_events(events, form.cleaned_data)
    return form, events


@login_required
@require_http_methods(["GET"])
def events(request: HttpRequest) -> HttpResponse:
    """The security log, newest first, 50 a page: the audit administrator's."""
    form, events = _events(request)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query": filter_query(request.GET)}
    return render(request, "security/events.html", context)


@login_required
@require_http_methods(["GET"])
def events_export(request: HttpRequest) -> HttpResponse:
    """The filtered log as CSV (UTF-8 with BOM); the export itself is a security event."""
    _form, events = _events(request)
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(EXPORT_HEADERS)
    count = 0
    for event in events.iterator(chunk_size=2000):
        count += 1
        writer.writerow(
            safe_row(
                [
                    event.seq,
                    event.at.isoformat(),
                    event.kind,
                    event.subject,
                    event.object,
                    event.result,
                    event.address,
                    event.digest,
                ]
            )
        )
    services.record(
        EventKind.LOG_EXPORTED,
        user=request_actor(request),
        object="security log",
        request=request,
        detail={"events": count, "filter": request.GET.urlencode()},
    )
    response = HttpResponse("\ufeff" + text.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="security-log.csv"'
    return response


@login_required
@require_POST
def verify(request: HttpRequest) -> HttpResponse:
    """Run ``zhizao audit verify`` from the page; the run is a security event."""
    if not permissions.can_read_security_log(request.user):
        raise PermissionDenied
    result = services.verify()
    services.record(
        EventKind.LOG_VERIFIED,
        user=request_actor(request),
        object="security log",
        result="success" if result.intact else "failure",
        request=request,
        detail={"events": result.events, "broken_at": result.broken_at},
    )
    if result.intact:
        messages.success(
            request, _("The chain of %(count)d events is intact.") % {"count": result.events}
        )
    else:
        reason = result.reason_zh if request.LANGUAGE_CODE.startswith("zh") else result.reason_en
        messages.error(
            request, _("The security log was tampered with: %(reason)s") % {"reason": reason}
        )
    return redirect("security:events")


@login_required
@require_http_methods(["GET"])
def accounts(request: HttpRequest) -> HttpResponse:
    """Every account, for the system administrator (who opens and closes them) and the
    security administrator (who grants their roles)."""
    if not permissions.can_list_accounts(request.user):
        raise PermissionDenied
    users = User.objects.select_related("region", "organization").order_by("username")
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "role_form": RoleForm(),
        "unlock_form": UnlockForm(),
        "manages": permissions.can_manage_accounts(request.user),
        "assigns": permissions.can_assign_roles(request.user),
    }
    return render(request, "security/accounts.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def account_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_manage_accounts(request.user):
        raise PermissionDenied
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_account(request_actor(request), **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("Account opened; the security administrator grants its role.")
            )
            return redirect("security:accounts")
    return render(request, "security/account_form.html", {"form": form})


@login_required
@require_POST
def account_role(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.can_assign_roles(request.user):
        raise PermissionDenied
    user = get_object_or_404(User, pk=pk)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.assign_role(request_actor(request), user, form.cleaned_data["role"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Role of %(user)s changed.") % {"user": user.username})
    return redirect("security:accounts")


@login_required
@require_POST
def account_active(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.can_manage_accounts(request.user):
        raise PermissionDenied
    user = get_object_or_404(User, pk=pk)
    services.set_account_active(request_actor(request), user, not user.is_active)
    return redirect("security:accounts")


@login_required
@require_POST
def unlock(request: HttpRequest) -> HttpResponse:
    if not permissions.can_assign_roles(request.user):
        raise PermissionDenied
    form = UnlockForm(request.POST)
    if form.is_valid():
        username = form.cleaned_data["username"]
        lifted = services.unlock_account(request_actor(request), username, request)
        messages.success(
            request,
            _("%(count)d lockouts of %(user)s lifted.") % {"count": lifted, "user": username},
        )
    return redirect("security:accounts")


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    """Every account changes its password here; one that has expired is sent here and can do
    nothing else until it has (``PasswordExpiryMiddleware``)."""
    user = request_actor(request)
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)
        messages.success(request, _("Your password was changed."))
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
            target = ""
        return redirect(target or "core:landing")
    context = {
        "form": form,
        "expired": password_expired(user),
        "expires_at": password_expires_at(user),
        "next": request.GET.get("next", ""),
    }
    return render(request, "security/password_change.html", context)


def _add_errors(form: AccountForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error("password" if error.code != "unique" else None, error.messages)
