from django.urls import path

from zhizao.plans import views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="plans"),
    path("<int:pk>/", views.plan_detail, name="plan"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("submissions/", views.submission_list, name="submissions"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission"),
    path("submissions/<int:pk>/review/", views.submission_review, name="review"),
    path("data-sets/<int:pk>/template.xlsx", views.data_set_template, name="template"),
    path("data-sets/<int:pk>/import/", views.data_set_import, name="import"),
    path("data-sets/<int:data_set_pk>/<str:period>/", views.submission_entry, name="entry"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("completeness/", views.completeness, name="completeness"),
]
