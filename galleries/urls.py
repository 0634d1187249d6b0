from django.urls import path, register_converter

from galleries import providers, views


class ProviderConverter:
    """A registered provider's name (galleries.providers.registry); anything else is 404."""

    regex = "|".join(providers.names()) or "(?!)"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return str(value)


register_converter(ProviderConverter, "gallery_provider")

app_name = "galleries"
urlpatterns = [
    path("settings/", views.gallery_settings, name="settings"),
    path("<gallery_provider:provider>/connect/", views.connect, name="connect"),
    path("<gallery_provider:provider>/authorise/", views.authorise, name="authorise"),
    path("<gallery_provider:provider>/callback/", views.callback, name="callback"),
    path("<gallery_provider:provider>/choose/", views.choose, name="choose"),
    path("<gallery_provider:provider>/unlink/", views.unlink, name="unlink"),
]
