from django.urls import path

from galleries import views

app_name = "galleries"
PICTIME = {"provider": "pictime"}
urlpatterns = [
    path("settings/", views.gallery_settings, name="settings"),
    path("pictime/connect/", views.connect, PICTIME, name="pictime_connect"),
    path("pictime/authorise/", views.authorise, PICTIME, name="pictime_authorise"),
    path("pictime/callback/", views.callback, PICTIME, name="pictime_callback"),
    path("pictime/unlink/", views.unlink, PICTIME, name="pictime_unlink"),
]
