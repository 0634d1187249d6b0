from django.urls import path

from invoicing import schedule_views, views

app_name = "invoicing"
urlpatterns = [
    path("", views.invoice_list, name="list"),
    path("<int:pk>/", views.invoice_detail, name="invoice"),
    path("credit-notes/<int:pk>/", views.credit_note_detail, name="credit_note"),
    path("sales/<int:sale_pk>/create/", views.create_invoice, name="create"),
    path("sales/<int:sale_pk>/confirmation/", views.order_confirmation, name="confirmation"),
    path("<int:pk>/pdf/", views.invoice_pdf, name="invoice_pdf"),
    path("credit-notes/<int:pk>/pdf/", views.credit_note_pdf, name="credit_note_pdf"),
    path("sales/<int:sale_pk>/confirmation/pdf/", views.confirmation_pdf, name="confirmation_pdf"),
    path("sales/<int:sale_pk>/email/", views.email_document, name="email"),
    path("tax/", views.tax_report, name="tax_report"),
    path("tax/file/", views.file_tax_report, name="file_tax_report"),
    path("preferences/", views.preferences, name="preferences"),
    path("preferences/logo/", views.logo, name="logo"),
]
urlpatterns += [
    path("sales/<int:pk>/schedule/", schedule_views.edit_schedule, name="edit_schedule"),
    path("sales/<int:pk>/schedule/template/", schedule_views.apply_template, name="apply_template"),
    path("sales/<int:pk>/pay/", schedule_views.add_payment, name="add_payment"),
    path("payments/<int:pk>/edit/", schedule_views.edit_payment, name="edit_payment"),
    path("payments/<int:pk>/delete/", schedule_views.delete_payment, name="delete_payment"),
    path("refunds/<int:pk>/edit/", schedule_views.edit_refund, name="edit_refund"),
    path("refunds/<int:pk>/delete/", schedule_views.delete_refund, name="delete_refund"),
    path("preferences/schedules/", schedule_views.templates, name="templates"),
    path(
        "preferences/schedules/<int:pk>/delete/",
        schedule_views.delete_template,
        name="delete_template",
    ),
]
