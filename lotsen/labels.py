"""Labels that are data, shown in the user's language.

Journal kinds, treatment stages and measures are rows that data migrations seeded in Swedish
and administrators edit. Each seeded label has an English msgid in locale/en, added by hand
(makemessages cannot see a string that lives in the database); a label an administrator
types later has none and shows as typed. The row keeps its Swedish text either way.
"""

from __future__ import annotations

from django.utils.translation import gettext


def seeded_label(text: str) -> str:
    """`text` in the active language when the catalogue knows it, else as stored."""
    # gettext("") returns the catalogue's header, not "".
    return gettext(text) if text else text
