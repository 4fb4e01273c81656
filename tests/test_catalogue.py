"""English is available for every Swedish source string: `make messages` leaves the
catalogue with nothing untranslated or fuzzy."""

from __future__ import annotations

import re
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parent.parent / "locale/en/LC_MESSAGES/django.po"
STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


def _entries() -> list[tuple[str, str, bool, list[str]]]:
    """(msgid, every msgstr joined, fuzzy, source files) for each live entry but the
    header."""
    entries = []
    for block in CATALOGUE.read_text().split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        fields: dict[str, str] = {}
        key = ""
        for line in lines:
            if line.startswith(("msgid", "msgstr", "msgctxt")):
                key = line.split(" ", 1)[0]
                fields[key] = fields.get(key, "")
            if not line.startswith("#") and key:
                fields[key] += "".join(STRING.findall(line))
        msgid = fields.get("msgid", "")
        if msgid:
            strs = [v for k, v in fields.items() if k.startswith("msgstr")]
            fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
            files = [
                ref.rsplit(":", 1)[0]
                for line in lines
                if line.startswith("#:")
                for ref in line[2:].split()
            ]
            entries.append((msgid, "" if not all(strs) else " ".join(strs), fuzzy, files))
    return entries


def test_every_string_has_an_english_translation() -> None:
    entries = _entries()
    assert len(entries) > 500  # the parser found the catalogue's entries
    untranslated = [msgid for msgid, msgstr, _, _ in entries if not msgstr]
    fuzzy = [msgid for msgid, _, is_fuzzy, _ in entries if is_fuzzy]
    assert untranslated == []
    assert fuzzy == []
