"""French alphabetical order, the same on PostgreSQL and SQLite, from one collation named "french".

Names are stored with `db_collation=FRENCH`, so every ORDER BY on them (Meta.ordering, filter choices, admin
listings, `order_by("name")`) sorts as a French reader expects: "Bénin" before "Burkina Faso", "Éducation"
among the E, "Île-de-France" among the I. One mechanism, two implementations of the same collation name:

- PostgreSQL: an ICU collation created by a migration (portal/migrations/0002_french_collation.py);
  deterministic, so equality, unique constraints, LIKE and the trigram indexes behave as before.
- SQLite: a Python function registered under the same name on every new connection (`connection_created`,
  connected in `PortalConfig.ready`); a plain `sqlite3` shell therefore cannot sort these columns.

Lists built in Python (choices from constants, sorted labels) use `french_key`, the same order.
"""

import unicodedata
from functools import lru_cache

FRENCH = "french"


def _levels(text):
    # As ICU: spaces first, then punctuation, then digits and letters (one weight for every punctuation).
    return "".join(
        "\x01" if c.isspace() else c if c.isalnum() or unicodedata.combining(c) else "\x02" for c in text
    )


@lru_cache(maxsize=65536)
def french_key(text):
    """A sort key close to ICU's French collation, level by level: letters without accents or case (spaces,
    then punctuation, before any letter), then the accents, then the case (lower first); the text itself
    last, so that only identical texts are equal."""
    text = str(text)
    decomposed = unicodedata.normalize("NFD", text)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return (_levels(base.casefold()), _levels(decomposed.casefold()), text.swapcase(), text)


def french_sorted(items, key=lambda item: item):
    return sorted(items, key=lambda item: french_key(str(key(item))))


def compare(a, b):
    key_a, key_b = french_key(a), french_key(b)
    return (key_a > key_b) - (key_a < key_b)


def register_sqlite_collation(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_collation(FRENCH, compare)


# What unaccent's rules do beyond removing combining marks, for the letters French text meets.
LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ø": "o", "Ø": "O"})


def unaccent(text):
    """PostgreSQL's unaccent() in Python: "Sénégal" -> "Senegal", "Œuvre" -> "OEuvre"."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", str(text).translate(LIGATURES))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def register_sqlite_unaccent(sender, connection, **kwargs):
    """UNACCENT() in SQL on SQLite, as PostgreSQL's extension gives it (used by portal.accounts.choosers)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("UNACCENT", 1, unaccent, deterministic=True)
