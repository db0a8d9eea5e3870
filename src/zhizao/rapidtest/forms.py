"""Forms of the rapid-test pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zhizao.core.choices import MARKET_KINDS, OrganizationKind
from zhizao.core.models import Organization
from zhizao.core.sorting import natural_key
from zhizao.core.validators import (
    validate_no_control_characters,
    validate_no_control_characters_multiline,
)
from zhizao.rapidtest.choices import Category, LabResult
from zhizao.rapidtest.models import Product, TestItem


class PlainTextField(forms.CharField):
    """Text without control characters (core.validators' one rule, on every path; it replaces
    Django's NUL-only check so that the form says what the API and the import say)."""

    def __init__(self, *args: Any, multiline: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]
        self.validators.append(
            validate_no_control_characters_multiline
            if multiline
            else validate_no_control_characters
        )


class TestEntryForm(forms.Form):
    """One screen per test (phone-friendly): product and item are chosen by search. Values are
    passed on as written: the record rules (``validation.py``, the same as the API's and the
    import's) check them and their messages appear on the fields."""

    product = forms.ModelChoiceField(Product.objects.all(), label=_("Product"))
    item = forms.ModelChoiceField(TestItem.objects.all(), label=_("Test item"))
    value = PlainTextField(
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
    stall = PlainTextField(label=_("Booth number"), max_length=32, required=False)
    sample_code = PlainTextField(
        label=_("Sample code (样品编号)"),
        max_length=64,
        required=False,
        help_text=_(
            "Give the same code to every test of one sample (one batch); leave it empty when "
            "the sample has this test only."
        ),
    )
    origin = PlainTextField(label=_("Origin (产地)"), max_length=100, required=False)
    supplier = PlainTextField(label=_("Supplier (供货商)"), max_length=200, required=False)
    batch_kg = PlainTextField(
        label=_("Batch weight (kg)"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    tester_name = PlainTextField(label=_("Tester"), max_length=50, required=False)
    instrument_id = PlainTextField(label=_("Instrument"), max_length=64, required=False)
    photo = forms.ImageField(label=_("Photo of strip or screen"), required=False)
    client_record_id = PlainTextField(widget=forms.HiddenInput, required=False, max_length=64)

    def chosen_product(self) -> Product | None:
        """The product the tester picked, read back from the submitted form so that a form
        shown again after an error keeps it (the search box shows its name)."""
        value = str(self["product"].value() or "")
        return Product.objects.filter(pk=int(value)).first() if value.isdigit() else None

    def item_choices(self) -> list[TestItem]:
        """The test items of the chosen product's category (the list htmx loads on a pick)."""
        product = self.chosen_product()
        if product is None:
            return []
        return list(TestItem.objects.filter(category=product.category))

    def chosen_item_id(self) -> str:
        return str(self["item"].value() or "")


class UploadForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))


class CaseForm(forms.Form):
    held_kg = forms.FloatField(label=_("Held (kg)"), min_value=0, required=False)
    off_sale_kg = forms.FloatField(label=_("Taken off sale (kg)"), min_value=0, required=False)
    destroyed_kg = forms.FloatField(label=_("Destroyed (kg)"), min_value=0, required=False)
    lab_name = PlainTextField(label=_("Laboratory"), max_length=200, required=False)
    lab_result = forms.ChoiceField(label=_("Lab result"), choices=LabResult.choices, required=False)
    stall_accepted = forms.BooleanField(
        label=_("The stall accepted the screening result (no confirmatory test)"), required=False
    )
    supplier_traced = forms.BooleanField(label=_("Supplier traced"), required=False)
    trace_note = PlainTextField(
        label=_("Tracing note"), max_length=300, required=False, multiline=True
    )


class CloseCaseForm(forms.Form):
    note = PlainTextField(label=_("Closing note"), max_length=300, required=False, multiline=True)


class RecordFilterForm(forms.Form):
    """The filters of the records list and the dashboard, kept in the URL under the names
    :func:`zhizao.rapidtest.filters.parse_filters` reads (which checks them; this form renders
    them and names the active ones as chips)."""

    # District and market choices come from one query of the user's markets (__init__).
    district = forms.ChoiceField(label=_("District"), required=False)
    market = forms.ChoiceField(label=_("Market"), required=False)
    kind = forms.ChoiceField(label=_("Market type"), required=False)
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All")), *Category.choices]
    )
    product = forms.ModelChoiceField(
        Product.objects.order_by("name"), label=_("Product"), required=False, empty_label=_("All")
    )
    item = forms.ModelChoiceField(
        TestItem.objects.order_by("name"),
        label=_("Test item"),
        required=False,
        empty_label=_("All"),
    )
    result = forms.ChoiceField(
        label=_("Result"),
        required=False,
        choices=[("", _("All")), ("pass", _("Pass")), ("fail", _("Fail"))],
    )
    date_from = forms.DateField(
        label=_("Tested from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Tested to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    month = forms.RegexField(
        r"^[0-9]{4}-[0-9]{2}$",
        label=_("Month"),
        required=False,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"}),
    )
    supplier = PlainTextField(
        label=_("Supplier"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def __init__(self, *args: Any, markets: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rows = markets.order_by().values_list(
            "pk", "name", "region_id", "region__name", "region__code", "region__path"
        )
        regions: dict[int, tuple[Any, ...]] = {}
        market_choices = []
        for pk, name, region_id, region_name, code, path in rows:
            market_choices.append((str(pk), name))
            regions[region_id] = (code == "", code, path, region_name)  # GB/T 2260 order
        self.fields["market"].choices = [  # type: ignore[attr-defined]
            ("", _("All")),
            *sorted(market_choices, key=lambda choice: natural_key(choice[1])),
        ]
        self.fields["district"].choices = [  # type: ignore[attr-defined]
            ("", _("All")),
            *((str(pk), key[3]) for pk, key in sorted(regions.items(), key=lambda kv: kv[1][:3])),
        ]
        kinds = dict(OrganizationKind.choices)
        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            ("", _("All")),
            *((kind.value, kinds[kind.value]) for kind in MARKET_KINDS),
        ]
