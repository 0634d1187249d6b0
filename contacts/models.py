"""Contacts: the photographer's clients, with any number of emails, phones and addresses."""

from __future__ import annotations

from django.db import models

from accounts.models import StudioOwned
from core import limits
from core.providers import with_providers


class Tag(StudioOwned):
    name = models.CharField(max_length=limits.TAG)

    class Meta:
        constraints = [models.UniqueConstraint("studio", "name", name="uniq_tag_per_studio")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Contact(StudioOwned):
    Source = with_providers(
        "Source",
        before=(
            ("MANUAL", "manual", "Entered by hand"),
            ("REFERRAL", "referral", "Referral"),
            ("WEBSITE", "website", "Website enquiry"),
        ),
        after=(
            ("API", "api", "API"),
            ("IMPORT", "import", "Imported"),
            ("OTHER", "other", "Other"),
        ),
        label_suffix=" order",
    )

    first_name = models.CharField(max_length=limits.FIRST_NAME, blank=True)
    last_name = models.CharField(max_length=limits.LAST_NAME, blank=True)
    company = models.CharField(max_length=limits.COMPANY, blank=True)
    notes = models.TextField(blank=True)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.MANUAL)
    tags = models.ManyToManyField(Tag, blank=True, related_name="contacts")
    # Blocking keys for contacts/matching.py, kept in step by contacts.services.
    name_key = models.CharField(max_length=200, blank=True, db_index=True)
    surname_key = models.CharField(max_length=60, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            models.Index(fields=["studio", "last_name", "first_name"]),
            models.Index(fields=["studio", "name_key"]),
            models.Index(fields=["studio", "surname_key"]),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip()
        return name or self.company or "(no name)"


class ContactEmail(StudioOwned):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="emails")
    email = models.CharField(max_length=limits.EMAIL)
    email_normalized = models.CharField(max_length=limits.EMAIL)
    label = models.CharField(max_length=limits.DETAIL_LABEL, blank=True)
    is_primary = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_primary", "id"]
        indexes = [models.Index(fields=["studio", "email_normalized"])]

    def __str__(self) -> str:
        return self.email


class ContactPhone(StudioOwned):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="phones")
    raw = models.CharField(max_length=limits.PHONE)
    e164 = models.CharField(max_length=20, blank=True)
    label = models.CharField(max_length=limits.DETAIL_LABEL, blank=True)
    is_primary = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_primary", "id"]
        indexes = [models.Index(fields=["studio", "e164"])]

    def __str__(self) -> str:
        return self.raw


class ContactAddress(StudioOwned):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="addresses")
    label = models.CharField(max_length=limits.DETAIL_LABEL, blank=True)
    line1 = models.CharField(max_length=limits.ADDRESS_LINE, blank=True)
    line2 = models.CharField(max_length=limits.ADDRESS_LINE, blank=True)
    city = models.CharField(max_length=limits.CITY, blank=True)
    region = models.CharField(max_length=limits.REGION, blank=True)
    postcode = models.CharField(max_length=limits.POSTCODE, blank=True)
    postcode_key = models.CharField(max_length=20, blank=True)
    # House number + start of the street name (contacts.keys.street_key), for matching.
    street_key = models.CharField(max_length=30, blank=True)
    country = models.CharField(max_length=limits.COUNTRY, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["studio", "postcode_key"]),
            models.Index(fields=["studio", "street_key"]),
        ]

    def __str__(self) -> str:
        parts = [self.line1, self.line2, self.city, self.region, self.postcode, self.country]
        return ", ".join(p for p in parts if p)
