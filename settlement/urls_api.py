from django.urls import path

from .api import EligibilityView

urlpatterns = [path("settlement/eligibility", EligibilityView.as_view(), name="settlement-eligibility")]
