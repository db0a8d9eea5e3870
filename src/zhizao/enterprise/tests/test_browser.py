"""Done-when: in a browser, an enterprise user registers its chief quality officer, a district
officer records a training with attendance and a PDF material, and both show on the
enterprise's profile (and neither on the profile another enterprise's user sees)."""

from __future__ import annotations

import pytest

from zhizao.core.testing import browser_login, screenshot
from zhizao.enterprise.models import ChiefQualityOfficer, EventParticipation, QualityEvent


def _as(page, base, name):
    page.context.clear_cookies()
    browser_login(page, base, name)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_officer_and_event_on_the_profile(browser_page, live_server, personas, tmp_path):
    page, base = browser_page, live_server.url
    code = personas.org_a.credit_code

    # The enterprise registers its chief quality officer from its profile.
    _as(page, base, "alice")
    page.goto(f"{base}/enterprises/{code}/")
    page.click("#register-officer")
    page.fill("#id_person_name", "王质量")
    page.fill("#id_appointed_on", "2021-12-31")
    page.fill("#id_certificate_number", "ZZCQO-2021-900")
    page.fill("#id_certificate_valid_until", "2024-12-31")
    page.click("#officer-form button[type=submit]")
    page.wait_for_url(f"**/enterprises/{code}/")
    assert ChiefQualityOfficer.objects.get().certificate_number == "ZZCQO-2021-900"

    # The district officer records a training and its attendance, and adds the slides.
    _as(page, base, "district_officer")
    page.goto(f"{base}/enterprises/events/new/")
    page.select_option("#id_kind", "training")
    page.fill("#id_topic", "轨道交通产业链首席质量官培训")
    page.fill("#id_organizer", "天元区市场监督管理局")
    page.select_option("#id_region", str(personas.tianyuan.pk))
    page.fill("#id_held_on", "2021-12-16")
    page.fill("#id_place", "天元区")
    page.fill("#id_trainers", "中车株机、中车时代电气、富士康、用友的质量专家")
    page.check("#id_trains_officers")
    page.click("#event-form button[type=submit]")
    page.wait_for_url("**/enterprises/events/*/")
    event = QualityEvent.objects.get()
    # A bad row refuses the whole list and names the row.
    page.fill("#id_rows", f"{code}, 王质量\n91430204XXXXXXXXXX, 某人")
    page.click("#attendance-form button[type=submit]")
    page.wait_for_selector("#attendance-form .errorlist")
    assert "2" in page.inner_text("#attendance-form .errorlist")
    assert not EventParticipation.objects.exists()
    page.fill("#id_rows", f"{code}, 王质量\n{personas.org_b.credit_code}, 赵三, absent")
    page.click("#attendance-form button[type=submit]")
    page.wait_for_url(f"**/enterprises/events/{event.pk}/")
    slides = tmp_path / "slides.pdf"
    slides.write_bytes(b"%PDF-1.4\n% training slides\n")
    page.set_input_files("#id_file", str(slides))
    page.click("#material-form button[type=submit]")
    page.wait_for_selector("#materials a")
    assert page.inner_text("#participants").count("王质量") == 1
    screenshot(page, "enterprise-event-attendance")

    # The enterprise's profile shows both: the officer (private) and the event.
    _as(page, base, "alice")
    page.goto(f"{base}/enterprises/{code}/")
    assert "轨道交通产业链首席质量官培训" in page.inner_text("#section-events")
    assert "王质量" in page.inner_text("#section-officers")
    assert "ZZCQO-2021-900" in page.inner_text("#section-officers")
    assert "王质量" in page.inner_text("#section-attendance")
    screenshot(page, "enterprise-profile-own")

    # Another enterprise's user sees the public part only.
    _as(page, base, "bob")
    page.goto(f"{base}/enterprises/{code}/")
    assert "轨道交通产业链首席质量官培训" in page.inner_text("#section-events")
    assert page.locator("#private-part").count() == 0
    assert "王质量" not in page.content()
    screenshot(page, "enterprise-profile-public")
