"""A URL conf with one page and one API operation that no permission matrix lists, to show
that the coverage check of the matrix catches them (test_permission_matrix); the page reads one
query per organization, to show that the query-count bound catches an N+1 (test_query_counts)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from ninja import NinjaAPI

from zhizao.core.models import Organization
from zhizao.urls import urlpatterns as project_urlpatterns

unlisted_api = NinjaAPI(urls_namespace="unlisted-api", docs_url=None, openapi_url="/openapi.json")


@unlisted_api.get("/unlisted")
def unlisted_operation(request: HttpRequest) -> dict[str, str]:
    return {}


def unlisted_page(request: HttpRequest) -> HttpResponse:
    rows = [f"{org.name} · {org.region.name}" for org in Organization.objects.order_by("pk")]
    return HttpResponse("\n".join(rows))


urlpatterns = [
    path("api/v1/", unlisted_api.urls),
    path("unlisted/", unlisted_page, name="unlisted"),
    *project_urlpatterns,
]
