from django.urls import path

from transfers import views

app_name = "transfers"
urlpatterns = [
    path("import/", views.import_start, name="start"),
    path("import/<int:pk>/", views.batch_page, name="batch"),
    path("import/<int:pk>/mapping/", views.batch_mapping, name="mapping"),
    path("import/<int:pk>/run/", views.batch_run, name="run"),
    path("import/<int:pk>/resume/", views.batch_resume, name="resume"),
    path("import/<int:pk>/progress/", views.batch_progress, name="progress"),
    path("import/<int:pk>/undo/", views.batch_undo, name="undo"),
    path("export/", views.export_page, name="export"),
    path("export/contacts.<str:file_format>", views.export_download, name="download"),
]
