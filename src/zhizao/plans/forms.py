"""Forms of the plans pages: a submission's entry form (one value and explanation per figure of
its data set, and an evidence PDF), the review form and the progress report."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhizao.plans.choices import TaskStatus
from zhizao.plans.models import DataElement, Submission


class SubmissionEntryForm(forms.Form):
    evidence = forms.FileField(
        label=_("Evidence document (PDF)"), required=False, widget=forms.ClearableFileInput
    )

    def __init__(
        self,
        *args: Any,
        submission: Submission | None,
        elements: list[DataElement],
        **kwargs: Any,
    ) -> None:
        initial: dict[str, Any] = {}
        for row in submission.values.all() if submission is not None else []:
            initial[f"value_{row.element_id}"] = row.value
            initial[f"explanation_{row.element_id}"] = row.explanation
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.elements = elements
        for element in elements:
            figure = element.figure
            self.fields[f"value_{element.pk}"] = forms.DecimalField(
                label=f"{element.label} ({figure.unit})",
                required=False,
                max_digits=14,
                decimal_places=2,
            )
            self.fields[f"explanation_{element.pk}"] = forms.CharField(
                label=_("Explanation"), required=False, max_length=500
            )

    def entries(self) -> dict[int, tuple[Decimal | None, str]]:
        return {
            element.pk: (
                self.cleaned_data.get(f"value_{element.pk}"),
                self.cleaned_data.get(f"explanation_{element.pk}") or "",
            )
            for element in self.elements
        }

    def rows(self) -> list[tuple[DataElement, Any, Any]]:
        return [
            (element, self[f"value_{element.pk}"], self[f"explanation_{element.pk}"])
            for element in self.elements
        ]


class ReviewForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (for a return or an unlock)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Filled-in template (XLSX)"))


class ProgressForm(forms.Form):
    period = forms.CharField(label=_("Period"), max_length=8, help_text=_("2021, 2021Q3 or 202109"))
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}))
    value = forms.DecimalField(label=_("Figure"), required=False, max_digits=14, decimal_places=2)
    status = forms.ChoiceField(
        label=_("Task status"), choices=[("", "—"), *TaskStatus.choices], required=False
    )
    document = forms.FileField(label=_("Document (PDF)"), required=False)
