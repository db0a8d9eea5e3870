"""Forms of the assessment pages; the services check the values (docs/assessment.md)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zhizao.assessment.models import AssessmentTemplate, Item
from zhizao.core.models import Region


class OpenAssessmentForm(forms.Form):
    template = forms.ModelChoiceField(AssessmentTemplate.objects.all(), label=_("Template"))
    region = forms.ModelChoiceField(Region.objects.none(), label=_("Region"))

    def __init__(self, *args: Any, regions: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]


class TemplateForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("Name"), max_length=200)


class CopyTemplateForm(forms.Form):
    source = forms.ModelChoiceField(AssessmentTemplate.objects.all(), label=_("Copy from"))
    year = forms.IntegerField(label=_("For the year"), min_value=2000, max_value=2100)
    name = forms.CharField(
        label=_("Name"), max_length=200, required=False, help_text=_("Empty: the same name.")
    )


class ItemForm(forms.Form):
    number = forms.CharField(label=_("Number"), max_length=16, help_text=_("e.g. 3 or 3.2"))
    title_zh = forms.CharField(label=_("Title (zh)"), max_length=200)
    title_en = forms.CharField(label=_("Title (en)"), max_length=300, required=False)
    points = forms.DecimalField(label=_("Points"), min_value=0, max_digits=6, decimal_places=2)
    criteria = forms.CharField(
        label=_("Criteria"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    required_documents = forms.CharField(
        label=_("Required documents"),
        required=False,
        help_text=_("One document per line."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    indicators = forms.CharField(
        label=_("Indicators"),
        required=False,
        help_text=_(
            "One indicator code per line, optionally with a rule that suggests the self-score: "
            "rapidtest.pass_rate >= 98, incidents.major <= 0."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    @classmethod
    def for_item(cls, item: Item) -> ItemForm:
        return cls(
            initial={
                "number": item.number,
                "title_zh": item.title_zh,
                "title_en": item.title_en,
                "points": item.points,
                "criteria": item.criteria,
                "required_documents": item.required_documents,
                "indicators": "\n".join(str(mapping) for mapping in item.indicators.all()),
            }
        )


class ScoreForm(forms.Form):
    self_score = forms.DecimalField(
        label=_("Self-score"), required=False, min_value=0, max_digits=6, decimal_places=2
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("Document (PDF, DOCX or XLSX)"))


class AssessmentFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
