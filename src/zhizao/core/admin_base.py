"""The admin bases every app's staff console uses for models whose changes have services
(docs/decisions/0004-service-contract.md): such a model's admin is either read-only
(:class:`ReadOnlyAdmin`, :class:`ReadOnlyInline`) or saves and deletes through its services
(:class:`ServiceAdmin`), so that the staff console cannot change a record behind a service's
back (its permission check, lock, history user and messages).

A model with no service (a catalogue, a programme, a message template) keeps the plain
``SimpleHistoryAdmin``; ``core/tests/test_app_shape.py`` lists which is which.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponseRedirect
from simple_history.admin import SimpleHistoryAdmin

from zhizao.core.actors import request_actor
from zhizao.core.models import User

# Set on the request when a service refused the admin's save (see ServiceAdmin.save_model).
REFUSED = "_zhizao_service_refused"


def all_fields(model: Any) -> tuple[str, ...]:
    """The names of ``model``'s concrete fields, for a page that shows them all read-only."""
    return tuple(field.name for field in model._meta.concrete_fields)


class ReadOnlyMixin:
    """View and history only: no add, change or delete in the admin (the services make the
    changes; an admin action may call one)."""

    model: Any

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return all_fields(self.model)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(ReadOnlyMixin, SimpleHistoryAdmin):  # type: ignore[misc]
    """A model whose records change only through services: view and history only."""


class ReadOnlyInline(admin.TabularInline[Any, Any]):
    """An inline that shows records made by services; nothing is added, changed or deleted."""

    extra = 0
    can_delete = False
    show_change_link = False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.fields or all_fields(self.model)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ServiceAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    """A model whose add, change and delete pages go through its services, as the signed-in
    staff user. A subclass overrides the operations its app has services for; an operation it
    leaves alone is refused (no page, no button).

    The admin form validates first (field errors on the page, as usual); the service then
    checks the actor's right to the object (a refusal is the 403 page), locks, saves with the
    actor on the history row and sends its messages on commit. A rule only the service knows
    (a quota, a concurrent duplicate) comes back as an error message above the form, nothing
    saved and nothing logged. The service gets a fresh copy of the record, not the form's
    instance (which the form has already changed), so that it sees the old values."""

    def create_through_service(self, actor: User, data: dict[str, Any]) -> Model:
        raise NotImplementedError

    def update_through_service(self, actor: User, obj: Any, data: dict[str, Any]) -> Model:
        raise NotImplementedError

    def delete_through_service(self, actor: User, obj: Any) -> None:
        raise NotImplementedError

    def _overrides(self, name: str) -> bool:
        return getattr(type(self), name) is not getattr(ServiceAdmin, name)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._overrides("create_through_service") and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._overrides("update_through_service") and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._overrides("delete_through_service") and super().has_delete_permission(
            request, obj
        )

    def save_model(
        self, request: HttpRequest, obj: Any, form: ModelForm[Any], change: bool
    ) -> None:
        actor = request_actor(request)
        try:
            if change:
                data = {name: form.cleaned_data[name] for name in form.changed_data}
                fresh = type(obj)._default_manager.get(pk=obj.pk)
                saved = self.update_through_service(actor, fresh, data)
            else:
                data = {name: form.cleaned_data[name] for name in form.cleaned_data}
                saved = self.create_through_service(actor, data)
        except ValidationError as error:
            # A rule the form cannot see (a quota, a race for a unique number): the service
            # saved nothing; the page says why and offers the form again.
            setattr(request, REFUSED, True)
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        # The admin goes on with ``obj`` (its messages, the redirect, the log entry).
        obj.__dict__.update(
            {key: value for key, value in saved.__dict__.items() if not key.startswith("_")}
        )
        obj._state.adding = False

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        if getattr(request, REFUSED, False):
            return None
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        if getattr(request, REFUSED, False):
            return None
        return super().log_change(request, obj, message)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        if not getattr(request, REFUSED, False):
            super().save_related(request, form, formsets, change)

    def response_add(self, request: HttpRequest, obj: Any, post_url_continue: Any = None) -> Any:
        if getattr(request, REFUSED, False):
            return HttpResponseRedirect(request.get_full_path())
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request: HttpRequest, obj: Any) -> Any:
        if getattr(request, REFUSED, False):
            return HttpResponseRedirect(request.get_full_path())
        return super().response_change(request, obj)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self.delete_through_service(request_actor(request), obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        actor = request_actor(request)
        for obj in queryset:
            self.delete_through_service(actor, obj)
