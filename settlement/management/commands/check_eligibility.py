"""The settlement pre-check from the command line (ELIGIBILITY.md).

    python manage.py check_eligibility facts.json
    python manage.py check_eligibility - < facts.json

Prints the decision as JSON; exit 0 whether or not the person is eligible. Facts that break the
contract: exit 2, one line on standard error naming the field, and no decision.
"""

import json
import sys

from django.core.management.base import BaseCommand
from django.utils import translation

from settlement.facts import FactsError, parse_facts
from settlement.selectors import precheck


class Command(BaseCommand):
    help = "Decide settlement eligibility for a facts document (ELIGIBILITY.md)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("file", help="a JSON facts document, or - for standard input")

    def handle(self, *args, file: str, **options) -> None:  # type: ignore[no-untyped-def]
        with translation.override("en"):
            try:
                text = sys.stdin.read() if file == "-" else open(file, encoding="utf-8").read()  # noqa: SIM115
            except OSError as error:
                self._fail(f"(file): cannot read {file}: {error.strerror}")
            try:
                document = json.loads(text)
            except json.JSONDecodeError as error:
                self._fail(f"(document): not JSON ({error.msg} at line {error.lineno})")
            try:
                facts = parse_facts(document)
            except FactsError as error:
                self._fail(str(error))
            decision = precheck(facts)
        self.stdout.write(json.dumps(decision.to_json(), ensure_ascii=False, indent=2))

    def _fail(self, line: str) -> None:
        self.stderr.write(line)
        sys.exit(2)
