from typing import Any

from django.apps import AppConfig


class SalesConfig(AppConfig):
    name = "sales"

    def move_sales(self, **kwargs: Any) -> int:
        """sales.services.move_sales, for contacts.merging: contacts sits below sales and
        imports nothing of it, so it looks this up by name (apps.get_app_config("sales")),
        as sales looks up invoicing's models by name. Imported here, when called, so the
        registry's loading of the app imports no service."""
        from sales.services import move_sales

        return move_sales(**kwargs)
