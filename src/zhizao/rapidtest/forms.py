"""Forms of the rapid-test pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhizao.rapidtest.choices import LabResult
from zhizao.rapidtest.models import Product, TestItem


class TestEntryForm(forms.Form):
    """One screen per test (phone-friendly): product and item are chosen by search."""

    product = forms.ModelChoiceField(Product.objects.all(), label=_("Product"))
    item = forms.ModelChoiceField(TestItem.objects.all(), label=_("Test item"))
    value = forms.CharField(
        label=_("Measured value"),
        max_length=32,
        help_text=_("A number, or 阴性/阳性 for strip tests."),
    )
    result = forms.ChoiceField(
        label=_("Result shown by the instrument (optional)"),
        required=False,
        choices=[("", "—"), ("pass", _("Pass (合格)")), ("fail", _("Fail (不合格)"))],
    )
    tested_at = forms.DateTimeField(
        label=_("Tested at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    stall = forms.CharField(label=_("Booth number"), max_length=32, required=False)
    origin = forms.CharField(label=_("Origin (产地)"), max_length=100, required=False)
    supplier = forms.CharField(label=_("Supplier (供货商)"), max_length=200, required=False)
    batch_kg = forms.FloatField(label=_("Batch weight (kg)"), required=False, min_value=0)
    tester_name = forms.CharField(label=_("Tester"), max_length=50, required=False)
    instrument_id = forms.CharField(label=_("Instrument"), max_length=64, required=False)
    photo = forms.ImageField(label=_("Photo of strip or screen"), required=False)
    client_record_id = forms.CharField(widget=forms.HiddenInput, required=False)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))


class CaseForm(forms.Form):
    held_kg = forms.FloatField(label=_("Held (kg)"), min_value=0, required=False)
    off_sale_kg = forms.FloatField(label=_("Taken off sale (kg)"), min_value=0, required=False)
    destroyed_kg = forms.FloatField(label=_("Destroyed (kg)"), min_value=0, required=False)
    lab_name = forms.CharField(label=_("Laboratory"), max_length=200, required=False)
    lab_result = forms.ChoiceField(label=_("Lab result"), choices=LabResult.choices, required=False)
    stall_accepted = forms.BooleanField(
        label=_("The stall accepted the screening result (no confirmatory test)"), required=False
    )
    supplier_traced = forms.BooleanField(label=_("Supplier traced"), required=False)
    trace_note = forms.CharField(label=_("Tracing note"), max_length=300, required=False)


class CloseCaseForm(forms.Form):
    note = forms.CharField(label=_("Closing note"), max_length=300, required=False)
