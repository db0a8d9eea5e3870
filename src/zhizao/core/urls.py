from django.contrib.auth import views as auth_views
from django.urls import path

from zhizao.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("figures/", views.figure_catalogue, name="figures"),
    path("figures/<str:code>/records/", views.figure_records, name="figure_records"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(template_name="core/login.html"),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("console/", views.console, name="console"),
    path("console/start/", views.landing, name="landing"),
    path("console/organizations/", views.organization_list, name="organization_list"),
    path("console/organizations/new/", views.organization_create, name="organization_create"),
    path("console/organizations/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("console/organizations/<int:pk>/edit/", views.organization_edit, name="organization_edit"),
    path(
        "console/organizations/<int:pk>/delete/",
        views.organization_delete,
        name="organization_delete",
    ),
    path("console/audit/", views.audit_log, name="audit_log"),
    path("console/inbox/", views.inbox, name="inbox"),
    path("console/jobs/", views.job_list, name="job_list"),
    path("console/jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("console/jobs/<int:pk>/download", views.job_download, name="job_download"),
]
