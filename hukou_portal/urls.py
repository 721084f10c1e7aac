from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    path("", include("hukou_portal.core.urls")),
    path("accounts/", include("hukou_portal.accounts.urls")),
    path("people/", include("hukou_portal.people.urls")),
    path("audit/", include("hukou_portal.audit.urls")),
    path("stats/", include("hukou_portal.stats.urls")),
    path("cases/", include("hukou_portal.casework.urls")),
    path("rules/", include("hukou_portal.rules.urls")),
    path("settlement/", include("settlement.urls")),
    path("registration/", include("registration.urls")),
    path("reminders/", include("hukou_portal.notifications.urls")),
    path("", include("permits.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("settlement.urls_api")),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
]
