from __future__ import annotations

from django.apps import AppConfig


class StandinConfig(AppConfig):
    name = "standin"
    verbose_name = "Pic-Time stand-in"
    default_auto_field = "django.db.models.BigAutoField"
