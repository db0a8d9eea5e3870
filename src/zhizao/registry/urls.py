from django.urls import path

from zhizao.registry import views

app_name = "registry"

urlpatterns = [
    path("", views.honours, name="honours"),
    path("kinds/<slug:kind>/", views.honour_kind, name="kind"),
    path("organizations/<int:pk>/", views.organization_profile, name="organization"),
]
