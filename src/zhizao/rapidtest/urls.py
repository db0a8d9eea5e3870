from django.urls import path  # noqa: F401

app_name = "rapidtest"

urlpatterns: list = []  # type: ignore[type-arg]
