from django.urls import path

from . import views

app_name = "stats"

urlpatterns = [
    path("export/<slug:kind>.<slug:file_format>", views.export_download, name="export"),
]
