"""POST /api/v1/settlement/eligibility — the pre-check for signed-in staff (ELIGIBILITY.md)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .facts import FactsError, FactsSerializer, parse_facts
from .selectors import precheck


class EligibilityView(APIView):
    @extend_schema(
        request=FactsSerializer,
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="The decision (ELIGIBILITY.md, Decision)."),
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="Facts that break the contract, keyed by field."),
        },
        summary="Settlement pre-check (落户预审)",
    )
    def post(self, request: Request) -> Response:
        try:
            facts = parse_facts(request.data)
        except FactsError as error:
            return Response(
                {"field": error.field, "message": error.message, "errors": error.errors},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(precheck(facts).to_json())
