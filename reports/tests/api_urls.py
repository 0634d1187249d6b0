"""A URLconf mounting the reports router on an API configured like api/v1.py (same key
authentication and JSON errors), so the router is tested wherever it is mounted."""

from django.urls import path
from ninja import NinjaAPI

from api.auth import ApiKeyAuth
from api.errors import install_error_handlers
from reports.api import build_router

api = NinjaAPI(urls_namespace="reports-api-test", auth=ApiKeyAuth(), docs_url=None)
install_error_handlers(api)
api.add_router("/reports", build_router())

urlpatterns = [path("api/v1/", api.urls)]
