"""The one-stop catalogue's full-text search (jieba + PostgreSQL GIN / SQLite FTS5): 20 requests
in each language whose expected service must rank in the top 3. Runs on either database."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from zhizao.core.actors import system_actor
from zhizao.nqi import search, services
from zhizao.nqi.catalogue import CATALOGUE

pytestmark = pytest.mark.django_db

ZH = [
    ("40 把扭力扳手线上审核前要校准", "计量器具校准"),
    ("卡尺和千分尺需要校准证书", "计量器具校准"),
    ("电子秤强制检定", "计量器具检定"),
    ("测量不确定度怎么评定", "测量系统分析与计量咨询"),
    ("硬质合金刀片出口欧盟需要哪些标准", "标准查新与适用标准咨询"),
    ("产品出口适用哪些技术法规", "标准查新与适用标准咨询"),
    ("想制定团体标准", "企业标准与团体标准制定辅导"),
    ("企业标准自我声明公开怎么办理", "企业标准与团体标准制定辅导"),
    ("采购技术规范怎么写", "采购技术条件与标准比对"),
    ("申请质量管理体系认证", "质量管理体系认证"),
    ("ISO 9001 认证审核", "质量管理体系认证"),
    ("办理 3C 认证", "产品认证（CCC 与自愿性认证）"),
    ("对供应商进行审核", "供应商审核与第二方审核"),
    ("企业实验室申请 CNAS 认可", "实验室认可与检验检测机构资质认定辅导"),
    ("牵引电机绝缘电阻检测", "轨道交通装备型式试验"),
    ("轨道交通部件振动试验", "轨道交通装备型式试验"),
    ("硬质合金硬度和密度检测", "硬质合金性能检测"),
    ("日用陶瓷铅镉溶出检测", "日用陶瓷安全检测"),
    ("原材料来料检验抽样方案", "来料检验与抽样检验"),
    ("售后故障件失效分析", "售后失效分析与质量问题诊断"),
]
EN = [
    ("our torque wrenches must be calibrated before the audit", "计量器具校准"),
    ("calibration certificate for calipers and micrometers", "计量器具校准"),
    ("verification of our electricity meters", "计量器具检定"),
    ("how do we evaluate measurement uncertainty", "测量系统分析与计量咨询"),
    ("our cemented-carbide inserts are exported to the EU: which standards apply?",
     "标准查新与适用标准咨询"),
    ("which regulations apply for CE marking", "标准查新与适用标准咨询"),
    ("we want to draft a group standard", "企业标准与团体标准制定辅导"),
    ("publish our enterprise standard declaration", "企业标准与团体标准制定辅导"),
    ("write a purchasing specification for suppliers", "采购技术条件与标准比对"),
    ("ISO 9001 quality management system certification", "质量管理体系认证"),
    ("certification audit of our quality system", "质量管理体系认证"),
    ("compulsory product certification CCC", "产品认证（CCC 与自愿性认证）"),
    ("second party audit of a supplier", "供应商审核与第二方审核"),
    ("CNAS accreditation for our laboratory", "实验室认可与检验检测机构资质认定辅导"),
    ("insulation resistance test of a traction motor", "轨道交通装备型式试验"),
    ("vibration type test for rail equipment", "轨道交通装备型式试验"),
    ("hardness and density of carbide rods", "硬质合金性能检测"),
    ("lead and cadmium release of ceramic tableware", "日用陶瓷安全检测"),
    ("incoming inspection sampling of raw material", "来料检验与抽样检验"),
    ("failure analysis of parts returned after sales", "售后失效分析与质量问题诊断"),
]  # fmt: skip


@pytest.fixture
def catalogue(personas: Any) -> None:
    system = system_actor()
    for entry in CATALOGUE:
        services.create_offering(
            system,
            {
                "title": entry.title,
                "title_en": entry.title_en,
                "description": entry.description,
                "description_en": entry.description_en,
                "keywords": entry.keywords,
                "element": entry.element,
                "stage": entry.stage,
            },
            [
                {
                    "provider": personas.provider_org,
                    "price_min": Decimal(1),
                    "price_max": Decimal(2),
                    "promised_days": 3,
                }
            ],
        )


@pytest.mark.parametrize(("text", "expected"), ZH + EN)
def test_expected_service_ranks_in_the_top_three(catalogue: None, text: str, expected: str) -> None:
    top = [hit.offering.title for hit in search.rank(text, 3)]
    assert expected in top, (connection.vendor, text, top)


def test_it_is_word_search_not_substring(catalogue: None) -> None:
    assert search.terms("40 把扭力扳手线上审核前要校准")[:1] == ["40"]
    assert "扭力扳手" in search.terms("40 把扭力扳手线上审核前要校准")
    assert search.terms("Calibration calibrated calibrate") == ["calibrat"]
    assert search.rank("的 了 the of") == []  # stop words only: nothing
    assert search.rank("xyzzy") == []
