from django.urls import path

from . import views

app_name = "registration"

urlpatterns = [
    path("registrations/", views.registration_list, name="registration_list"),
    path("lease-filings/", views.lease_filing_list, name="lease_filing_list"),
    path("lease-filings/new/", views.lease_filing_create, name="lease_filing_create"),
    path("people/<int:person_pk>/elsewhere/", views.registration_elsewhere_create, name="elsewhere_create"),
]
