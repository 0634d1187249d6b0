from django.urls import path

from sales import views

app_name = "sales"
urlpatterns = [
    path("", views.sale_list, name="list"),
    path("new/", views.sale_create, name="create"),
    path("shoot-options/", views.shoot_options, name="shoot_options"),
    path("contact-options/", views.contact_options, name="contact_options"),
    path("<int:pk>/", views.sale_detail, name="detail"),
    path("<int:pk>/edit/", views.sale_edit, name="edit"),
    path("<int:pk>/delete/", views.sale_delete, name="delete"),
    path("<int:pk>/cancel/", views.sale_cancel, name="cancel"),
    path("<int:pk>/payments/", views.add_payment, name="add_payment"),
    path("<int:pk>/refunds/", views.add_refund, name="add_refund"),
]
