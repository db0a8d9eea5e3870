"""The security pages' rows of the persona × action permission matrix."""

import pytest

from zhizao.core.testing import check_rule, matrix_params
from zhizao.security.tests.permission_matrix import PERMISSIONS, scenario

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("rule", "names"), matrix_params(PERMISSIONS))
def test_security_permission_matrix(personas, rule, names):
    check_rule(rule, personas, scenario(personas), names)
