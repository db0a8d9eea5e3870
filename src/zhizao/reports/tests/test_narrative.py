"""The narrative: templates filled from figures, refusing unknown codes, leaving out a sentence
whose figure has no value (with a note), markup stripped; the sections' code prefixes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from zhizao.core import figures
from zhizao.reports import narrative, sections, services
from zhizao.reports.choices import NO_VALUE, ReportSection
from zhizao.reports.default_texts import DEFAULT_TEXTS
from zhizao.reports.models import SectionText, SnapshotFigure


def _row(code, value, integral=True, reason=""):
    return SnapshotFigure(
        code=code,
        value=value,
        integral=integral,
        records=3,
        reason_zh=reason,
        reason_en=reason,
        computed_at=timezone.now(),
    )


def test_a_template_is_filled_and_a_sentence_without_value_left_out():
    values = {
        "air.good_days": _row("air.good_days", Decimal(1310)),
        "air.composite_index": _row("air.composite_index", None, False, "有效天数不足"),
    }
    told = narrative.fill(
        "{year}年优良天数{air.good_days}天。\n综合指数{air.composite_index}。",
        values,
        year=2021,
        chinese=True,
    )
    assert told.sentences == ["2021年优良天数1,310天。"]
    (note,) = told.notes
    assert (note.code, note.kind, note.reason) == ("air.composite_index", NO_VALUE, "有效天数不足")


def test_an_unknown_code_is_refused_naming_it():
    with pytest.raises(ValidationError) as refused:
        narrative.check_template("优良天数{air.good_days}天，{air.nonsense}与{year}。")
    assert "air.nonsense" in refused.value.messages[0]
    assert "air.good_days" not in refused.value.messages[0]
    narrative.check_template("优良天数{air.good_days}天。")  # a known code passes


def test_the_default_templates_name_only_registered_codes():
    for (section, language), template in DEFAULT_TEXTS.items():
        assert section in sections.SECTION_KEYS
        assert language in ("zh-hans", "en")
        narrative.check_template(template)
        assert narrative.placeholders(template), (section, language)


@pytest.mark.django_db
def test_staff_save_a_template_markup_stripped_and_audited(personas):
    text = services.save_section_text(
        personas.officer,
        personas.city,
        "environment",
        "zh-hans",
        "<b>优良天数</b>{air.good_days}天<script>alert(1)</script>。\r\n\r\n",
    )
    assert text.template == "优良天数{air.good_days}天。"
    assert text.history.first().history_user == personas.officer

    with pytest.raises(ValidationError):
        services.save_section_text(
            personas.officer, personas.city, "environment", "zh-hans", "{air.unknown}"
        )
    assert SectionText.objects.get().template == "优良天数{air.good_days}天。"

    with pytest.raises(PermissionDenied):  # 天元区 staff do not write the city's report
        services.save_section_text(
            personas.district_officer, personas.city, "environment", "zh-hans", "x"
        )
    services.reset_section_text(personas.officer, personas.city, "environment", "zh-hans")
    assert not SectionText.objects.exists()


def test_a_code_goes_to_the_section_with_the_longest_prefix():
    assert sections.section_of("nqi.onestop.requests").key == "onestop"
    assert sections.section_of("nqi.national_tcs").key == "foundation"
    assert sections.section_of("enterprise.cqo_trained").key == "programme"
    assert sections.section_of("dept.education.new_school_places").key == "plans"
    assert sections.section_of("no_such_app.x") is None
    unplaced = [
        i.code
        for i in figures.indicators()
        if sections.in_city_report(i.code) and sections.section_of(i.code) is None
    ]
    assert unplaced == []
    assert not sections.in_city_report("rollups.rapidtest.pass_rate")
    assert [choice for choice, _label in ReportSection.choices] == list(sections.SECTION_KEYS)
