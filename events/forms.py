from django import forms

from events.models import EVENT_TYPES

# The name a receiver sees in `type`, beside what it means.
CHOICES = [(name, f"{name}: {meaning}") for name, meaning in EVENT_TYPES]


class EndpointForm(forms.Form):
    url = forms.CharField(
        label="Endpoint URL",
        max_length=2000,
        widget=forms.URLInput(attrs={"placeholder": "https://example.com/cyan-webhooks"}),
    )
    description = forms.CharField(label="Description", max_length=200, required=False)
    events = forms.MultipleChoiceField(
        label="Events", choices=CHOICES, widget=forms.CheckboxSelectMultiple
    )


class EventsForm(forms.Form):
    events = forms.MultipleChoiceField(
        label="Events", choices=CHOICES, widget=forms.CheckboxSelectMultiple
    )
