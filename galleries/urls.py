from collections.abc import Callable

from django.urls import URLPattern, path, register_converter

from galleries import providers, views
from galleries.models import GalleryLink

AfterLink = Callable[[GalleryLink], None]


class ProviderConverter:
    """A registered provider's name (galleries.providers.registry); anything else is 404."""

    regex = "|".join(providers.names()) or "(?!)"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return str(value)


register_converter(ProviderConverter, "gallery_provider")

app_name = "galleries"


def gallery_urls(*, after_link: AfterLink | None = None) -> list[URLPattern]:
    """The Online Galleries pages. `after_link` is what runs once a link is stored (the
    project passes the Inbox's first poll, cyan/urls.py): galleries cannot import the
    Inbox, downstream of it, so the step is handed in where both are known."""
    follow_up = {"after_link": after_link} if after_link else {}
    return [
        path("settings/", views.gallery_settings, name="settings"),
        path("<gallery_provider:provider>/connect/", views.connect, name="connect"),
        path("<gallery_provider:provider>/authorise/", views.authorise, name="authorise"),
        path("<gallery_provider:provider>/callback/", views.callback, follow_up, name="callback"),
        path("<gallery_provider:provider>/choose/", views.choose, follow_up, name="choose"),
        path("<gallery_provider:provider>/unlink/", views.unlink, name="unlink"),
    ]


urlpatterns = gallery_urls()
