from django.urls import path

from zhizao.opendata import views

app_name = "opendata"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("<str:code>/", views.dashboard, name="region_dashboard"),
]
