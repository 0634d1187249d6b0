from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.client_value, name="index"),
    path("segments/", views.segments, name="segments"),
    path("opportunities/", views.opportunities, name="opportunities"),
    path("sales/", views.sales, name="sales"),
    path("owed/", views.owed, name="owed"),
    path("download/<slug:report>.<str:fmt>", views.download, name="download"),
]
