from django.urls import path

from . import views

app_name = "rules"

urlpatterns = [
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/days/<int:pk>/remove/", views.calendar_day_remove, name="calendar_day_remove"),
    path("calendar/publish/", views.calendar_year_publish, name="calendar_year_publish"),
]
