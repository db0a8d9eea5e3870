"""The supervision-sampling sections of the enterprise profile: the organization's sampling
results as producer or seller. Public: counts per year (batches sampled, conforming), as the
published pass rates count them; private: each batch with its report and follow-up, to those
``SampledBatch.objects.visible_to`` lets see it."""

from __future__ import annotations

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from zhizao.core.models import Organization
from zhizao.core.permissions import AnyUser
from zhizao.enterprise.profile import Row, Section, register
from zhizao.sampling.choices import Verdict
from zhizao.sampling.models import SampledBatch


def _as_party(organization: Organization) -> Q:
    return Q(producer=organization) | Q(seller=organization)


def _results(organization: Organization, user: AnyUser) -> list[Row]:
    years = (
        SampledBatch.objects.filter(_as_party(organization))
        .annotate(year=ExtractYear("sampled_on"))
        .values("year")
        .annotate(
            batches=Count("pk"),
            produced=Count("pk", filter=Q(producer=organization)),
            conforming=Count("pk", filter=Q(verdict=Verdict.PASS) | Q(overturned_on_retest=True)),
            synthetic=Count("pk", filter=Q(is_synthetic=True)),
        )
        .order_by("-year")
    )
    return [
        {
            "year": row["year"],
            "batches": row["batches"],
            "produced": row["produced"],
            "sold": row["batches"] - row["produced"],
            "conforming": row["conforming"],
            "synthetic": row["synthetic"] > 0,
        }
        for row in years
    ]


def _batches(organization: Organization, user: AnyUser) -> list[Row]:
    batches = (
        SampledBatch.objects.visible_to(user)
        .filter(_as_party(organization))
        .select_related("producer", "case")
        .order_by("-sampled_on", "-pk")
    )
    rows: list[Row] = []
    for batch in batches:
        case = getattr(batch, "case", None)
        rows.append(
            {
                "sampled_on": batch.sampled_on.isoformat(),
                "product": batch.product,
                "role": str(_("producer") if batch.producer_id == organization.pk else _("seller")),
                "report": batch.report_number,
                "verdict": str(batch.get_verdict_display()),
                "case": str(case.get_status_display()) if case is not None else "",
                "synthetic": batch.is_synthetic,
            }
        )
    return rows


register(
    Section(
        "sampling_results",
        _("Supervision sampling results"),
        45,
        private=False,
        columns=(
            ("year", _("year")),
            ("batches", _("batches sampled")),
            ("produced", _("as producer")),
            ("sold", _("as seller")),
            ("conforming", _("conforming")),
        ),
        rows=_results,
        app="sampling",
    ),
    Section(
        "sampled_batches",
        _("Sampled batches"),
        140,
        private=True,
        columns=(
            ("sampled_on", _("sampled on")),
            ("product", _("product")),
            ("role", _("role")),
            ("report", _("report number")),
            ("verdict", _("verdict")),
            ("case", _("non-conformity case")),
        ),
        rows=_batches,
        app="sampling",
    ),
)
