from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/read/", views.mark_read, name="mark_read"),
    path("worklist/", views.worklist, name="worklist"),
    path("schedules/", views.schedules, name="schedules"),
    path("texts/", views.message_templates, name="message_templates"),
]
