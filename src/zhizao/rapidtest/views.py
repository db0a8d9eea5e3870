"""Rapid-test pages: the tester's entry form, uploads, the records list, the staff dashboard,
the public board (快检公示) and its gate screen, cases, integrity checks and early warnings.
Views are thin: they check the request, call a service or a figure, render."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from zhizao.core.downloads import serve_upload
from zhizao.core.exports import safe_row
from zhizao.core.filters import Chip, active_filters
from zhizao.core.jobs import start_job
from zhizao.core.models import Organization, Region, User
from zhizao.core.permissions import is_staff_user
from zhizao.core.sorting import natural_key, region_key
from zhizao.core.validators import validate_no_control_characters_multiline
from zhizao.rapidtest import breakdowns, figures, permissions, services
from zhizao.rapidtest import jobs as rapidtest_jobs
from zhizao.rapidtest.choices import CaseStatus, Category, Source
from zhizao.rapidtest.filters import (
    filter_records,
    has_unreadable_times,
    is_overdue,
    parse_filters,
    readable_case_times,
    readable_record,
    readable_times,
    rollup_count,
    scoped_records,
    with_readable_case_times,
    with_readable_times,
)
from zhizao.rapidtest.forms import (
    CaseForm,
    CloseCaseForm,
    RecordFilterForm,
    TestEntryForm,
    UploadForm,
)
from zhizao.rapidtest.importing import template_headers
from zhizao.rapidtest.models import FollowUpCase, Product, Stall, TestItem, TestRecord


class CountedPaginator(Paginator):  # type: ignore[type-arg]
    """A paginator told its count (``None``: count the objects as usual)."""

    def __init__(self, object_list: Any, per_page: int, *, count: int | None) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        if self._known_count is not None:
            return self._known_count
        return super().count


def _export(name: str, headers: list[str], rows: list[list[Any]], kind: str) -> HttpResponse:
    if kind == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(name[:31])
        sheet.append(safe_row(headers, xlsx=True))
        for row in rows:
            sheet.append(safe_row(row, xlsx=True))
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(safe_row(headers))
        writer.writerows(safe_row(row) for row in rows)
        response = HttpResponse("\ufeff" + text.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    if permissions.can_see_dashboard(request.user):
        return redirect("rapidtest:dashboard")
    if permissions.private_markets(request.user).exists():
        return redirect("rapidtest:entry")
    return redirect("rapidtest:boards")


@login_required
@require_http_methods(["GET", "POST"])
def entry(request: HttpRequest) -> HttpResponse:
    markets = permissions.private_markets(request.user).order_by("name")
    if not markets.exists():
        raise PermissionDenied
    chosen = request.GET.get("market") or request.POST.get("market") or ""
    market = (
        markets.filter(pk=int(chosen)).first() if chosen.isdigit() else None
    ) or markets.first()
    assert market is not None
    initial = {
        "tested_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "client_record_id": uuid.uuid4().hex,
        # The next test of the same sample (batch) keeps its code.
        "sample_code": request.GET.get("sample", "")[:64],
    }
    form = TestEntryForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["market"] = market
        data["client_record_id"] = (
            f"web-{data['client_record_id']}" if data["client_record_id"] else ""
        )
        try:
            record, _created = services.record_test_result(request.user, data, source=Source.WEB)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            if record.passed:
                messages.success(request, _("Saved: pass."))
            else:
                messages.error(
                    request, _("Saved: FAIL. A follow-up case was opened — hold the goods.")
                )
            sample = f"&{urlencode({'sample': data['sample_code']})}" if data["sample_code"] else ""
            return redirect(f"{request.path}?market={market.pk}{sample}")
    return render(
        request,
        "rapidtest/entry.html",
        {
            "form": form,
            "market": market,
            "markets": markets,
            # Shown again after an error: the product and the test item stay chosen.
            "chosen_product": form.chosen_product() if form.is_bound else None,
            "item_choices": form.item_choices() if form.is_bound else [],
            "chosen_item": form.chosen_item_id() if form.is_bound else "",
            "recent": list(
                with_readable_times(
                    readable_times(TestRecord.objects.filter(market=market)).select_related(
                        "product", "item"
                    )[:5]
                )
            ),
        },
    )


@require_GET
def catalogue_search(request: HttpRequest) -> HttpResponse:
    """htmx: products matching the search, and the items that apply to the chosen product."""
    query = request.GET.get("q", "").strip()
    product_id = request.GET.get("product")
    if product_id and product_id.isdigit():
        product = get_object_or_404(Product, pk=int(product_id))
        items = TestItem.objects.filter(category=product.category)
        return render(request, "rapidtest/_partials/item_options.html", {"items": items})
    products = (
        Product.objects.filter(Q(name__icontains=query) | Q(name_en__icontains=query))[:12]
        if query
        else Product.objects.none()
    )
    return render(request, "rapidtest/_partials/product_options.html", {"products": products})


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    if not permissions.private_markets(request.user).exists():
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None)
    outcome = None
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        rows = rapidtest_jobs.estimate_rows(
            upload_file, upload_file.name or "", stop_after=rapidtest_jobs.IMPORT_SYNC_MAX_ROWS
        )
        if rows is None or rows > rapidtest_jobs.IMPORT_SYNC_MAX_ROWS:
            # Too large for the request: the worker imports it, the page shows how far it got.
            job = start_job(
                _user(request),
                rapidtest_jobs.IMPORT,
                {"file_name": upload_file.name, "language": get_language()},
                source=upload_file,
            )
            return redirect("core:job_detail", pk=job.pk)
        outcome = services.import_test_records(
            request.user, upload_file, file_name=upload_file.name
        )
        if outcome.ok:
            if outcome.already_imported:
                messages.info(request, _("This file was already imported; nothing new was saved."))
            else:
                messages.success(request, _("Imported %(n)d rows.") % {"n": outcome.rows})
            return redirect("rapidtest:upload")
    return render(
        request,
        "rapidtest/upload.html",
        {
            "form": form,
            "outcome": outcome,
            "import_sync_max": rapidtest_jobs.IMPORT_SYNC_MAX_ROWS,
        },
    )


@require_GET
def template_file(request: HttpRequest, language: str, kind: str) -> HttpResponse:
    """The upload template with one sample row that imports as it is: for a signed-in user it
    names the user's market (``?market=`` among theirs, else the first) and one of its booths."""
    markets = permissions.private_markets(request.user).order_by("name")
    chosen = request.GET.get("market", "")
    market = (markets.filter(pk=int(chosen)).first() if chosen.isdigit() else None) or (
        markets.first()
    )
    stall = Stall.objects.filter(market=market).order_by("booth_number").first() if market else None
    example = [
        "dev1-000001",
        market.credit_code if market else "",
        stall.booth_number if stall else "",
        "青菜",
        "有机磷和氨基甲酸酯类农药残留",
        "湖南长沙",
        "某蔬菜批发部",
        "25",
        "2024-05-01 06:40",
        "2024-05-01 07:10",
        "李四",
        "DEV-01",
        "12.5",
        "合格",
        "S-20240501-01",  # the tests of one sample (batch) share its code
    ]
    return _export(
        f"rapidtest-template-{language}",
        template_headers(language),
        [example],
        "xlsx" if kind == "xlsx" else "csv",
    )


def record_headers() -> list[str]:
    """The records export's header row, in the user's language (zh-Hans by default)."""
    return [
        str(label)
        for label in (
            _("ID"),
            _("Market"),
            _("Stall"),
            _("Product"),
            _("Category"),
            _("Test item"),
            _("Value"),
            _("Result"),
            _("Tested at"),
            _("Origin"),
            _("Supplier"),
            _("Source"),
        )
    ]


def _record_row(record: TestRecord, labels: dict[str, dict[Any, str]]) -> list[Any]:
    """One exported record; coded values (category, source) through ``labels`` (the choices'
    labels in the user's language, made once per export by :func:`_choice_labels`), the result
    too."""
    return [
        record.pk,
        record.market.name,
        record.stall.booth_number if record.stall else "",
        record.product.name,
        labels["category"].get(record.product.category, record.product.category),
        record.item.name,
        record.value,
        labels["result"][record.passed],
        timezone.localtime(record.tested_at).strftime("%Y-%m-%d %H:%M") if record.tested_at else "",
        record.origin,
        record.supplier,
        labels["source"].get(record.source, record.source),
    ]


def _choice_labels() -> dict[str, dict[Any, str]]:
    """Labels of the coded values in the active language, read once: a streamed export writes
    its rows after the view returned, when the request's language is no longer active."""
    return {
        "result": {True: str(_("Pass")), False: str(_("Fail"))},
        "category": {value: str(label) for value, label in Category.choices},
        "source": {value: str(label) for value, label in Source.choices},
    }


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _filter_params(request: HttpRequest, leave_out: tuple[str, ...]) -> dict[str, str]:
    """The filters of the query string; the filter form's empty fields are no filter."""
    return {
        name: value
        for name, value in request.GET.dict().items()
        if name not in leave_out and value.strip()
    }


def record_filter_form(request: HttpRequest) -> tuple[RecordFilterForm, list[Chip]]:
    """The records' filter form bound to the request's query, and its active filters as chips
    (the same on the records list and the dashboard)."""
    form = RecordFilterForm(request.GET, markets=permissions.private_markets(request.user))
    return form, active_filters(form, request.GET)


def _start_export(
    request: HttpRequest, params: dict[str, Any], kind: str, count: int
) -> HttpResponse:
    job = start_job(
        _user(request),
        rapidtest_jobs.EXPORT,
        {"filters": params, "format": kind, "language": get_language()},
        rows_total=count,  # as counted now; the job counts again when it runs
    )
    messages.info(request, _("The export runs in the background; this page shows its progress."))
    return redirect("core:job_detail", pk=job.pk)


@login_required
@require_http_methods(["GET", "POST"])
def record_list(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The records (filters in the URL, shown as chips; htmx swaps the table and its count).
    An export (``export=csv|xlsx``) of up to ``EXPORT_SYNC_MAX_ROWS`` records is answered at
    once; a larger one, asked for by the page's export buttons (POST), runs as a background job
    (rapidtest/jobs.py) and the browser goes to its progress page."""
    market_ids = list(permissions.private_markets(request.user).values_list("pk", flat=True))
    if not market_ids:
        raise PermissionDenied
    source = request.POST if request.method == "POST" else request.GET
    params = _filter_params(request, ("export", "page"))
    form, chips = record_filter_form(request)
    try:
        parse_filters(params)
    except ValidationError as error:
        # A form error on the page (the API answers 400 with the same messages).
        context: dict[str, Any] = {
            "filter_errors": error.message_dict,
            "page": None,
            "form": form,
            "chips": chips,
        }
        return render(request, "rapidtest/record_list.html", context, status=400)
    queryset = readable_times(filter_records(scoped_records(market_ids), params)).select_related(
        "market", "product", "item", "stall"
    )
    export = source.get("export")
    if export in ("csv", "xlsx"):
        counted = rollup_count(market_ids, params)
        count = counted if counted is not None else queryset.count()
        if count > rapidtest_jobs.EXPORT_SYNC_MAX_ROWS:
            if request.method == "POST":
                return _start_export(request, params, export, count)
            # A GET changes nothing: the page offers the export buttons (POST) instead.
            messages.info(
                request,
                _("More than %(n)s records: the export buttons run it in the background.")
                % {"n": intcomma(rapidtest_jobs.EXPORT_SYNC_MAX_ROWS)},
            )
            query = request.GET.copy()
            query.pop("export", None)
            return redirect(f"{request.path}?{query.urlencode()}")
    if export == "csv":
        headers, labels = record_headers(), _choice_labels()

        def stream() -> Iterator[str]:
            # With a byte-order mark, as every CSV export: Excel on Chinese Windows reads a
            # CSV without one as GBK.
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow(safe_row(headers))
            yield "\ufeff" + buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            for record in with_readable_times(queryset.iterator(chunk_size=5000)):
                writer.writerow(safe_row(_record_row(record, labels)))
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()

        response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="rapidtest-records.csv"'
        return response
    if export == "xlsx":
        labels = _choice_labels()
        return _export(
            "rapidtest-records",
            record_headers(),
            [_record_row(r, labels) for r in with_readable_times(queryset)],
            "xlsx",
        )
    if request.method == "POST":
        raise Http404
    # The count comes from the rollups whenever the filters allow (exact, without counting
    # 1.1 million records); the page itself is read along the (tested_at) index.
    paginator = CountedPaginator(queryset, 50, count=rollup_count(market_ids, params))
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = list(with_readable_times(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "query": query.urlencode(),
        "synthetic": figures.is_synthetic(),
        "form": form,
        "chips": chips,
        "sync_max": rapidtest_jobs.EXPORT_SYNC_MAX_ROWS,
    }
    if request.headers.get("HX-Request"):
        return render(request, "rapidtest/_partials/record_table.html", context)
    return render(request, "rapidtest/record_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = readable_record(
        TestRecord.objects.select_related("market", "product", "item", "stall"), pk
    )
    if record is None:
        raise Http404
    if not permissions.can_enter(request.user, record.market):
        raise PermissionDenied
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        try:
            validate_no_control_characters_multiline(reason)
            if request.POST.get("action") == "delete":
                services.delete_test_record(request.user, record, reason)
                messages.success(request, _("The record was deleted."))
                return redirect("rapidtest:records")
            services.correct_test_record(
                request.user, record, {"value": request.POST.get("value", "")}, reason
            )
            messages.success(request, _("The record was corrected."))
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
        return redirect("rapidtest:record_detail", pk=pk)
    from zhizao.rapidtest.models import RecordCorrection

    # The case without its times (a stored time may be unreadable): what the verdict needs.
    case = (
        FollowUpCase.objects.filter(record=record)
        .only("pk", "status", "lab_result", "stall_accepted")
        .first()
    )
    TestRecord.case.related.set_cached_value(record, case)  # record.verdict_label reads it
    return render(
        request,
        "rapidtest/record_detail.html",
        {
            "record": record,
            "can_manage": permissions.can_manage(request.user, record.market),
            "corrections": RecordCorrection.objects.filter(record_id=pk).select_related("actor"),
            "case": case,
        },
    )


DASHBOARD_EXPORT_FIRST_COLUMNS = {
    "year": gettext_lazy("Year"),
    "kind": gettext_lazy("Market type"),
    "district": gettext_lazy("District"),
    "category": gettext_lazy("Category"),
    "item": gettext_lazy("Test item"),
    "product": gettext_lazy("Product"),
    "market": gettext_lazy("Market"),
    "month": gettext_lazy("Month"),
}


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    if not permissions.can_see_dashboard(request.user):
        raise PermissionDenied
    params = _filter_params(request, ("export", "table"))
    form, chips = record_filter_form(request)
    try:
        filtered = bool(parse_filters(params))
    except ValidationError as error:
        filtered, params = False, {}
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    if filtered:  # the same figures under the filters (breakdowns.py)
        tables, total = breakdowns.filtered_tables(request.user, params)
    else:
        tables, total = figures.dashboard_tables(request.user)
    export, table = request.GET.get("export"), request.GET.get("table")
    if export in ("csv", "xlsx") and table in tables:
        headers = [
            str(label)
            for label in (
                DASHBOARD_EXPORT_FIRST_COLUMNS[table],
                _("Batches"),
                _("Failed"),
                _("Pass rate (%)"),
                _("95% CI low"),
                _("95% CI high"),
                _("Tests"),
            )
        ]
        rows = [
            [r["label"], r["total"], r["failed"], r["rate"], r["low"], r["high"], r["tests"]]
            for r in tables[table]
        ]
        return _export(f"rapidtest-{table}", headers, rows, export)
    titles = {
        "year": _("By year (5-year totals)"),
        "kind": _("By market type"),
        "district": _("By district"),
        "category": _("By category"),
        "item": _("By test item"),
        "product": _("By product"),
        "market": _("By market"),
        "month": _("By month"),
    }
    for name in ("kind",):
        for row in tables[name]:
            row["share"] = round(row["total"] / total["total"] * 100, 1) if total["total"] else None
    query = request.GET.copy()
    for name in ("export", "table"):
        query.pop(name, None)
    return render(
        request,
        "rapidtest/_partials/dashboard_figures.html"
        if request.headers.get("HX-Request")
        else "rapidtest/dashboard.html",
        {
            "form": form,
            "chips": chips,
            "query": query.urlencode(),
            "overall": total,
            "tables": [(name, titles[name], tables[name]) for name in tables],
            "coverage": figures.coverage(request.user),
            "synthetic": figures.is_synthetic(),
            "trend": [
                {
                    "month": r["label"],
                    "rate": r["rate"],
                    "low": r["low"],
                    "high": r["high"],
                    "total": r["total"],
                }
                for r in tables["month"]
            ],
            "open_cases": figures.open_cases(request.user).filter(status=CaseStatus.OPEN).count(),
        },
    )


@require_GET
def boards(request: HttpRequest) -> HttpResponse:
    """Every market's public board, grouped by district in GB/T 2260 order, names in natural
    order (第4 before 第12), with a search box."""
    query = request.GET.get("q", "").strip()[:50]
    markets = (
        permissions.markets().filter(rapidtest_profile__has_test_room=True).select_related("region")
    )
    if query:
        markets = markets.filter(name__icontains=query)
    by_region: dict[Region, list[Organization]] = {}
    for market in markets:
        by_region.setdefault(market.region, []).append(market)
    groups = [
        (region, sorted(by_region[region], key=lambda m: natural_key(m.name)))
        for region in sorted(by_region, key=region_key)
    ]
    return render(
        request,
        "rapidtest/boards.html",
        {"groups": groups, "query": query, "count": sum(len(g) for _, g in groups)},
    )


@require_GET
def board(request: HttpRequest, pk: int) -> HttpResponse:
    market = get_object_or_404(permissions.markets(), pk=pk)
    context = {
        "market": market,
        **figures.board(market),
        "gate": request.GET.get("gate") == "1",
        "synthetic": market.is_synthetic,
    }
    template = "rapidtest/board_gate.html" if context["gate"] else "rapidtest/board.html"
    return render(request, template, context)


def _live_now(request: HttpRequest) -> datetime:
    """The moment live views take as now for the reader's markets (the demo city's: its
    latest day with data)."""
    return figures.live_now(
        list(permissions.private_markets(request.user).values_list("pk", flat=True))
    )


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    if not permissions.private_markets(request.user).exists():
        raise PermissionDenied
    queryset = figures.open_cases(request.user).select_related(
        "market", "record__product", "record__item"
    )
    status = request.GET.get("status", "open")
    if status in CaseStatus.values:
        queryset = queryset.filter(status=status)
    # The case clock: the demo city's "now" is its latest day with data.
    now = _live_now(request)
    if request.GET.get("overdue") == "1":
        queryset = queryset.filter(FollowUpCase.overdue_q(now))
    # Times through the guard: a case with a stored time Python cannot read is listed without it.
    page = Paginator(readable_case_times(queryset, now), 50).get_page(request.GET.get("page"))
    page.object_list = list(with_readable_case_times(page.object_list))
    overdue = {case.pk for case in page if is_overdue(case)}
    return render(
        request,
        "rapidtest/case_list.html",
        {"page": page, "status": status, "overdue": overdue},
    )


def _readable_case(pk: int) -> FollowUpCase:
    """The case with its times through the guard and its overdue mark by its market's clock."""
    market_id = FollowUpCase.objects.filter(pk=pk).values_list("market_id", flat=True).first()
    if market_id is None:
        raise Http404
    queryset = FollowUpCase.objects.select_related(
        "market", "record__product", "record__item", "closed_by"
    ).filter(pk=pk)
    found = list(
        with_readable_case_times(readable_case_times(queryset, figures.live_now([market_id])))
    )
    if not found:
        raise Http404
    return found[0]


@login_required
@require_http_methods(["GET", "POST"])
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _readable_case(pk)
    if not permissions.can_enter(request.user, case.market):
        raise PermissionDenied
    form = CaseForm(initial={f: getattr(case, f) for f in CaseForm.base_fields})
    close_form = CloseCaseForm()
    unreadable = _(
        "A stored time of this case cannot be read (it is out of range), so the case cannot be "
        "edited here. Correct or delete its test record."
    )
    if request.method == "POST" and has_unreadable_times(case):
        messages.error(request, unreadable)
        return redirect("rapidtest:case_detail", pk=pk)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "close":
                close_form = CloseCaseForm(request.POST)
                if close_form.is_valid():
                    services.close_case(request.user, case, close_form.cleaned_data["note"])
                    messages.success(request, _("The case was closed."))
                    return redirect("rapidtest:case_detail", pk=pk)
            else:
                form = CaseForm(request.POST)
                if form.is_valid():
                    data = {
                        k: v
                        for k, v in form.cleaned_data.items()
                        if v not in (None, "")
                        or k in ("supplier_traced", "stall_accepted", "lab_result")
                    }
                    services.update_case(request.user, case, data)
                    messages.success(request, _("The case was updated."))
                    return redirect("rapidtest:case_detail", pk=pk)
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
            case = _readable_case(pk)
    return render(
        request,
        "rapidtest/case_detail.html",
        {
            "case": case,
            "form": form,
            "close_form": close_form,
            "overdue": is_overdue(case),
            "unreadable": unreadable if has_unreadable_times(case) else "",
            "can_close": permissions.can_manage(request.user, case.market)
            and case.status == CaseStatus.OPEN,
        },
    )


@login_required
@require_GET
def integrity(request: HttpRequest) -> HttpResponse:
    if not is_staff_user(request.user):
        raise PermissionDenied
    now = _live_now(request)
    scores = figures.room_scores(request.user, now=now)
    return render(
        request,
        "rapidtest/integrity.html",
        {
            "flags": figures.integrity_checks(request.user, now=now)
            + figures.detection_floor_flags(request.user, now=now, scores=scores),
            "scores": scores,
        },
    )


@login_required
@require_GET
def warnings(request: HttpRequest) -> HttpResponse:
    if not is_staff_user(request.user):
        raise PermissionDenied
    now = _live_now(request)
    return render(
        request, "rapidtest/warnings.html", {"flags": figures.early_warnings(request.user, now)}
    )


def language_code() -> str:
    return get_language() or "zh-hans"


@login_required
@require_GET
def record_photo(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A record's photo evidence, for those who may open the record (404 for anyone else)."""
    record = get_object_or_404(TestRecord.objects.select_related("market"), pk=pk)
    if not record.photo or not permissions.can_enter(request.user, record.market):
        raise Http404
    return serve_upload(record.photo, inline=True)
