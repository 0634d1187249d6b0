from django.apps import AppConfig


class CyanConfig(AppConfig):
    name = "cyan"
    verbose_name = "Cyan"

    def ready(self) -> None:
        from django.conf import settings

        from cyan import checks  # noqa: F401  (registers Cyan's system checks)
        from cyan.log_redaction import redact_gunicorn_access_log
        from cyan.logs import connect_task_signals, format_gunicorn_logs

        redact_gunicorn_access_log()
        format_gunicorn_logs(json_logs=settings.CYAN_LOG_FORMAT == "json")
        connect_task_signals()
