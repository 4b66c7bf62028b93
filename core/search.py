"""Searching text as people type it: accents and case ignored ("echange" finds "échange",
"ECHANGE" too), on SQLite and on PostgreSQL alike.

Both databases know one function, `rc_search_normal(text)`: the text without accents, in
lower case. On PostgreSQL it is SQL (the `unaccent` extension, wrapped in an IMMUTABLE
function so it can be indexed), created by the migration exchanges 0009_search_indexes with a
trigram index on it for each searched column: a `LIKE '%word%'` on it is answered by a GIN
index. On SQLite it is
`normal()` below, registered on each connection (no index: SQLite is for development).
The typed words are normalised by `normal()` in Python before they reach the query.
"""

import unicodedata

from django.db.models import CharField, Func
from django.db.models.lookups import Contains

SQL_FUNCTION = "rc_search_normal"

# Letters that Unicode does not decompose but `unaccent` spells out.
_SPELLED_OUT = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o"})


def normal(text: str | None) -> str | None:
    """`text` without accents, in lower case: what `rc_search_normal` gives in SQL."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPELLED_OUT))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


class Normal(Func):
    """`rc_search_normal(expression)` in a query."""

    function = SQL_FUNCTION
    output_field = CharField()


def holds(field: str, word: str) -> Contains:
    """A condition: the column `field`, normalised, holds `word` (normalised here)."""
    return Contains(Normal(field), normal(word))


def register_sqlite_function(sender, connection, **kwargs) -> None:
    """On `connection_created`: teach SQLite the function (PostgreSQL has it from a
    migration)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQL_FUNCTION, 1, normal, deterministic=True)
