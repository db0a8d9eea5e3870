from django.urls import path

from zhizao.assessment import views

app_name = "assessment"

urlpatterns = [
    path("", views.index, name="index"),
    path("templates/", views.template_list, name="templates"),
    path("templates/<int:pk>/", views.template_detail, name="template"),
    path("items/<int:pk>/", views.item_edit, name="item"),
    path("<int:pk>/", views.assessment_detail, name="assessment"),
    path("<int:pk>/pack/", views.pack_download, name="pack"),
    path("documents/<int:pk>/", views.document_download, name="document"),
]
