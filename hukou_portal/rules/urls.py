from django.urls import path

from . import views

app_name = "rules"

urlpatterns = [
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/days/<int:pk>/remove/", views.calendar_day_remove, name="calendar_day_remove"),
    path("calendar/publish/", views.calendar_year_publish, name="calendar_year_publish"),
    path("parameters/", views.parameter_list, name="parameter_list"),
    path("parameters/<str:key>/", views.parameter_detail, name="parameter_detail"),
    path("parameters/<str:key>/<int:pk>/withdraw/", views.parameter_withdraw, name="parameter_withdraw"),
]
