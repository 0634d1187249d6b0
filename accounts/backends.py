from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    """Logs in by email, case-insensitively."""

    def authenticate(self, request, username=None, password=None, **kwargs):  # type: ignore[override]
        email = (username or kwargs.get("email") or "").strip().lower()
        return super().authenticate(request, username=email, password=password, **kwargs)
