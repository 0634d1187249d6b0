from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from . import api_views, control_views, pages, shop

app_name = "standin"

urlpatterns = [
    path("", pages.home, name="home"),
    path("health", pages.health, name="health"),
    path("login/", pages.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("dashboard/", pages.dashboard, name="dashboard"),
    path("orders/<str:order_id>/", pages.order_detail, name="order"),
    path("orders/<str:order_id>/refund", pages.order_refund, name="order-refund"),
    path("orders/<str:order_id>/cancel", pages.order_cancel, name="order-cancel"),
    path("orders/<str:order_id>/status", pages.order_status, name="order-status"),
    path("deliveries/", pages.deliveries, name="deliveries"),
    path("apps/<int:app_id>/disconnect", pages.disconnect_app, name="disconnect"),
    path("g/<slug:slug>", shop.gallery_page, name="gallery"),
    path("g/<slug:slug>/", shop.gallery_page),
    path("g/<slug:slug>/order", shop.order_page, name="shop"),
    path("g/<slug:slug>/order/<str:order_id>", shop.thanks, name="thanks"),
    # Resource API (Bearer access token)
    path("api/v1/account", api_views.account),
    path("api/v1/galleries", api_views.galleries),
    path("api/v1/orders", api_views.orders),
    path("api/v1/orders/<str:order_id>", api_views.order_detail),
    path("api/v1/webhooks", api_views.webhook_list),
    path("api/v1/webhooks/<str:endpoint_id>", api_views.webhook_detail),
    path("api/<path:path>", api_views.not_found),
    # Control API (Bearer $PICTIME_CONTROL_TOKEN)
    path("control/accounts", control_views.accounts),
    path("control/orders", control_views.place_orders),
    path("control/orders/<str:order_id>", control_views.order_detail),
    path("control/orders/<str:order_id>/refund", control_views.refund),
    path("control/orders/<str:order_id>/cancel", control_views.cancel),
    path("control/orders/<str:order_id>/status", control_views.set_status),
    path("control/webhooks/mode", control_views.webhook_mode),
    path("control/webhooks/flush", control_views.flush),
    path("control/deliveries", control_views.deliveries),
    path("control/<path:path>", api_views.not_found),
]
