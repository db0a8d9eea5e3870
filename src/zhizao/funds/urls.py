from django.urls import path

from zhizao.funds import views

app_name = "funds"

urlpatterns = [
    path("", views.programme_list, name="programmes"),
    path("programmes/<slug:code>/", views.programme_detail, name="programme"),
    path("programmes/<slug:code>/apply/", views.apply, name="apply"),
    path("applications/", views.application_list, name="applications"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/review/", views.review, name="review"),
    path("applications/<int:pk>/grant/", views.grant, name="grant_application"),
    path("grants/<int:pk>/", views.grant_detail, name="grant"),
    path("grants/<int:pk>/pay/", views.pay, name="pay"),
    path("documents/<int:pk>/", views.document_download, name="document"),
    path("vouchers/<int:pk>/", views.voucher_download, name="voucher"),
]
