from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("new/", views.person_create, name="person_create"),
    path("<int:pk>/", views.person_detail, name="person_detail"),
    path("<int:pk>/photo/", views.person_photo_take, name="person_photo_take"),
    path("<int:pk>/photos/<int:photo_pk>.jpg", views.person_photo_image, name="person_photo_image"),
    path("towns/", views.town_list, name="town_list"),
    path("towns/<int:pk>/", views.town_update, name="town_update"),
]
