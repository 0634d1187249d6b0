from django.urls import path

from galleries import views

app_name = "galleries"
urlpatterns = [
    path("settings/", views.gallery_settings, name="settings"),
]
