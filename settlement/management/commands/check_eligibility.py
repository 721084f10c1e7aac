"""The settlement pre-check from the command line (ELIGIBILITY.md).

    python manage.py check_eligibility facts.json
    python manage.py check_eligibility - < facts.json

Prints the decision as JSON; exit 0 whether or not the person is eligible. Facts that break the
contract: exit 2, one line on standard error naming the field, and no decision. So does every
other bad input — not UTF-8, over 64 KB, nested over 20 deep, a number over 15 digits, a date
outside 1900-01-01 … 2100-12-31 — never a traceback.
"""

import json
import sys

from django.core.management.base import BaseCommand
from django.utils import translation

from hukou_portal.core.input_hygiene import MAX_JSON_BYTES, JSONInputError, load_json
from settlement.facts import FactsError, parse_facts
from settlement.selectors import precheck


class Command(BaseCommand):
    help = "Decide settlement eligibility for a facts document (ELIGIBILITY.md)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("file", help="a JSON facts document, or - for standard input")

    def handle(self, *args, file: str, **options) -> None:  # type: ignore[no-untyped-def]
        with translation.override("en"):
            try:
                data = self._read(file)
            except OSError as error:
                self._fail(f"(file): cannot read {file}: {error.strerror}")
            try:
                document = load_json(data)
            except JSONInputError as error:
                self._fail(f"(document): {error.message}")
            try:
                facts = parse_facts(document)
            except FactsError as error:
                self._fail(str(error))
            decision = precheck(facts)
        self.stdout.write(json.dumps(decision.to_json(), ensure_ascii=False, indent=2))

    def _read(self, file: str) -> bytes | str:
        """At most one byte over the limit, so a huge input is refused without reading it all."""
        if file == "-":
            return getattr(sys.stdin, "buffer", sys.stdin).read(MAX_JSON_BYTES + 1)
        with open(file, "rb") as stream:
            return stream.read(MAX_JSON_BYTES + 1)

    def _fail(self, line: str) -> None:
        self.stderr.write(" ".join(line.splitlines()))
        sys.exit(2)
