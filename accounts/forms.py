from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from accounts.models import Studio, country_choices, currency_choices, time_zone_choices
from core import throttle


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


class ThrottledAuthenticationForm(AuthenticationForm):
    """Email and password, refused while the email or the client's address has failed too
    often (core/throttle.py). Known and unknown emails are counted and answered alike, so
    the answers never tell which accounts exist."""

    throttled = False

    def clean(self):  # type: ignore[no-untyped-def]
        email = self.cleaned_data.get("username") or ""
        counters = (
            throttle.account_counter("login", email),
            throttle.address_counter("login", self.request),
        )
        if throttle.locked(*counters):
            self.throttled = True
            raise ValidationError(throttle.locked_message(), code="throttled")
        try:
            cleaned = super().clean()
        except ValidationError:
            throttle.record_failure(*counters)
            raise
        counters[0].clear()
        return cleaned
