"""Shoots: a session the studio photographs, its clients, and (optionally) its online gallery."""

from __future__ import annotations

from django.db import models

from accounts.models import StudioOwned
from contacts.models import Contact
from core.providers import with_providers


class Shoot(StudioOwned):
    class Type(models.TextChoices):
        WEDDING = "wedding", "Wedding"
        PORTRAIT = "portrait", "Portrait"
        FAMILY = "family", "Family"
        NEWBORN = "newborn", "Newborn"
        EVENT = "event", "Event"
        COMMERCIAL = "commercial", "Commercial"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        ENQUIRY = "enquiry", "Enquiry"
        CONFIRMED = "confirmed", "Confirmed"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    # core.providers' values, so an order's provider compares equal to the shoot's.
    GalleryProvider = with_providers("GalleryProvider", after=(("OTHER", "other", "Other"),))

    title = models.CharField(max_length=200)
    shoot_type = models.CharField(max_length=20, choices=Type.choices, default=Type.PORTRAIT)
    starts_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ENQUIRY)
    location = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    contacts = models.ManyToManyField(Contact, through="ShootContact", related_name="shoots")
    # The shoot's online gallery, so an order from it points at this shoot's clients.
    gallery_provider = models.CharField(max_length=20, choices=GalleryProvider.choices, blank=True)
    gallery_id = models.CharField(max_length=100, blank=True)
    gallery_url = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["studio", "status", "starts_at"]),
            models.Index(fields=["studio", "starts_at"]),
            models.Index(fields=["studio", "gallery_provider", "gallery_id"]),
            # contacts.matching finds a gallery by URL when its id is unknown.
            models.Index(fields=["studio", "gallery_url"]),
        ]
        constraints = [
            # One shoot per gallery: an order from the gallery must point at one shoot.
            models.UniqueConstraint(
                "studio",
                "gallery_provider",
                "gallery_id",
                condition=~models.Q(gallery_id=""),
                name="uniq_shoot_per_gallery",
                violation_error_message="Another shoot already records this gallery.",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ShootContact(StudioOwned):
    class Role(models.TextChoices):
        CLIENT = "client", "Client"
        PARTNER = "partner", "Partner"
        GUEST = "guest", "Guest"
        PARENT = "parent", "Parent"
        CHILD = "child", "Child"
        OTHER = "other", "Other"

    shoot = models.ForeignKey(Shoot, on_delete=models.CASCADE, related_name="shoot_contacts")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="shoot_links")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CLIENT)

    class Meta:
        constraints = [
            models.UniqueConstraint("shoot", "contact", name="uniq_contact_per_shoot"),
        ]
        indexes = [models.Index(fields=["studio", "contact"])]

    def __str__(self) -> str:
        return f"{self.contact} ({self.get_role_display()}) at {self.shoot}"
