"""The permission matrix of plans and department submissions (docs/plans.md): plans are public;
tasks are seen by the city's staff and the departments on them; a department user (``clerk``)
sees and enters only its own department's submissions; the city's bureau staff review them."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from zhizao.core.testing import (
    CITY_STAFF,
    FORBIDDEN,
    LOGGED_IN,
    NOT_FOUND,
    REDIRECT,
    Personas,
    operation,
    page,
)
from zhizao.plans.tests import factories

OWN = frozenset({"clerk", "admin"})
OWN_AND_CITY_STAFF = OWN | CITY_STAFF
USERS = frozenset({"officer", "district_officer", "clerk", "admin"})


def scenario(personas: Personas) -> SimpleNamespace:
    other = factories.department("测试市住建局", personas.city)
    own_set = factories.education_data_set(personas.department)
    other_set = factories.education_data_set(other, suffix="（住建）")
    own = factories.approved(own_set, "2020", (1000, ""), (5, ""))
    theirs = factories.approved(other_set, "2020", (1000, ""), (5, ""))
    plan, own_task = factories.plan_with_task(
        personas.city, personas.department, deadline=date(2021, 12, 31)
    )
    _plan, other_task = factories.plan_with_task(personas.city, other, deadline=date(2021, 12, 31))
    return SimpleNamespace(
        p=personas,
        own_set=own_set,
        other_set=other_set,
        own=own,
        theirs=theirs,
        own_evidence=own.evidence.get(),
        their_evidence=theirs.evidence.get(),
        plan=plan,
        own_task=own_task,
        other_task=other_task,
    )


# Who reaches a department's object: its own user, the city's staff and the superuser; others
# get 404 (the object is not visible to them) and anonymous visitors the login page.
PERMISSIONS = [
    page("plans:plans"),
    page("plans:plan", kwargs=lambda s: {"pk": s.plan.pk}),
    page(
        "plans:task",
        kwargs=lambda s: {"pk": s.own_task.pk},
        label="own department's task",
        allow=OWN_AND_CITY_STAFF,
        deny=NOT_FOUND,
    ),
    page(
        "plans:task",
        kwargs=lambda s: {"pk": s.other_task.pk},
        label="another department's task",
        allow=CITY_STAFF,
        deny=NOT_FOUND,
    ),
    page(
        "plans:task",
        kwargs=lambda s: {"pk": s.own_task.pk},
        label="report progress",
        method="post",
        body=lambda s, persona: {"period": "2021", "text": "完成"},
        allow=OWN,
        ok=REDIRECT,
        deny=NOT_FOUND,
        cells={"officer": FORBIDDEN},
    ),
    page("plans:submissions", allow=USERS),
    page(
        "plans:submission",
        kwargs=lambda s: {"pk": s.own.pk},
        label="own department",
        allow=OWN_AND_CITY_STAFF,
        deny=NOT_FOUND,
    ),
    page(
        "plans:submission",
        kwargs=lambda s: {"pk": s.theirs.pk},
        label="another department",
        allow=CITY_STAFF,
        deny=NOT_FOUND,
    ),
    page(
        "plans:review",
        kwargs=lambda s: {"pk": s.own.pk},
        method="post",
        body=lambda s, persona: {"action": "unlock", "reason": "更正"},
        allow=CITY_STAFF,
        ok=REDIRECT,
        deny=NOT_FOUND,
        cells={"clerk": FORBIDDEN},
    ),
    page(
        "plans:entry",
        kwargs=lambda s: {"data_set_pk": s.own_set.pk, "period": "2021"},
        label="own department",
        allow=OWN,
        deny=NOT_FOUND,
        cells={"officer": FORBIDDEN},
    ),
    page(
        "plans:entry",
        kwargs=lambda s: {"data_set_pk": s.other_set.pk, "period": "2021"},
        label="another department",
        allow={"admin"},
        deny=NOT_FOUND,
        cells={"officer": FORBIDDEN},
    ),
    page(
        "plans:template",
        kwargs=lambda s: {"pk": s.own_set.pk},
        allow=OWN_AND_CITY_STAFF,
        deny=NOT_FOUND,
    ),
    page(
        "plans:import",
        kwargs=lambda s: {"pk": s.own_set.pk},
        method="post",
        body=lambda s, persona: {},
        allow=OWN,
        ok=REDIRECT,
        deny=NOT_FOUND,
        cells={"officer": FORBIDDEN},
    ),
    page(
        "plans:evidence",
        kwargs=lambda s: {"pk": s.own_evidence.pk},
        label="own department",
        allow=OWN_AND_CITY_STAFF,
        deny=NOT_FOUND,
    ),
    page(
        "plans:evidence",
        kwargs=lambda s: {"pk": s.their_evidence.pk},
        label="another department",
        allow=CITY_STAFF,
        deny=NOT_FOUND,
    ),
    page("plans:completeness", allow={"officer", "district_officer", "admin"}),
    operation("GET /api/v1/plans/plans"),
    operation("GET /api/v1/plans/submissions", allow=LOGGED_IN),
]
