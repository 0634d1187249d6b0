from django.urls import path

from events import views

app_name = "webhooks"
urlpatterns = [
    path("", views.index, name="index"),
    path("add/", views.add, name="add"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/events/", views.change_events, name="events"),
    path("<int:pk>/rotate/", views.rotate, name="rotate"),
    path("<int:pk>/disable/", views.disable, name="disable"),
    path("<int:pk>/enable/", views.enable, name="enable"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/test/", views.send_test, name="test"),
    path("<int:pk>/deliveries/<int:delivery_pk>/resend/", views.resend, name="resend"),
]
