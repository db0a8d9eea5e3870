import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from zhizao.cli import main
from zhizao.core.models import DemoDataset, Organization, User

ROOT = Path(__file__).resolve().parents[4]


def test_chinese_is_the_default_whatever_the_browser_asks(db):
    response = Client().get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert response["Content-Language"] == "zh-hans"
    assert '<html lang="zh-Hans">' in response.content.decode()


def test_language_switch_sets_english(db):
    client = Client()
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/")
    assert page["Content-Language"] == "en"
    assert "Log in" in page.content.decode()
    assert "登录" in Client().get("/").content.decode()


def test_cli_help_lists_every_command(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in (
        "serve",
        "migrate",
        "demo",
        "createuser",
        "check",
        "aqi",
        "air-eval",
        "water-class",
    ):
        assert f"\n  {command}" in out


def test_demo_is_idempotent(db):
    call_command("demo", only="core")
    counts = (Organization.objects.count(), User.objects.count())
    call_command("demo", only="core")
    assert (Organization.objects.count(), User.objects.count()) == counts
    assert DemoDataset.objects.filter(name="core").count() == 1
    assert Organization.objects.filter(
        name="中车株洲电机有限公司", parent__name="中国中车股份有限公司"
    ).exists()


def test_createuser_with_role_and_token(personas, capsys):
    call_command(
        "createuser",
        "newofficer",
        role="bureau_staff",
        region="430200",
        password="pw-123456",
        token=True,
    )
    out = capsys.readouterr().out
    assert "API token (shown once): zz_" in out
    user = User.objects.get(username="newofficer")
    assert user.role == "bureau_staff"
    assert user.region.code == "430200"


def _run(args, **env):
    full_env = {**os.environ, **env}
    full_env.pop("DJANGO_SETTINGS_MODULE", None)
    full_env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests
    return subprocess.run(
        [sys.executable, "-m", "zhizao.cli", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=ROOT,
        timeout=120,
    )


def test_check_deploy_passes_with_production_settings(tmp_path):
    result = _run(
        ["check", "--deploy", "--fail-level", "WARNING"],
        ZHIZAO_ENV="production",
        ZHIZAO_SECRET_KEY="k" * 20 + "-production-secret-from-the-environment-0123456789",
        ZHIZAO_ALLOWED_HOSTS="quality.example.org",
        ZHIZAO_DATA_DIR=str(tmp_path),
        ZHIZAO_FIELD_KEY="nNf2Uu7SoYbYpZq0A8WmV4-Qk7tI8bX1n2V7p0y0XyQ=",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ZHIZAO_ENV": "production"}, "ZHIZAO_SECRET_KEY must be set"),
        ({"ZHIZAO_ENV": "production", "ZHIZAO_SECRET_KEY": "short"}, "at least 50"),
        ({"ZHIZAO_DEBUG": "maybe"}, "is not a boolean"),
        ({"ZHIZAO_ENV": "staging"}, "is not one of"),
    ],
)
def test_malformed_settings_stop_start_up_with_a_clear_message(env, message, tmp_path):
    result = _run(["check"], ZHIZAO_DATA_DIR=str(tmp_path), **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_engine_commands_need_neither_django_nor_a_database(tmp_path):
    script = (
        "import sys; from zhizao.cli import main; "
        "code = main(['aqi', 'pm2_5=40', '--edition', '2012', '--json']); "
        "assert 'django' not in sys.modules, 'django was imported'; sys.exit(code)"
    )
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env["DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/none"  # unreachable on purpose
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert '"aqi": 57' in result.stdout  # 56.25 rounds up (HJ 633-2012 §6.2)


def test_repeated_failed_logins_lock_the_account(personas):
    client = Client()
    statuses = [
        client.post(reverse("core:login"), {"username": "officer", "password": "wrong"}).status_code
        for _attempt in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth failure locks
    locked = client.post(
        reverse("core:login"), {"username": "officer", "password": "persona-password"}
    )
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    assert "_auth_user_id" not in client.session
