"""Forms of the shoot pages. They parse input; the rules live in shoots.services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Studio
from contacts.models import Contact
from core.clock import NonexistentLocalTime, local_datetime, studio_zone
from core.dates import DATE_INPUT_LIMITS, validate_date
from shoots.models import Shoot, ShootContact

DATE_HELP = "e.g. 2026-06-30"
TIME_HELP = "e.g. 14:30"

# Service error keys that are not form fields of the same name.
SERVICE_FIELD_TO_FORM_FIELD = {"starts_at": "date"}


def _date_field(**kwargs: Any) -> forms.DateField:
    return forms.DateField(
        widget=forms.DateInput(attrs={"type": "date", **DATE_INPUT_LIMITS}, format="%Y-%m-%d"),
        error_messages={"invalid": f"Enter a real date as YYYY-MM-DD ({DATE_HELP})."},
        validators=[validate_date],
        **kwargs,
    )


class ShootForm(forms.Form):
    """A shoot's own fields; the date and time are read on the studio's clocks."""

    title = forms.CharField(max_length=200)
    shoot_type = forms.ChoiceField(
        label="Type", choices=Shoot.Type.choices, initial=Shoot.Type.PORTRAIT
    )
    status = forms.ChoiceField(choices=Shoot.Status.choices, initial=Shoot.Status.ENQUIRY)
    date = _date_field()
    time = forms.TimeField(
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": f"Enter a time as HH:MM ({TIME_HELP})."},
    )
    location = forms.CharField(max_length=200, required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    gallery_provider = forms.ChoiceField(
        label="Gallery provider",
        choices=[("", "— none —"), *Shoot.GalleryProvider.choices],
        required=False,
    )
    gallery_id = forms.CharField(
        label="Gallery ID",
        max_length=100,
        required=False,
        help_text="Orders from this gallery will point at this shoot's clients.",
    )
    gallery_url = forms.URLField(
        label="Gallery link", max_length=500, required=False, assume_scheme="https"
    )

    def __init__(self, *args: Any, studio: Studio, with_status: bool = True, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.zone = studio_zone(studio)
        self.fields["time"].help_text = f"{TIME_HELP}, {self.zone.key} time"
        if not with_status:
            # On edit the status moves only through the detail page's actions.
            del self.fields["status"]

    @classmethod
    def initial_for(cls, shoot: Shoot, studio: Studio) -> dict[str, Any]:
        local = timezone.localtime(shoot.starts_at, studio_zone(studio))
        return {
            "title": shoot.title,
            "shoot_type": shoot.shoot_type,
            "status": shoot.status,
            "date": local.date(),
            "time": local.time().replace(second=0, microsecond=0),
            "location": shoot.location,
            "notes": shoot.notes,
            "gallery_provider": shoot.gallery_provider,
            "gallery_id": shoot.gallery_id,
            "gallery_url": shoot.gallery_url,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        day, time = data.get("date"), data.get("time")
        if isinstance(day, dt.date) and isinstance(time, dt.time):
            try:
                data["starts_at"] = local_datetime(day, time, self.zone)
            except NonexistentLocalTime:
                self.add_error(
                    "time",
                    f"{time:%H:%M} does not exist on {day:%d %b %Y} in {self.zone.key} "
                    "(the clocks go forward). Choose another time.",
                )
        return data

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values as create_shoot()/update_shoot() keywords."""
        names = [name for name in self.fields if name not in {"date", "time"}]
        return {name: self.cleaned_data[name] for name in names} | {
            "starts_at": self.cleaned_data["starts_at"]
        }

    def add_service_errors(self, error: ValidationError) -> None:
        for key, messages in error.message_dict.items():
            field = SERVICE_FIELD_TO_FORM_FIELD.get(key, key)
            self.add_error(field if field in self.fields else None, messages)


class ShootContactForm(forms.Form):
    """One person at the shoot. The contact choices are built once per page, not per row."""

    # The rows sit in a table under "Contact" / "Role" headings, so the labels are ARIA ones.
    # Not required: a row left on "— choose a contact —" simply adds no one.
    contact = forms.TypedChoiceField(
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.Select(attrs={"aria-label": "Contact"}),
    )
    role = forms.ChoiceField(
        choices=ShootContact.Role.choices,
        initial=ShootContact.Role.CLIENT,
        widget=forms.Select(attrs={"aria-label": "Role"}),
    )

    def __init__(self, *args: Any, contact_choices: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["contact"].choices = [("", "— choose a contact —"), *contact_choices]


class BaseShootContactFormSet(forms.BaseFormSet):
    def kept_forms(self) -> list[ShootContactForm]:
        """Rows that name a contact and are not ticked for removal."""
        return [
            form
            for form in self.forms
            if form.cleaned_data.get("contact") and not self._should_delete_form(form)
        ]

    def clean(self) -> None:
        if any(self.errors):
            return
        chosen = [form.cleaned_data["contact"] for form in self.kept_forms()]
        if len(chosen) != len(set(chosen)):
            raise ValidationError("Each contact can be listed only once; remove the repeat.")

    def links(self, studio: Studio) -> list[tuple[Contact, str]]:
        """The chosen (contact, role) pairs, for the services."""
        kept = self.kept_forms()
        contacts = Contact.objects.for_studio(studio).in_bulk(
            [form.cleaned_data["contact"] for form in kept]
        )
        return [
            (contacts[form.cleaned_data["contact"]], form.cleaned_data["role"])
            for form in kept
            if form.cleaned_data["contact"] in contacts
        ]


ShootContactFormSet = forms.formset_factory(
    ShootContactForm, formset=BaseShootContactFormSet, extra=1, can_delete=True
)


class ShootFilterForm(forms.Form):
    """The list's filters (GET). Invalid values are reported and left out of the filter."""

    status = forms.ChoiceField(
        choices=[("", "All statuses"), *Shoot.Status.choices], required=False
    )
    date_from = _date_field(label="From", required=False)
    date_to = _date_field(label="To", required=False)
    q = forms.CharField(label="Search", required=False, max_length=200)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The “to” date is before the “from” date.")
        return data

    def filters(self) -> dict[str, Any]:
        """Keywords for selectors.shoot_list() from the fields that parsed."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "status": data.get("status") or None,
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "query": data.get("q") or "",
        }
