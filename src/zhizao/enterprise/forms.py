"""Forms of the enterprise pages; they validate input, the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhizao.core.choices import IndustryChain
from zhizao.core.models import Region
from zhizao.enterprise.choices import EventKind


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or credit code"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    chain = forms.ChoiceField(
        label=_("Industry chain"),
        required=False,
        choices=[("", "—"), *[(value, label) for value, label in IndustryChain.choices if value]],
    )


class OfficerForm(forms.Form):
    person_name = forms.CharField(label=_("Name"), max_length=100)
    appointed_on = forms.DateField(
        label=_("Appointed on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    certificate_number = forms.CharField(
        label=_("Certificate number"), max_length=64, required=False
    )
    certificate_valid_until = forms.DateField(
        label=_("Certificate valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    topic = forms.CharField(label=_("Topic"), max_length=300)
    organizer = forms.CharField(label=_("Organizer"), max_length=200)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    trainers = forms.CharField(
        label=_("Trainers"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    trains_officers = forms.BooleanField(label=_("Chief quality officer training"), required=False)


class AttendanceForm(forms.Form):
    rows = forms.CharField(
        label=_("Participants"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One a line: credit code, name of the person (optional), and “absent” if invited "
            "but absent, separated by commas."
        ),
    )


class MaterialForm(forms.Form):
    file = forms.FileField(label=_("PDF material (at most 10 MB)"))


class PerformanceForm(forms.Form):
    """One year's values as text (the service parses them as Decimals, never floats)."""

    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    output = forms.CharField(label=_("Output"), required=False, max_length=30)
    output_unit = forms.CharField(label=_("Output unit"), required=False, max_length=16)
    orders = forms.CharField(label=_("Orders"), required=False, max_length=30)
    shipments = forms.CharField(label=_("Shipments"), required=False, max_length=30)
    revenue = forms.CharField(label=_("Revenue (yuan)"), required=False, max_length=30)
    output_value = forms.CharField(label=_("Output value (yuan)"), required=False, max_length=30)
    internal_loss_cost = forms.CharField(
        label=_("Internal quality-loss cost (yuan)"), required=False, max_length=30
    )
    external_loss_cost = forms.CharField(
        label=_("External quality-loss cost (yuan)"), required=False, max_length=30
    )
    first_pass_yield = forms.CharField(
        label=_("First-pass yield (%)"), required=False, max_length=10
    )
    complaints = forms.CharField(label=_("Complaints"), required=False, max_length=10)
    patents_valid = forms.CharField(label=_("Valid patents"), required=False, max_length=10)
    patents_invention = forms.CharField(
        label=_("Valid invention patents"), required=False, max_length=10
    )
    patents_overseas = forms.CharField(label=_("Overseas patents"), required=False, max_length=10)
    confirm = forms.MultipleChoiceField(
        label=_("I confirm"), required=False, widget=forms.CheckboxSelectMultiple, choices=[]
    )

    def values(self) -> dict[str, str]:
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in ("year", "confirm") and value not in ("", None)
        }


class ReviewForm(forms.Form):
    accept = forms.BooleanField(label=_("Accept"), required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
