import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cyan.settings")
application = get_wsgi_application()

from cyan.checks import refuse_to_start_insecurely  # noqa: E402  (needs settings loaded)

refuse_to_start_insecurely()
