"""Personal data never reaches the public (PIPL; GB/T 22239 个人信息保护): every page and API
operation that an anonymous visitor may open — taken from the permission matrix, which every
named URL pattern and OpenAPI operation must have a rule in — is fetched with each app's real
records, after every personal field of those records was given a distinctive value (names of
stall operators, testers, chief quality officers and contacts; ID and phone numbers), and none
of those values may appear. A new public page or operation is scanned as soon as it has its
matrix rule."""

from __future__ import annotations

import importlib
import json
from typing import Any

import pytest
from django.apps import apps
from django.db import models, transaction
from django.test import Client

from zhizao.core.testing import OK, Rule

pytestmark = pytest.mark.django_db

NAME = "欧阳锦绣"
PHONE = "13987654321"
ID_NUMBER = "430202199001011234"
# Every field that holds a person's name, ID or phone number, by name, in any app's models.
PERSONAL_FIELDS = {
    "contact_name": NAME,
    "contact_phone": PHONE,
    "phone": PHONE,
    "operator_name": NAME,
    "operator_code": ID_NUMBER,
    "tester_name": NAME,
    "person_name": NAME,
    "objector_name": NAME,
    "objector_contact": PHONE,
}
PERSON_NAME = "司马青云"  # core.Person.name: award winners' and chief quality officers' names


def _mark_personal_values() -> list[str]:
    """Give every stored personal field a distinctive value; the names of the fields set."""
    touched = []
    for model in apps.get_models():
        if not model.__module__.startswith("zhizao.") or model._meta.label.startswith(
            "core.Historical"
        ):
            continue
        names = {f.name for f in model._meta.concrete_fields}
        values = {
            name: value[: model._meta.get_field(name).max_length or len(value)]
            for name, value in PERSONAL_FIELDS.items()
            if name in names and isinstance(model._meta.get_field(name), models.CharField)
        }
        if model._meta.label == "core.Person":
            values["name"] = PERSON_NAME
        if values and not model.__name__.startswith("Historical"):
            model._default_manager.all().update(**values)
            touched += [f"{model._meta.label}.{name}" for name in values]
    return touched


def _personal_records(personas: Any) -> None:
    """One record of each kind that names a person, for org A and the market, whatever each
    app's scenario made: a chief quality officer, an event participant, a stall's operator."""
    import datetime as dt

    from zhizao.core.models import Person
    from zhizao.enterprise.models import ChiefQualityOfficer, EventParticipation, QualityEvent
    from zhizao.rapidtest.models import Stall

    person = Person.objects.create(name=PERSON_NAME, organization=personas.org_a, phone=PHONE)
    ChiefQualityOfficer.objects.create(
        person=person, organization=personas.org_a, appointed_on=dt.date(2021, 1, 1)
    )
    event = QualityEvent.objects.create(
        kind="training",
        topic="首席质量官培训",
        organizer="株洲市市场监督管理局",
        region=personas.city,
        held_on=dt.date(2021, 9, 1),
    )
    EventParticipation.objects.create(
        event=event, organization=personas.org_a, person=person, person_name=NAME
    )
    Stall.objects.create(
        market=personas.market, booth_number="Z9", operator_name=NAME, operator_code=ID_NUMBER
    )


def _public(rule: Rule) -> bool:
    return rule.method == "get" and rule.expected("anonymous") == OK


def _body(response: Any) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = content.decode("utf-8", errors="replace")
    if response.get("Content-Type", "").startswith("application/json"):
        text = json.dumps(response.json(), ensure_ascii=False)
    return text


def _matrix_modules() -> list[Any]:
    found = []
    for config in apps.get_app_configs():
        if config.name.startswith("zhizao."):
            try:
                found.append(importlib.import_module(f"{config.name}.tests.permission_matrix"))
            except ModuleNotFoundError:
                continue
    return found


def test_no_public_page_or_api_operation_shows_personal_data(personas):
    leaks: list[str] = []
    scanned = 0
    for module in _matrix_modules():
        public = [rule for rule in module.PERMISSIONS if _public(rule)]
        if not public:
            continue
        with transaction.atomic():
            scenario = module.scenario(personas)
            _personal_records(personas)
            touched = _mark_personal_values()
            assert "core.Organization.contact_phone" in touched
            for rule in public:
                for url in rule.resolve(scenario):
                    response = Client().get(url)
                    scanned += 1
                    if response.status_code != 200:
                        continue
                    body = _body(response)
                    for value in (NAME, PHONE, ID_NUMBER, PERSON_NAME, PHONE[-4:] + "1"):
                        if value in body:
                            leaks.append(f"{url}: shows {value}")
            transaction.set_rollback(True)
    assert scanned > 40, scanned
    assert not leaks, "\n".join(leaks)


def test_the_marked_values_are_there_for_those_allowed_to_see_them(personas):
    # The control of the scan above: the same marking, read by the organization's bureau
    # officer, shows the values (so their absence from the public pages means something).
    _mark_personal_values()
    page = personas.client("officer").get(f"/console/organizations/{personas.org_a.pk}/")
    body = page.content.decode()
    assert PHONE in body
    assert NAME in body
