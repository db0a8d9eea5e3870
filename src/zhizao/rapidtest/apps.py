from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RapidtestConfig(AppConfig):
    name = "zhizao.rapidtest"
    label = "rapidtest"
    verbose_name = _("Rapid testing of edible agricultural products")

    def ready(self) -> None:
        from zhizao.core import figures
        from zhizao.rapidtest import jobs
        from zhizao.rapidtest.indicators import INDICATORS

        figures.register(*INDICATORS)
        jobs.register()
