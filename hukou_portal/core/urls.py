from django.urls import path

from . import search_views, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("search/", search_views.search, name="search"),
]
