from django.urls import path

from zhizao.nqi import views

app_name = "nqi"

urlpatterns = [
    path("", views.registers, name="registers"),
    path(
        "registers/accreditations/import/",
        views.import_accreditations,
        name="import_accreditations",
    ),
    path("registers/<slug:kind>/new/", views.register_form, name="register_new"),
    path("registers/<slug:kind>/<int:pk>/", views.register_form, name="register_edit"),
    path("registers/pilots/<int:pk>/accept/", views.accept_pilot, name="accept_pilot"),
    path("capability/", views.capability_search, name="capability"),
    path("bodies/<int:pk>/", views.body_detail, name="body"),
    path("onestop/", views.catalogue, name="catalogue"),
    path("onestop/new/", views.file_request, name="file_request"),
    path("onestop/requests/", views.requests, name="requests"),
    path("onestop/requests/<int:pk>/", views.request_detail, name="request"),
    path("onestop/dashboard/", views.pilot_dashboard, name="dashboard"),
    path("onestop/dashboard/<int:pk>/", views.pilot_drilldown, name="dashboard_requests"),
]
