from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "zhizao.reports"
    label = "reports"
    verbose_name = _("Reports and published figures")

    def ready(self) -> None:
        from zhizao.reports import jobs

        jobs.register()
