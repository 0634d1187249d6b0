from django.urls import path

from invoicing import views

app_name = "invoicing"
urlpatterns = [
    path("", views.invoice_list, name="list"),
    path("<int:pk>/", views.invoice_detail, name="invoice"),
    path("credit-notes/<int:pk>/", views.credit_note_detail, name="credit_note"),
    path("sales/<int:sale_pk>/create/", views.create_invoice, name="create"),
    path("sales/<int:sale_pk>/confirmation/", views.order_confirmation, name="confirmation"),
    path("tax/", views.tax_report, name="tax_report"),
    path("tax/file/", views.file_tax_report, name="file_tax_report"),
    path("preferences/", views.preferences, name="preferences"),
]
