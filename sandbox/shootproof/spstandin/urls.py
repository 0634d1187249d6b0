from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from . import api_views, control_views, pages, shop

app_name = "spstandin"

urlpatterns = [
    path("", pages.home, name="home"),
    path("health", control_views.health, name="health"),
    path("login/", pages.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("dashboard/", pages.dashboard, name="dashboard"),
    path("orders/<int:order_id>/", pages.order_detail, name="order"),
    path("orders/<int:order_id>/<slug:action>", pages.order_action, name="order-action"),
    path("apps/<int:app_id>/disconnect", pages.disconnect_app, name="disconnect"),
    path("e/<int:event_id>/order", shop.order_page, name="shop"),
    path("e/<int:event_id>/order/<int:order_id>", shop.thanks, name="thanks"),
    # The Studio API (Bearer access token), hypermedia, application/vnd.shootproof+json
    path("studio", api_views.studio),
    path("studio/brand", api_views.brands),
    path("studio/brand/<int:brand_id>", api_views.brand_detail),
    path("studio/brand/<int:brand_id>/event", api_views.events),
    path("studio/brand/<int:brand_id>/event/<int:event_id>", api_views.event_detail),
    path("studio/brand/<int:brand_id>/order", api_views.orders),
    path("studio/brand/<int:brand_id>/order/<int:order_id>", api_views.order_detail),
    path("studio/brand/<int:brand_id>/order/<int:order_id>/item", api_views.order_items),
    path("studio/brand/<int:brand_id>/order/<int:order_id>/payment", api_views.order_payments),
    path("studio/brand/<int:brand_id>/notification", api_views.notifications),
    path(
        "studio/brand/<int:brand_id>/notification/<int:notification_id>/dismiss",
        api_views.dismiss,
    ),
    path("studio/<path:path>", api_views.not_found),
    # Control API (Bearer $SHOOTPROOF_CONTROL_TOKEN)
    path("control/accounts", control_views.accounts),
    path("control/orders", control_views.place_orders),
    path("control/orders/<int:order_id>", control_views.order_detail),
    path("control/orders/<int:order_id>/refund", control_views.refund),
    path("control/orders/<int:order_id>/cancel", control_views.cancel),
    path("control/orders/<int:order_id>/status", control_views.set_status),
    path("control/faults", control_views.fault),
    path("control/<path:path>", api_views.not_found),
]
