"""The UI is Chinese first: every message of the portal has a zh-hans translation."""

from pathlib import Path

from django.conf import settings

PO_FILE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def parse_po(path: Path) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) of every entry but the header."""
    entries, msgid, msgstr, fuzzy, current = [], None, None, False, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("msgid "):
            msgid, current = line[6:].strip('"'), "id"
        elif line.startswith("msgid_plural "):
            current = "plural"  # the plural form of a msgid already read
        elif line.startswith("msgstr "):
            msgstr, current = line[7:].strip('"'), "str"
        elif line.startswith("msgstr["):  # zh_Hans has one plural form: msgstr[0]
            msgstr, current = line.split(" ", 1)[1].strip('"'), "str"
        elif line.startswith('"') and current:
            if current == "id":
                msgid += line.strip('"')
            elif current == "str":
                msgstr += line.strip('"')
        elif not line.strip() and msgid is not None:
            if msgid:
                entries.append((msgid, msgstr, fuzzy))
            msgid, msgstr, fuzzy, current = None, None, False, None
    return entries


def test_every_message_is_translated():
    entries = parse_po(PO_FILE)
    assert len(entries) > 100
    untranslated = [msgid for msgid, msgstr, fuzzy in entries if not msgstr or fuzzy]
    assert untranslated == []


def test_placeholders_survive_translation():
    import re

    # The names must survive; a width (%(month)02d) may be dropped where Chinese needs none.
    placeholder = re.compile(r"%\((\w+)\)\d*[sd]|\{\{ ?(\w+) ?\}\}")
    for msgid, msgstr, _fuzzy in parse_po(PO_FILE):
        assert sorted(placeholder.findall(msgid)) == sorted(placeholder.findall(msgstr)), msgid
