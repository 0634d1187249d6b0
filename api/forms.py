from django import forms

from api.models import ApiKey


class GenerateKeyForm(forms.Form):
    name = forms.CharField(
        label="Name",
        required=False,
        max_length=ApiKey._meta.get_field("name").max_length,
        help_text="Where the key will be used, e.g. “Zapier” or “theimagefile”.",
    )
