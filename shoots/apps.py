from django.apps import AppConfig


class ShootsConfig(AppConfig):
    name = "shoots"
