"""Searching text as people type it: accents and case ignored ("echange" finds "échange",
"ECHANGE" too), on SQLite and on PostgreSQL alike, and at a cost that does not grow with what
is typed (issue 19: a hundred one-letter words were a hundred unindexed matches, 49 s at
10 000 exchanges).

Both databases know one function, `rc_search_normal(text)`: the text without accents, in
lower case. On PostgreSQL it is SQL (the `unaccent` extension, wrapped in an IMMUTABLE
function), created by the migration exchanges 0009_search_indexes; on SQLite it is `normal()`
below, registered on each connection.

What is looked for: `search_words` — the typed text normalised and cut into words of letters
and digits, each once, the short ones and those held in another dropped, eight at most. Then
`Mentions(fields, word)` is the condition "the row's text holds the word":

- on PostgreSQL, one look-up in the GIN index of the table's `search_document` (a stored
  tsvector of its searched columns, normalised: migration exchanges 0011_search_documents): a
  word of the text starts with the typed word ("visit" finds "visite", "thionck" finds
  "Thionck-Essyl"), found from the index whatever the word, without reading the rows' text;
- on SQLite (development), one of the normalised `fields` holds the word anywhere
  (`LIKE '%word%'`, no index): the same results, and a few more (a word inside another).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any, Self

from django.db.models import BooleanField, CharField, Expression, F, Func, Q
from django.db.models.lookups import Contains

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.sql.compiler import SQLCompiler

SQL_FUNCTION = "rc_search_normal"
#: The stored tsvector column of every searched table on PostgreSQL (exchanges 0011).
DOCUMENT_COLUMN = "search_document"

# Letters that Unicode does not decompose but `unaccent` spells out.
_SPELLED_OUT = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o"})
#: A word: letters and digits (PostgreSQL's parser cuts the text there too: "l'EHPAD" is "l"
#: and "ehpad", "Thionck-Essyl" is "thionck" and "essyl"; "%" and "_" are no words).
_WORD = re.compile(r"[^\W_]+")
#: Words shorter than this are held by nearly every text and cost the most to look for:
#: dropped when a longer word is typed.
MIN_WORD_LENGTH = 3
#: A search looks for this many words at most (the longest): each is one index look-up per
#: searched table.
MAX_WORDS = 8


def normal(text: str | None) -> str | None:
    """`text` without accents, in lower case: what `rc_search_normal` gives in SQL."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPELLED_OUT))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def search_words(text: str) -> list[str]:
    """The words a search for `text` looks for, normalised: each once, a word held in another
    dropped ("ech" in "echange": finding the longer finds it), the short ones dropped when a
    word of `MIN_WORD_LENGTH` letters or more is typed (the longest short one kept when none
    is: "50 %" looks for "50"), then the `MAX_WORDS` longest. Every text that holds all the
    typed words is found, and more when some were dropped; nothing when no word is left."""
    words: list[str] = []
    for word in _WORD.findall(normal(text) or ""):
        if word not in words:
            words.append(word)
    words = [w for w in words if not any(w != other and w in other for other in words)]
    long = [w for w in words if len(w) >= MIN_WORD_LENGTH]
    if not long:
        return sorted(words, key=len, reverse=True)[:1]
    return sorted(long, key=len, reverse=True)[:MAX_WORDS]


class Normal(Func):
    """`rc_search_normal(expression)` in a query."""

    function = SQL_FUNCTION
    output_field = CharField()


def holds(field: str, word: str) -> Contains:
    """A condition: the column `field`, normalised, holds `word` (normalised here)."""
    return Contains(Normal(field), normal(word))


class Mentions(Expression):
    """A condition: the row's searched text (`fields`) holds `word`, a word of `search_words`.
    On PostgreSQL, `search_document @@ 'word:*'`, answered by the table's GIN index; on
    SQLite, `fields` matched one by one."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, fields: tuple[str, ...], word: str):
        super().__init__()
        self.word = normal(word) or ""
        # The row's key locates the table in the query (its alias, renamed in a subquery).
        # Any: an F before resolve_expression, the Col it resolves to (with the table's alias)
        # after; likewise a Q, then a WhereNode.
        self.key: Any = F("pk")
        self.anywhere: Any = reduce(or_, (Q(holds(field, word)) for field in fields))

    def get_source_expressions(self) -> list[Any]:
        return [self.key, self.anywhere]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        self.key, self.anywhere = exprs

    def resolve_expression(
        self,
        query: Any = None,  # Any: django.db.models.sql.Query, as Django's own signature
        allow_joins: bool = True,
        reuse: set[str] | None = None,
        summarize: bool = False,
        for_save: bool = False,
    ) -> Self:
        clone = self.copy()
        clone.key = self.key.resolve_expression(query, allow_joins, reuse, summarize)
        clone.anywhere = self.anywhere.resolve_expression(query, allow_joins, reuse, summarize)
        return clone

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, tuple[str | int, ...]]:
        if connection.vendor != "postgresql":
            return compiler.compile(self.anywhere)
        table = compiler.quote_name_unless_alias(self.key.alias)
        document = f"{table}.{connection.ops.quote_name(DOCUMENT_COLUMN)}"
        return f"{document} @@ to_tsquery('simple', %s)", (f"{self.word}:*",)


def register_sqlite_function(
    sender: type[BaseDatabaseWrapper], connection: BaseDatabaseWrapper, **kwargs: Any
) -> None:
    """On `connection_created`: teach SQLite the function (PostgreSQL has it from a
    migration)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQL_FUNCTION, 1, normal, deterministic=True)
