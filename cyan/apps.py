from django.apps import AppConfig


class CyanConfig(AppConfig):
    name = "cyan"
    verbose_name = "Cyan"

    def ready(self) -> None:
        from cyan import checks  # noqa: F401  (registers Cyan's system checks)
        from cyan.log_redaction import redact_gunicorn_access_log

        redact_gunicorn_access_log()
