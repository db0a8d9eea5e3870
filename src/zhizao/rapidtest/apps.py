from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RapidtestConfig(AppConfig):
    name = "zhizao.rapidtest"
    label = "rapidtest"
    verbose_name = _("Rapid testing of edible agricultural products")

    def ready(self) -> None:
        from zhizao.core import headlines
        from zhizao.rapidtest.headlines import pass_rate_headline

        headlines.register(pass_rate_headline)
