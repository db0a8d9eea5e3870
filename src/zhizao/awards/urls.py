from django.urls import path

from zhizao.awards import views

app_name = "awards"

urlpatterns = [
    path("", views.tallies_page, name="tallies"),
    path("editions/", views.edition_list, name="edition_list"),
    path("editions/new/", views.edition_create, name="edition_create"),
    path("editions/<int:pk>/", views.edition_detail, name="edition_detail"),
    path("editions/<int:edition_pk>/apply/", views.application_create, name="application_create"),
    path("applications/", views.application_list, name="application_list"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path(
        "applications/<int:pk>/<slug:action>/",
        views.application_action,
        name="application_action",
    ),
    path("applications/<int:pk>/score/<slug:stage>/", views.scoring, name="scoring"),
    path("applications/<int:pk>/consensus/<slug:stage>/", views.consensus, name="consensus"),
    path("applications/<int:pk>/feedback.pdf", views.feedback_download, name="feedback"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("notices/", views.notice_list, name="notices"),
    path("notices/<int:pk>/objection/", views.notice_objection, name="notice_objection"),
    path("results/<int:pk>/revoke/", views.revoke, name="revoke"),
]
