from django.urls import path

from . import views

app_name = "settlement"

urlpatterns = [
    path("precheck/", views.precheck, name="precheck"),
    path("intake/facts/", views.intake_details, name="intake_details"),
    path("cases/<int:pk>/receipt/", views.receipt, name="receipt"),
    path("cases/<int:pk>/notice/", views.notice, name="notice"),
    path("documents/", views.documents, name="documents"),
    path("documents/<int:pk>/toggle/", views.document_toggle, name="document_toggle"),
]
