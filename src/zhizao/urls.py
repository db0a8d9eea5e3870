from django.contrib import admin
from django.http import HttpRequest, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.i18n import set_language

from zhizao.api import api


def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """Browsers ask for /favicon.ico whatever the page says; send them to the static icon
    (resolved per request: the hashed name exists only after collectstatic)."""
    return HttpResponseRedirect(static("zhizao/favicon.svg"))


urlpatterns = [
    path("", include("zhizao.core.urls")),
    path("rapidtest/", include("zhizao.rapidtest.urls")),
    path("awards/", include("zhizao.awards.urls")),
    path("honours/", include("zhizao.registry.urls")),
    path("nqi/", include("zhizao.nqi.urls")),
    path("plans/", include("zhizao.plans.urls")),
    path("sampling/", include("zhizao.sampling.urls")),
    path("incidents/", include("zhizao.incidents.urls")),
    path("engineering/", include("zhizao.engineering.urls")),
    path("environment/", include("zhizao.environment.urls")),
    path("funds/", include("zhizao.funds.urls")),
    path("enterprises/", include("zhizao.enterprise.urls")),
    path("dashboard/", include("zhizao.opendata.urls")),
    path("reports/", include("zhizao.reports.urls")),
    path("assessment/", include("zhizao.assessment.urls")),
    path("security/", include("zhizao.security.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("favicon.ico", favicon),
]
