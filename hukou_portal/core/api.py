"""Where the REST API lives: its answers are JSON for programs, never an HTML page or a redirect."""

from django.http import HttpRequest

# hukou_portal/urls.py mounts every API version under this prefix.
API_PREFIX = "/api/"


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)
