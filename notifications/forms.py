from django import forms

from notifications.models import NotificationSettings


class NotificationSettingsForm(forms.ModelForm):
    class Meta:
        model = NotificationSettings
        fields = ["new_orders", "changes_after_import", "email", "digest_hour"]
        labels = {
            "new_orders": "When gallery orders arrive",
            "changes_after_import": "Tell me when the gallery refunds or cancels an imported order",
            "email": "Send to",
            "digest_hour": "Send the daily email after (hour, 0–23)",
        }
        widgets = {"new_orders": forms.RadioSelect}

    def clean_digest_hour(self) -> int:
        hour = self.cleaned_data["digest_hour"]
        if not 0 <= hour <= 23:
            raise forms.ValidationError("An hour of the day: 0 to 23.")
        return hour
