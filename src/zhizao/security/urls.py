from django.urls import path

from zhizao.security import views

app_name = "security"

urlpatterns = [
    path("events/", views.events, name="events"),
    path("events/export.csv", views.events_export, name="events_export"),
    path("events/verify/", views.verify, name="verify"),
    path("accounts/", views.accounts, name="accounts"),
    path("accounts/new/", views.account_create, name="account_create"),
    path("accounts/<int:pk>/role/", views.account_role, name="account_role"),
    path("accounts/<int:pk>/active/", views.account_active, name="account_active"),
    path("accounts/unlock/", views.unlock, name="unlock"),
    path("password/", views.password_change, name="password_change"),
]
