"""The upload form; the mapping form is built per file (one select per column)."""

from __future__ import annotations

from django import forms

from transfers.models import Kind
from transfers.reading import MAX_BYTES


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="What the file holds", choices=Kind.choices, initial=Kind.CONTACTS
    )
    file = forms.FileField(
        label="File (CSV, XLSX or vCard)",
        help_text="Exports of Light Blue, HoneyBook, Dubsado, Studio Ninja, Táve, 17hats, "
        "Google Contacts or Outlook, a spreadsheet, or your phone's contacts (.vcf).",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB: split it."
            )
        return upload
