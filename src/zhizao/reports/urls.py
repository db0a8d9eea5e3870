from django.urls import path

from zhizao.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("annual/", views.published, name="published"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/download/<str:fmt>/", views.download, name="download"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("texts/", views.texts, name="texts"),
    path("texts/<str:section>/<str:language>/", views.text_edit, name="text_edit"),
]
