from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("new/", views.person_create, name="person_create"),
    path("lookup/", views.person_lookup, name="person_lookup"),
    path("<int:pk>/", views.person_detail, name="person_detail"),
    path("towns/", views.town_list, name="town_list"),
    path("towns/<int:pk>/", views.town_update, name="town_update"),
]
