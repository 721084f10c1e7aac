from django.urls import path

from . import views

app_name = "permits"

urlpatterns = [
    path("permits/", views.permit_list, name="permit_list"),
    path("permits/<int:pk>/", views.permit_detail, name="permit_detail"),
    path("permits/<int:pk>/card/", views.permit_card, name="permit_card"),
    path("permits/<int:pk>/qr.svg", views.permit_qr, name="permit_qr"),
    path("permits/<int:pk>/endorse/", views.permit_endorse, name="permit_endorse"),
    path("permits/<int:pk>/replace/", views.permit_replace, name="permit_replace"),
    path("verify/keys.json", views.public_keys, name="public_keys"),
    path("verify/<str:token>", views.verify, name="verify"),
]
