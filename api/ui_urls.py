from django.urls import path

from api import views

app_name = "api_keys"
urlpatterns = [
    path("", views.api_keys, name="index"),
    path("generate/", views.generate, name="generate"),
    path("<int:pk>/rotate/", views.rotate, name="rotate"),
    path("<int:pk>/revoke/", views.revoke, name="revoke"),
]
