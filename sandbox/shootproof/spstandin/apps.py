from __future__ import annotations

from django.apps import AppConfig


class SpstandinConfig(AppConfig):
    name = "spstandin"
    verbose_name = "ShootProof stand-in"
    default_auto_field = "django.db.models.BigAutoField"
