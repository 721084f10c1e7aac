from django.urls import path

from . import views

app_name = "stats"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("figures.json", views.figures_json, name="figures"),
    path("figures/<slug:slug>.<slug:file_format>", views.figure_download, name="figure_download"),
    path("report/", views.report, name="report"),
    path("records/cases/", views.records_cases, name="records_cases"),
    path("records/registrations/", views.records_registrations, name="records_registrations"),
    path("records/permits/", views.records_permits, name="records_permits"),
    path("records/settled/", views.records_settled, name="records_settled"),
    path("export/<slug:kind>.<slug:file_format>", views.export_download, name="export"),
]
