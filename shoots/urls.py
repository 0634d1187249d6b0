from django.urls import path

from shoots import views

app_name = "shoots"
urlpatterns = [
    path("", views.shoot_list, name="list"),
    path("new/", views.shoot_create, name="create"),
    path("<int:pk>/", views.shoot_detail, name="detail"),
    path("<int:pk>/edit/", views.shoot_edit, name="edit"),
    path("<int:pk>/delete/", views.shoot_delete, name="delete"),
    path("<int:pk>/status/", views.shoot_status, name="status"),
]
