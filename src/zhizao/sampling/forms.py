"""Forms of the supervision-sampling pages. Values are passed on as written: the batch's one
validator (``services.check_batch``, the import's and the API's too) checks them, and its
messages appear on the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhizao.core.filters import city_districts
from zhizao.core.models import Region
from zhizao.sampling.choices import CaseStatus, Domain, Grouping, Verdict
from zhizao.sampling.models import SampledBatch, SamplingPlan

ITEM_ROWS = 5


class BatchForm(forms.Form):
    """One batch with up to five test items (``item_<n>_name`` …)."""

    plan = forms.ModelChoiceField(SamplingPlan.objects.none(), label=_("Sampling plan"))
    category = forms.CharField(label=_("Product category"), max_length=100)
    producer_credit_code = forms.CharField(
        label=_("Producer's unified social credit code"), max_length=18
    )
    seller_credit_code = forms.CharField(
        label=_("Seller's unified social credit code"), max_length=18, required=False
    )
    product = forms.CharField(label=_("Product"), max_length=200)
    brand = forms.CharField(label=_("Brand"), max_length=100, required=False)
    specification = forms.CharField(label=_("Specification"), max_length=100, required=False)
    batch_number = forms.CharField(label=_("Batch number"), max_length=100, required=False)
    sampled_on = forms.DateField(
        label=_("Sampled on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    place = forms.CharField(label=_("Place sampled"), max_length=200, required=False)
    district = forms.ModelChoiceField(
        Region.objects.none(), label=_("District"), required=False, empty_label=_("The producer's")
    )
    report_number = forms.CharField(label=_("Report number"), max_length=60)
    standards = forms.CharField(
        label=_("Standards tested against"),
        max_length=300,
        required=False,
        help_text=_("Codes separated by ；, e.g. GB 2762-2022；GB 2763-2021"),
    )

    def __init__(self, *args: Any, plans: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if plans is not None:
            self.fields["plan"].queryset = plans  # type: ignore[attr-defined]
        self.fields["district"].queryset = city_districts()  # type: ignore[attr-defined]
        verdicts = [("", "—"), *Verdict.choices]
        for index in range(ITEM_ROWS):
            self.fields[f"item_{index}_name"] = forms.CharField(
                label=_("Test item %(n)d") % {"n": index + 1}, max_length=100, required=index == 0
            )
            self.fields[f"item_{index}_value"] = forms.CharField(
                label=_("Value"), max_length=40, required=False
            )
            self.fields[f"item_{index}_limit"] = forms.CharField(
                label=_("Limit"), max_length=40, required=False
            )
            self.fields[f"item_{index}_unit"] = forms.CharField(
                label=_("Unit"), max_length=20, required=False
            )
            self.fields[f"item_{index}_verdict"] = forms.ChoiceField(
                label=_("Item verdict"), choices=verdicts, required=False
            )

    def batch_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if not name.startswith("item_")]

    def item_rows(self) -> list[list[Any]]:
        return [
            [self[f"item_{index}_{part}"] for part in ("name", "value", "limit", "unit", "verdict")]
            for index in range(ITEM_ROWS)
        ]


class ImportForm(forms.Form):
    plan = forms.ModelChoiceField(SamplingPlan.objects.none(), label=_("Sampling plan"))
    file = forms.FileField(label=_("CSV or XLSX file of the lab's results"))

    def __init__(self, *args: Any, plans: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if plans is not None:
            self.fields["plan"].queryset = plans  # type: ignore[attr-defined]


class PassRateForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    domain = forms.ChoiceField(
        label=_("Domain"), required=False, choices=[("", _("All domains")), *Domain.choices]
    )
    by = forms.ChoiceField(label=_("Group by"), required=False, choices=Grouping.choices)


class BatchFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Product or report"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    domain = forms.ChoiceField(
        label=_("Domain"), required=False, choices=[("", _("All domains")), *Domain.choices]
    )
    verdict = forms.ChoiceField(
        label=_("Verdict"), required=False, choices=[("", _("All verdicts")), *Verdict.choices]
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    district = forms.ModelChoiceField(
        Region.objects.none(), label=_("District"), required=False, empty_label=_("All districts")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = city_districts()  # type: ignore[attr-defined]


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *CaseStatus.choices]
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RetestForm(forms.Form):
    conforms = forms.TypedChoiceField(
        label=_("Re-test result"),
        choices=[("yes", _("Conforms")), ("no", _("Does not conform"))],
        coerce=lambda value: value == "yes",
    )
    lab = forms.CharField(label=_("Re-test laboratory"), max_length=200)
    report_number = forms.CharField(label=_("Re-test report number"), max_length=60)


class FollowUpForm(forms.Form):
    batch = forms.ModelChoiceField(SampledBatch.objects.none(), label=_("Follow-up batch"))

    def __init__(self, *args: Any, batches: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if batches is not None:
            self.fields["batch"].queryset = batches  # type: ignore[attr-defined]
