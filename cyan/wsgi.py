import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cyan.settings")
django_application = get_wsgi_application()

from cyan.checks import refuse_to_start_insecurely  # noqa: E402  (needs settings loaded)
from cyan.webhook_wsgi import dispatch, webhook_routes  # noqa: E402

refuse_to_start_insecurely()
# Webhook POSTs skip the middleware stack (cyan/webhook_wsgi.py); the rest is Django's.
application = dispatch(django_application, webhook_routes())
