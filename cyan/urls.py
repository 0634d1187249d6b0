from django.urls import include, path

from cyan import views
from galleries import providers
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
    path("health/ready", views.health_ready, name="health_ready"),
    path("accounts/", include("accounts.urls")),
    path("contacts/", include("contacts.urls")),
    path("shoots/", include("shoots.urls")),
    path("sales/", include("sales.urls")),
    path("inbox/", include("inbox.urls")),
    *webhook_patterns,
    path("galleries/", include("galleries.urls")),
    path("reports/", include("reports.urls")),
    path("preferences/integrations/api/", include("api.ui_urls")),
    path("api/", include("api.urls")),
]
