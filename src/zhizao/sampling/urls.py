from django.urls import path

from zhizao.sampling import views

app_name = "sampling"

urlpatterns = [
    path("", views.index, name="index"),
    path("batches/", views.batches, name="batches"),
    path("batches/new/", views.batch_new, name="batch_new"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("upload/", views.upload, name="upload"),
    path("cases/", views.cases, name="cases"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("plans/", views.plans, name="plans"),
    path("warnings/", views.warnings, name="warnings"),
]
