from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from zhizao.api import api

urlpatterns = [
    path("", include("zhizao.core.urls")),
    path("rapidtest/", include("zhizao.rapidtest.urls")),
    path("awards/", include("zhizao.awards.urls")),
    path("honours/", include("zhizao.registry.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
