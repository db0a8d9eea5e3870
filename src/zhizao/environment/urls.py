from django.urls import path

from zhizao.environment import views

app_name = "environment"

urlpatterns = [
    path("air/", views.air, name="air"),
    path("air/<str:city>/<str:day>/", views.air_day, name="air_day"),
    path("air/completeness/", views.completeness, name="completeness"),
    path("air/upload/", views.upload, name="upload"),
    path("water/", views.water, name="water"),
]
