import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cyan.settings")
application = get_asgi_application()

from cyan.checks import refuse_to_start_insecurely  # noqa: E402  (needs settings loaded)

refuse_to_start_insecurely()
