from django.urls import path

from . import views
from .households import views as household_views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("new/", views.person_create, name="person_create"),
    path("lookup/", views.person_lookup, name="person_lookup"),
    path("<int:pk>/", views.person_detail, name="person_detail"),
    path("<int:pk>/photo/", views.person_photo_take, name="person_photo_take"),
    path("<int:pk>/photos/<int:photo_pk>.jpg", views.person_photo_image, name="person_photo_image"),
    path("towns/", views.town_list, name="town_list"),
    path("towns/<int:pk>/", views.town_update, name="town_update"),
    path("households/", household_views.household_list, name="household_list"),
    path("households/<int:pk>/", household_views.household_detail, name="household_detail"),
    path(
        "households/<int:pk>/members/<int:member_pk>/card/",
        household_views.household_register_card,
        name="household_register_card",
    ),
    path(
        "households/<int:pk>/members/<int:member_pk>/move/",
        household_views.household_member_move,
        name="household_member_move",
    ),
    path(
        "households/<int:pk>/members/<int:member_pk>/move-out/",
        household_views.household_member_move_out,
        name="household_member_move_out",
    ),
    path("move-in-permits/<int:pk>/", household_views.move_in_permit, name="move_in_permit"),
    path("move-in-permits/<int:pk>/confirm/", household_views.move_in_permit_confirm, name="move_in_permit_confirm"),
]
