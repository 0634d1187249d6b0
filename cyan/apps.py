from django.apps import AppConfig


class CyanConfig(AppConfig):
    name = "cyan"
    verbose_name = "Cyan"
