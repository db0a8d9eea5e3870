"""The persona × action permission matrix: core's rules, and the check that every page and API
operation of every app has one (so a new page or endpoint without an entry fails here)."""

import pytest
from django.urls import reverse

from zhizao.core.models import Organization
from zhizao.core.testing import (
    PERSONAS,
    api_operations,
    check_rule,
    matrix_params,
    matrix_rules,
    page,
    page_names,
)
from zhizao.core.tests.permission_matrix import PERMISSIONS, SEES_A, scenario

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("rule", "names"), matrix_params(PERMISSIONS))
def test_core_permission_matrix(personas, rule, names):
    check_rule(rule, personas, scenario(personas), names)


def test_every_page_and_api_operation_has_a_rule(client):
    rules = matrix_rules()
    operations = api_operations(client)
    pages = page_names(operations)
    targets = {rule.target for rule in rules}
    assert not sorted(pages - targets), "pages without a rule in any permission_matrix.py"
    assert not sorted(operations - targets), "API operations without a rule"
    stale = targets - pages - operations - {"admin:*"}
    assert not sorted(stale), "rules of pages or operations that no longer exist"


@pytest.mark.urls("zhizao.core.tests.urls_unlisted")
def test_a_page_or_operation_without_a_rule_is_caught(client):
    operations = api_operations(client)
    assert "GET /api/v1/unlisted" in operations
    targets = {rule.target for rule in matrix_rules()}
    assert "unlisted" in page_names(operations) - targets
    assert "GET /api/v1/unlisted" in operations - targets


def test_a_wrong_cell_fails_naming_the_persona(personas):
    wrong = page("core:organization_detail", kwargs=lambda s: {"pk": s.org_b.pk}, allow=SEES_A)
    with pytest.raises(AssertionError) as failure:
        check_rule(wrong, personas, scenario(personas), PERSONAS)
    url = reverse("core:organization_detail", args=[personas.org_b.pk])
    message = str(failure.value)
    assert f"{url} district_officer: expected 200, got 403" in message
    assert f"{url} bob: expected 403, got 200" in message
    assert f"{url} alice: expected 200, got 403" in message
    assert f"{url} officer:" not in message  # the right cells are not reported


def test_each_cell_starts_from_the_same_records(personas):
    # The officer's POST (a new organization) is rolled back before the next persona's turn.
    rule = next(r for r in PERMISSIONS if r.id == "POST /api/v1/organizations [in 天元区]")
    before = Organization.objects.count()
    check_rule(rule, personas, scenario(personas), ["officer", "district_officer", "admin"])
    assert Organization.objects.count() == before


def test_known_bug_cells_run_apart_as_strict_xfails():
    rule = page("core:home", bugs={"bob": "example"})
    params = matrix_params([rule])
    assert [p.values[1] for p in params] == [
        tuple(name for name in PERSONAS if name != "bob"),
        ("bob",),
    ]
    (mark,) = params[1].marks
    assert mark.name == "xfail"
    assert mark.kwargs == {"strict": True, "reason": "bug: example"}
