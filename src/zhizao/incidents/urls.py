from django.urls import path

from zhizao.incidents import views

app_name = "incidents"

urlpatterns = [
    path("", views.index, name="index"),
    path("list/", views.incident_list, name="list"),
    path("new/", views.incident_new, name="new"),
    path("<int:pk>/", views.incident_detail, name="detail"),
]
