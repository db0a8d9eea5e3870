from django.urls import path

from zhizao.enterprise import views

app_name = "enterprise"

urlpatterns = [
    path("", views.search, name="search"),
    path("events/", views.event_list, name="events"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("events/<int:pk>/attendance/", views.event_attendance, name="event_attendance"),
    path("events/<int:pk>/materials/", views.event_material, name="event_material"),
    path("materials/<int:pk>/", views.material_download, name="material"),
    path("<str:credit_code>/", views.profile, name="profile"),
    path("<str:credit_code>/officers/new/", views.officer_create, name="officer_create"),
    path("<str:credit_code>/performance/", views.performance, name="performance"),
    path(
        "<str:credit_code>/performance/<int:year>/review/",
        views.performance_review,
        name="performance_review",
    ),
]
