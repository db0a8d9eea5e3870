from django.urls import path

from zhizao.funds import views

app_name = "funds"

urlpatterns = [
    path("", views.programme_list, name="programmes"),
    path("programmes/<slug:code>/", views.programme_detail, name="programme"),
    path("programmes/<slug:code>/apply/", views.apply, name="apply"),
    path("documents/<int:pk>/", views.document_download, name="document"),
]
