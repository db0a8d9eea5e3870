"""Settings for the test suite: the base settings with fast hashing and in-memory mail."""

from zhizao.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The live server of the browser tests serves static files straight from the apps.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Tasks: the same database backend as production, so the tests run the real worker
# (``db_worker --batch``); retries come at once instead of after a minute.
TASKS = {"default": {"BACKEND": "django_tasks.backends.database.DatabaseBackend"}}
ZHIZAO_DELIVERY_RETRY_SECONDS = 0

# The article's two years of the demo's hourly air data (the full 2013–2021 in `zhizao demo`).
ZHIZAO_ENVIRONMENT_DEMO_YEARS = "2013,2021"
