from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from cyan import views
from cyan.metrics import metrics_view
from galleries import providers
from galleries.urls import gallery_urls
from inbox.tasks import poll_new_link
from inbox.webhooks import provider_webhook

# A webhook receiver for each provider that has webhooks (galleries.linking.webhook_url).
webhook_patterns = [
    path(
        f"galleries/webhooks/{provider.name}/",
        provider_webhook,
        {"provider": provider.name},
        name=f"{provider.name}_webhook",
    )
    for provider in providers.all()
    if provider.has_webhooks
]

urlpatterns = [
    path("", views.home, name="home"),
    path("health", views.health, name="health"),
    path("ready", views.ready, name="ready"),
    path("health/ready", views.ready, name="health_ready"),  # the older name, kept
    path("metrics", metrics_view, name="metrics"),
    # Browsers ask for it whatever the page links (and each miss was a warning in the log).
    path("favicon.ico", RedirectView.as_view(url=static("cyan/favicon.svg"), permanent=True)),
    path("accounts/", include("accounts.urls")),
    path("contacts/", include("contacts.urls")),
    path("contacts/", include("transfers.urls")),  # Contacts → Import / Export
    path("shoots/", include("shoots.urls")),
    path("sales/", include("sales.urls")),
    path("inbox/", include("inbox.urls")),
    *webhook_patterns,
    # A new link's 90-day backfill starts at once: the project hands the Inbox's first
    # poll to the galleries' callback (neither app imports the other for it).
    path("galleries/", include((gallery_urls(after_link=poll_new_link), "galleries"))),
    path("invoicing/", include("invoicing.urls")),
    path("preferences/notifications/", include("notifications.urls")),
    path("reports/", include("reports.urls")),
    path("preferences/integrations/api/", include("api.ui_urls")),
    path("preferences/integrations/webhooks/", include("events.urls")),
    path("api/", include("api.urls")),
]
