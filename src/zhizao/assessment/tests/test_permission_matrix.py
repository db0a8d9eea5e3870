"""The assessment's rows of the persona × action permission matrix."""

import pytest

from zhizao.assessment.tests.permission_matrix import PERMISSIONS, scenario
from zhizao.core.testing import check_rule, matrix_params

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("rule", "names"), matrix_params(PERMISSIONS))
def test_assessment_permission_matrix(personas, rule, names):
    check_rule(rule, personas, scenario(personas), names)
