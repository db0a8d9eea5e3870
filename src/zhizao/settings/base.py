"""Base settings. Every value that varies by deployment comes from the environment through the
strict helpers in :mod:`zhizao.config`; README.md lists each variable with its default."""

from __future__ import annotations

import base64
import hashlib
import secrets
from datetime import date
from pathlib import Path

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF

from zhizao.config import (
    ConfigError,
    env_bool,
    env_choice,
    env_date,
    env_float,
    env_int,
    env_list,
    env_month_day,
    env_str,
)

django_stubs_ext.monkeypatch()  # lets forms.ModelForm[Model] and friends be subscripted at runtime

PACKAGE_DIR = Path(__file__).resolve().parent.parent
_SOURCE_ROOT = PACKAGE_DIR.parent.parent
_DEFAULT_DATA_DIR = (
    _SOURCE_ROOT / "var" if (_SOURCE_ROOT / "pyproject.toml").exists() else Path.cwd() / "var"
)

ZHIZAO_ENV = env_choice("ZHIZAO_ENV", "development", ("development", "production", "test"))
PRODUCTION = ZHIZAO_ENV == "production"
DATA_DIR = Path(env_str("ZHIZAO_DATA_DIR", str(_DEFAULT_DATA_DIR)))

DEBUG = env_bool("ZHIZAO_DEBUG", False)
if PRODUCTION and DEBUG:
    raise ConfigError("ZHIZAO_DEBUG must be off in production (生产环境必须关闭 ZHIZAO_DEBUG)")


def _secret_key() -> str:
    if PRODUCTION:
        key = env_str("ZHIZAO_SECRET_KEY")
        if len(key) < 50:
            raise ConfigError(
                "ZHIZAO_SECRET_KEY must be at least 50 characters "
                "(ZHIZAO_SECRET_KEY 至少 50 个字符)"
            )
        return key
    from_env = env_str("ZHIZAO_SECRET_KEY", "")
    if from_env:
        return from_env
    # Development and test: a random key kept under the data directory, never committed.
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(64)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list(
    "ZHIZAO_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("ZHIZAO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "axes",
    "csp",
    "ninja",
    "django_tasks",
    "django_tasks.backends.database",
    "zhizao.core",
    "zhizao.security",
    "zhizao.registry",
    "zhizao.awards",
    "zhizao.rapidtest",
    "zhizao.standards",
    "zhizao.nqi",
    "zhizao.plans",
    "zhizao.sampling",
    "zhizao.incidents",
    "zhizao.engineering",
    "zhizao.environment",
    "zhizao.funds",
    "zhizao.enterprise",
    "zhizao.reports",
    "zhizao.opendata",
    "zhizao.assessment",
    "zhizao.rollups",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "zhizao.core.middleware.LanguageMiddleware",
    "zhizao.core.api_errors.ApiErrorMiddleware",
    "zhizao.core.middleware.NullCharacterMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "zhizao.security.middleware.SessionRenewalMiddleware",
    "zhizao.security.middleware.PasswordExpiryMiddleware",
    "zhizao.security.middleware.RefusalMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Login throttling (django-axes): after 5 failures a username is locked for 15 minutes, from
# whichever address it is tried; and an address that failed 5 times, whichever usernames it
# tried, is locked as long. Successful logins are kept in axes' access log (docs/core.md).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("ZHIZAO_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked.html"
# Behind a reverse proxy every request comes from the proxy's address: lock the client's address
# the proxy forwards instead (else one address would lock out everyone).
AXES_CLIENT_IP_CALLABLE = "zhizao.core.audit.client_address"

ROOT_URLCONF = "zhizao.urls"
WSGI_APPLICATION = "zhizao.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhizao.core.context_processors.site",
            ],
        },
    },
]

# Database: SQLite under the data directory unless DATABASE_URL names another (PostgreSQL in
# production). docs/decisions/0001-architecture.md.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'zhizao.sqlite3'}")
try:
    # Persistent connections are checked before each request reuses them, so a database
    # restart costs one reconnect, not a stream of errors (docs/reliability.md).
    _database = dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("ZHIZAO_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
except ValueError as error:
    raise ConfigError(f"DATABASE_URL is not a valid URL ({error}) (DATABASE_URL 无效)") from None
# How long a SQLite write waits for another connection's write transaction (an import) before
# failing with "database is locked", in milliseconds.
SQLITE_BUSY_TIMEOUT_MS = env_int("ZHIZAO_SQLITE_BUSY_TIMEOUT_MS", 10_000, minimum=0)
if _database["ENGINE"] == "django.db.backends.sqlite3":
    _database["CONN_MAX_AGE"] = 0
    _database["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS};"
        ),
        "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000,
        "transaction_mode": "IMMEDIATE",
    }
    _database["TEST"] = {"NAME": None}
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:landing"
LOGOUT_REDIRECT_URL = "core:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "zhizao.security.passwords.PasswordHistoryValidator"},
]

# zh-Hans first, English second. The active language comes from the language cookie (set by the
# switch on every page), never from the browser's Accept-Language: zh-Hans is the default.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# Numbers grouped by three in zh-Hans too (intcomma, floatformat "g"): core/formats/.
FORMAT_MODULE_PATH = ["zhizao.core.formats"]
USE_I18N = True
TIME_ZONE = env_str("ZHIZAO_TIME_ZONE", "Asia/Shanghai")
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]  # site CSS and vendored ECharts/htmx
# Uploaded files (award attachments, test photos) live outside the web root and are served only
# through views that check permissions.
MEDIA_ROOT = Path(env_str("ZHIZAO_MEDIA_ROOT", str(DATA_DIR / "media")))
MEDIA_URL = "/media-not-served/"
# How permission-checked views send uploads (zhizao.core.downloads): "django" streams them;
# behind nginx "x-accel-redirect" to an internal location at ZHIZAO_FILE_SERVING_PREFIX whose
# alias is MEDIA_ROOT; "x-sendfile" for Apache's mod_xsendfile or lighttpd.
ZHIZAO_FILE_SERVING = env_choice(
    "ZHIZAO_FILE_SERVING", "django", ("django", "x-accel-redirect", "x-sendfile")
)
ZHIZAO_FILE_SERVING_PREFIX = env_str("ZHIZAO_FILE_SERVING_PREFIX", "/internal-media/")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("ZHIZAO_MANIFEST_STATIC", True)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

EMAIL_BACKEND = env_str("ZHIZAO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("ZHIZAO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("ZHIZAO_EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("ZHIZAO_FROM_EMAIL", "zhizao@localhost")
ZHIZAO_SMS_BACKEND = env_str("ZHIZAO_SMS_BACKEND", "zhizao.core.notifications.LogMessageBackend")
ZHIZAO_WECHAT_BACKEND = env_str(
    "ZHIZAO_WECHAT_BACKEND", "zhizao.core.notifications.LogMessageBackend"
)

# Background tasks (django-tasks, the backport of Django 6's tasks API): the queue lives in the
# database itself, so the embedded SQLite default needs no other server; `zhizao serve` starts
# the worker beside the web server (docs/decisions/0002-dependencies.md).
TASKS = {"default": {"BACKEND": "django_tasks.backends.database.DatabaseBackend"}}
# Outbound messages: attempts per message, and the first retry's delay (doubling after it).
ZHIZAO_DELIVERY_MAX_ATTEMPTS = env_int("ZHIZAO_DELIVERY_MAX_ATTEMPTS", 5, minimum=1)
ZHIZAO_DELIVERY_RETRY_SECONDS = env_int("ZHIZAO_DELIVERY_RETRY_SECONDS", 60, minimum=0)

ZHIZAO_CITY_CODE = env_str("ZHIZAO_CITY_CODE", "430200")
# The city's report on a year counts what the city holds (award results, honours) up to this day
# of the following year, as the article ("截至目前", September 2022) does for 2021
# (docs/decisions/0005-report-date.md).
ZHIZAO_REPORT_DATE = env_month_day("ZHIZAO_REPORT_DATE", (9, 30))

# Rapid testing (docs/rapidtest.md).
ZHIZAO_RAPIDTEST_CASE_DEADLINE_HOURS = env_int(
    "ZHIZAO_RAPIDTEST_CASE_DEADLINE_HOURS", 72, minimum=1
)
ZHIZAO_RAPIDTEST_LATE_ENTRY_HOURS = env_int("ZHIZAO_RAPIDTEST_LATE_ENTRY_HOURS", 24, minimum=1)
ZHIZAO_RAPIDTEST_DETECTION_FLOOR = env_float(
    "ZHIZAO_RAPIDTEST_DETECTION_FLOOR", 0.01, minimum=0.0, maximum=1.0
)
ZHIZAO_RAPIDTEST_DETECTION_PERIOD_DAYS = env_int(
    "ZHIZAO_RAPIDTEST_DETECTION_PERIOD_DAYS", 90, minimum=1
)
ZHIZAO_RAPIDTEST_WARNING_ALPHA = env_float(
    "ZHIZAO_RAPIDTEST_WARNING_ALPHA", 0.01, minimum=0.0, maximum=1.0
)
ZHIZAO_RAPIDTEST_DEMO_RECORDS = env_int("ZHIZAO_RAPIDTEST_DEMO_RECORDS", 1_100_000, minimum=0)
# The years of synthetic hourly air data `zhizao demo` generates ("2013-2021", or a list such as
# "2013,2021": each year is generated on its own, so a subset gives the same hours).
ZHIZAO_ENVIRONMENT_DEMO_YEARS = env_str("ZHIZAO_ENVIRONMENT_DEMO_YEARS", "2013-2021")
# Test dates before this day are refused on every entry path (form, API, file import); the
# rollups count months from January 2000, so it cannot be earlier.
ZHIZAO_EARLIEST_TEST_DATE = env_date(
    "ZHIZAO_EARLIEST_TEST_DATE", date(2000, 1, 1), minimum=date(2000, 1, 1)
)

# Security. Production turns on every secure default; development serves plain HTTP locally.
SESSION_COOKIE_HTTPONLY = True
# Idle-session timeout (GB/T 22239 level 3): a session not used for this many minutes ends; use
# renews it (at most once a minute: zhizao.security.middleware.SessionRenewalMiddleware).
# Closing the browser ends it too.
ZHIZAO_SESSION_IDLE_MINUTES = env_int("ZHIZAO_SESSION_IDLE_MINUTES", 30, minimum=2)
SESSION_COOKIE_AGE = ZHIZAO_SESSION_IDLE_MINUTES * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Password expiry (GB/T 22239 身份鉴别 a): a password older than this many days must be changed
# before anything else (zhizao.security.middleware.PasswordExpiryMiddleware); 0 disables.
ZHIZAO_PASSWORD_MAX_AGE_DAYS = env_int("ZHIZAO_PASSWORD_MAX_AGE_DAYS", 90, minimum=0)
ZHIZAO_PASSWORD_HISTORY = 5  # a new password may not repeat any of the last five
# ID and phone numbers are encrypted at rest (zhizao.core.fields): Fernet keys, comma-separated,
# the first encrypts and any decrypts (rotation). Production refuses to start without one
# (system check zhizao.E001); development and test derive one from SECRET_KEY.
ZHIZAO_FIELD_KEYS = env_list("ZHIZAO_FIELD_KEY", [])
ZHIZAO_FIELD_KEY_DERIVED = not ZHIZAO_FIELD_KEYS and not PRODUCTION
if ZHIZAO_FIELD_KEY_DERIVED:
    _digest = hashlib.sha256(f"zhizao-field-key\n{SECRET_KEY}".encode()).digest()
    ZHIZAO_FIELD_KEYS = [base64.urlsafe_b64encode(_digest).decode()]
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-free meta tag instead
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = PRODUCTION and env_bool("ZHIZAO_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("ZHIZAO_HSTS_SECONDS", 31536000 if PRODUCTION else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
ZHIZAO_BEHIND_PROXY = env_bool("ZHIZAO_BEHIND_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if ZHIZAO_BEHIND_PROXY else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts, styles and everything else only from this site.
# No page has inline script or style; ECharts and htmx are vendored (docs/decisions/0001).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("ZHIZAO_UPLOAD_MAX_MEMORY", 10 * 1024 * 1024, minimum=1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"refusal_without_traceback": {"()": "zhizao.core.logging.RefusalWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("ZHIZAO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        "django.request": {"filters": ["refusal_without_traceback"]},
    },
}
