from django.urls import path

from zhizao.engineering import views

app_name = "engineering"

urlpatterns = [
    path("", views.index, name="index"),
    path("projects/", views.projects, name="projects"),
    path("projects/<int:pk>/", views.project_detail, name="project"),
]
