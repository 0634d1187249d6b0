from django.urls import include, path

from cyan import views
from inbox.webhooks import pictime_webhook

urlpatterns = [
    path("", views.home, name="home"),
    path("health", views.health, name="health"),
    path("health/ready", views.health_ready, name="health_ready"),
    path("accounts/", include("accounts.urls")),
    path("contacts/", include("contacts.urls")),
    path("shoots/", include("shoots.urls")),
    path("sales/", include("sales.urls")),
    path("inbox/", include("inbox.urls")),
    path("galleries/webhooks/pictime/", pictime_webhook, name="pictime_webhook"),
    path("galleries/", include("galleries.urls")),
    path("invoicing/", include("invoicing.urls")),
    path("reports/", include("reports.urls")),
    path("preferences/integrations/api/", include("api.ui_urls")),
    path("api/", include("api.urls")),
]
