"""The figures departments submit (``dept.<department>.<figure>``), declared once.

One source per figure: a figure some app computes from its own records (the environment app's
tap-water and effluent pass rates from samples, ``water.*``; rapid tests, awards, honours) is
never also a department figure. Only figures that no app computes are declared here; each is
registered in the indicator registry by ``plans.indicators`` and its records are the approved
submissions behind it (docs/plans.md, "One source per figure").
"""

from __future__ import annotations

from dataclasses import dataclass

from zhizao.plans.choices import Aggregation


@dataclass(frozen=True)
class DepartmentFigure:
    code: str
    name: tuple[str, str]
    definition: tuple[str, str]
    unit: str
    direction: str
    aggregation: str
    source: str  # where the article (or the demo) takes it from


DEPARTMENT_FIGURES: tuple[DepartmentFigure, ...] = (
    DepartmentFigure(
        "dept.education.new_school_places",
        ("新增学位", "New school places"),
        (
            "教育部门报送并经审核的当年新增义务教育学位数。",
            "New compulsory-education school places the education bureau reported for the "
            "year, as approved.",
        ),
        "个",
        "higher",
        Aggregation.SUM,
        "article: 新增学位1.5万余个",
    ),
    DepartmentFigure(
        "dept.education.oversize_classes",
        ("义务教育大班额数", "Over-size classes in compulsory education"),
        (
            "教育部门报送并经审核的年末义务教育大班额（56人以上）班级数。",
            "Compulsory-education classes of more than 55 pupils at the year's end, as the "
            "education bureau reported and the bureau approved.",
        ),
        "个",
        "lower",
        Aggregation.LAST,
        "article: 大班额“清零”",
    ),
    DepartmentFigure(
        "dept.housing.lift_retrofits",
        ("既有住宅加装电梯", "Lifts added to existing housing"),
        (
            "住建部门报送并经审核的当年既有住宅加装电梯完工台数。",
            "Lifts completed in existing residential buildings in the year, as the housing "
            "bureau reported and the bureau approved.",
        ),
        "台",
        "higher",
        Aggregation.SUM,
        "article names the rules, not a count: demo value synthetic",
    ),
    DepartmentFigure(
        "dept.health.health_circle_coverage",
        ("15分钟健康服务圈覆盖率", "15-minute health-service circle coverage"),
        (
            "卫健部门报送并经审核的年末15分钟内可达基层医疗服务的居民比例。",
            "Share of residents within 15 minutes of a primary health service at the year's "
            "end, as the health commission reported and the bureau approved.",
        ),
        "%",
        "higher",
        Aggregation.LAST,
        "article: 居民15分钟健康服务圈 (no rate given: demo value synthetic)",
    ),
    DepartmentFigure(
        "dept.water.repair_timeliness",
        ("管网抢修及时率", "Timely water-main repairs"),
        (
            "供水企业报送并经审核的当年管网抢修及时率。",
            "Share of water-main repairs done in time in the year, as the water company "
            "reported and the bureau approved.",
        ),
        "%",
        "higher",
        Aggregation.LAST,
        "article: 管网抢修及时率100%",
    ),
)
BY_CODE = {figure.code: figure for figure in DEPARTMENT_FIGURES}
# Figures another app computes from its records: a department never submits them.
COMPUTED_ELSEWHERE_PREFIXES = ("water.", "rapidtest.", "awards.", "honours.", "environment.")
