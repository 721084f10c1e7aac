"""POST /api/v1/settlement/eligibility — the pre-check for signed-in staff (ELIGIBILITY.md).

The body is read by ``BoundedJSONParser``: at most 64 KB, nested at most 20 deep, UTF-8, no
numbers over 15 digits (``core.input_hygiene``). Anything else answers 400 with the same
field-keyed body as a contract error, never a 500."""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hukou_portal.core.input_hygiene import MAX_JSON_BYTES, JSONInputError, load_json

from .facts import FactsError, FactsSerializer, parse_facts
from .selectors import precheck


class DocumentError(ParseError):
    def __init__(self, error: JSONInputError) -> None:
        super().__init__(error.message)
        self.message, self.message_zh = error.message, error.message_zh


class BoundedJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        data = stream.read(MAX_JSON_BYTES + 1) if stream is not None else b""
        try:
            return load_json(data)
        except JSONInputError as error:
            raise DocumentError(error) from None


def _bad_request(field: str, message: str, message_zh: str, errors: dict[str, Any]) -> Response:
    body = {"field": field, "message": message, "message_zh": message_zh, "errors": errors}
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


class EligibilityView(APIView):
    parser_classes = [BoundedJSONParser]

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
            document = request.data
        except DocumentError as error:
            return _bad_request("(document)", error.message, error.message_zh, {"(document)": [error.message]})
        try:
            facts = parse_facts(document)
        except FactsError as error:
            return _bad_request(error.field, error.message, f"{error.field} 填写有误：{error.message}", error.errors)
        return Response(precheck(facts).to_json())
