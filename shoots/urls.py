from django.urls import path

from shoots import views

app_name = "shoots"
urlpatterns = [
    path("", views.shoot_list, name="list"),
]
