from django import forms

from accounts.models import Studio, country_choices, currency_choices, time_zone_choices


class PreferencesForm(forms.ModelForm):
    default_currency = forms.ChoiceField(choices=currency_choices)
    country = forms.ChoiceField(choices=country_choices, help_text="Used to read phone numbers.")
    time_zone = forms.ChoiceField(choices=time_zone_choices)

    class Meta:
        model = Studio
        fields = [
            "name",
            "default_currency",
            "country",
            "time_zone",
            "create_contact_on_import",
            "auto_import_certain_matches",
        ]
