from django.urls import path

from inbox import enquiry_views, import_views, views

app_name = "inbox"
urlpatterns = [
    path("", views.inbox_list, name="list"),
    path("sync/", views.inbox_sync, name="sync"),
    path("sync/status/", views.inbox_sync_status, name="sync_status"),
    path("<int:pk>/", views.inbox_detail, name="detail"),
    path("<int:pk>/dismiss/", views.inbox_dismiss, name="dismiss"),
    path("<int:pk>/restore/", views.inbox_restore, name="restore"),
    path("<int:pk>/import/", import_views.import_window, name="import"),
    path("<int:pk>/unimport/", import_views.unimport, name="unimport"),
    path(
        "<int:pk>/import-enquiry/",
        enquiry_views.import_enquiry_window,
        name="import_enquiry",
    ),
    path("import-selected/", import_views.bulk, name="bulk_import"),
]
