from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "zhizao.assessment"
    label = "assessment"
    verbose_name = _("Provincial quality-work assessment")

    def ready(self) -> None:
        from zhizao.assessment import jobs

        jobs.register()
