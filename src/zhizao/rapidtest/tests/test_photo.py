"""Photo evidence is served by a permission-checked view (issue 10: the record page linked to
``/media-not-served/…``, a 404 for everyone), by Django or, behind nginx or Apache, by the web
server through ``X-Accel-Redirect`` / ``X-Sendfile``."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from zhizao.core.testing import browser_login, screenshot
from zhizao.rapidtest import services
from zhizao.rapidtest.models import MarketProfile
from zhizao.rapidtest.tests.conftest import record_data


def png_bytes(colour=(200, 30, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), colour).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _record_with_photo(rt, content=None, name="strip.png", content_type="image/png"):
    upload = SimpleUploadedFile(name, content or png_bytes(), content_type=content_type)
    record, _created = services.record_test_result(
        rt.p.tester, record_data(rt, photo=upload, client_record_id=name)
    )
    return record


@pytest.mark.usefixtures("_media")
def test_the_record_page_links_to_the_permission_checked_photo(rt):
    record = _record_with_photo(rt)
    page = rt.p.client("tester").get(reverse("rapidtest:record_detail", args=[record.pk]))
    url = reverse("rapidtest:record_photo", args=[record.pk])
    assert url in page.content.decode()
    assert "media-not-served" not in page.content.decode()
    response = rt.p.client("tester").get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == record.photo.open("rb").read()


@pytest.mark.usefixtures("_media")
@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("tester", True),
        ("officer", True),
        ("admin", True),
        ("district_officer", False),  # 天元区; the market is in 芦淞区
        ("alice", False),
        ("assessor", False),
    ],
)
def test_only_those_who_may_open_the_record_get_its_photo(rt, name, allowed):
    record = _record_with_photo(rt)
    response = rt.p.client(name).get(reverse("rapidtest:record_photo", args=[record.pk]))
    assert response.status_code == (200 if allowed else 404)


@pytest.mark.usefixtures("_media")
def test_anonymous_is_sent_to_log_in(rt):
    record = _record_with_photo(rt)
    response = Client().get(reverse("rapidtest:record_photo", args=[record.pk]))
    assert response.status_code == 302


@pytest.mark.usefixtures("_media")
def test_nginx_sends_the_file_through_x_accel_redirect(rt, settings):
    record = _record_with_photo(rt)
    settings.ZHIZAO_FILE_SERVING = "x-accel-redirect"
    settings.ZHIZAO_FILE_SERVING_PREFIX = "/internal-media/"
    response = rt.p.client("officer").get(reverse("rapidtest:record_photo", args=[record.pk]))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/internal-media/{record.photo.name}"
    assert response.content == b""
    assert response["Content-Type"] == "image/png"


@pytest.mark.usefixtures("_media")
def test_apache_sends_the_file_through_x_sendfile(rt, settings):
    record = _record_with_photo(rt)
    settings.ZHIZAO_FILE_SERVING = "x-sendfile"
    response = rt.p.client("officer").get(reverse("rapidtest:record_photo", args=[record.pk]))
    assert response["X-Sendfile"] == record.photo.path
    assert response.content == b""


@pytest.mark.usefixtures("_media")
def test_a_photo_missing_from_disk_is_404_not_500(rt):
    record = _record_with_photo(rt)
    record.photo.storage.delete(record.photo.name)
    response = rt.p.client("officer").get(reverse("rapidtest:record_photo", args=[record.pk]))
    assert response.status_code == 404


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("_media")
def test_officer_opens_a_records_photo_in_the_browser(browser_page, live_server, personas):
    from types import SimpleNamespace

    from django.utils import timezone

    from zhizao.rapidtest.models import Product, TestItem

    MarketProfile.objects.create(organization=personas.market)
    rt = SimpleNamespace(
        p=personas,
        market=personas.market,
        greens=Product.objects.get(name="青菜"),
        enzyme=TestItem.objects.get(name="有机磷和氨基甲酸酯类农药残留"),
        now=timezone.now(),
    )
    record = _record_with_photo(rt, png_bytes((20, 160, 60)))
    page = browser_page
    browser_login(page, live_server.url, "officer")
    page.goto(f"{live_server.url}/rapidtest/records/{record.pk}/")
    link = page.locator(f"a[href='/rapidtest/records/{record.pk}/photo']")
    with page.context.expect_page() as opened:
        link.click()
    photo = opened.value
    photo.wait_for_load_state()
    size = photo.evaluate(
        "() => { const i = document.querySelector('img');"
        " return i && i.complete ? [i.naturalWidth, i.naturalHeight] : null; }"
    )
    assert size == [120, 80]
    screenshot(photo, "rapidtest-record-photo")

    other = page.context.browser.new_context()
    stranger = other.new_page()
    browser_login(stranger, live_server.url, "district_officer")
    response = stranger.goto(f"{live_server.url}/rapidtest/records/{record.pk}/photo")
    assert response.status == 404
    other.close()
