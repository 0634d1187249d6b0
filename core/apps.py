from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app uses (money, paging, the studio's clock, limits, throttles) and the
    template tags that show it; an installed app only so its template tags load."""

    name = "core"
    verbose_name = "Core"
