from django.urls import path

from zhizao.rapidtest import views

app_name = "rapidtest"

urlpatterns = [
    path("", views.index, name="index"),
    path("entry/", views.entry, name="entry"),
    path("catalogue/", views.catalogue_search, name="catalogue_search"),
    path("upload/", views.upload, name="upload"),
    path("template/<str:language>.<str:kind>", views.template_file, name="template"),
    path("records/", views.record_list, name="records"),
    path("records/<int:pk>/", views.record_detail, name="record_detail"),
    path("records/<int:pk>/photo", views.record_photo, name="record_photo"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("board/", views.boards, name="boards"),
    path("board/<int:pk>/", views.board, name="board"),
    path("cases/", views.case_list, name="cases"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("integrity/", views.integrity, name="integrity"),
    path("warnings/", views.warnings, name="warnings"),
]
