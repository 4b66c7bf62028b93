"""A search costs one indexed query whatever is typed (issue 19): on PostgreSQL, each searched
table gets a stored, generated `search_document` (a tsvector of its searched columns,
normalised by `rc_search_normal` and split into words by the `simple` configuration: no
stemming, no stop words, any language) with a GIN index. Each typed word is then one look-up
of the index's words, whatever its length; the trigram indexes of 0009, whose matches were
rechecked row by row (seconds for a common word at 10 000 exchanges), are dropped. Nothing to
do on SQLite. The column is unknown to Django's models: PostgreSQL fills it on every write."""

from django.db import migrations

SQL_FUNCTION = "rc_search_normal"  # created by 0009_search_indexes
DOCUMENTS = {
    "exchanges_exchange": ["title_fr", "title_en", "summary_fr", "summary_en", "place"],
    "exchanges_crossview": ["text_fr", "text_en"],
    "exchanges_establishment": ["name_fr", "name_en", "town"],
}


def _document(columns: list[str]) -> str:
    text = " || ' ' || ".join(f"coalesce(\"{column}\"::text, '')" for column in columns)
    return f"to_tsvector('simple'::regconfig, {SQL_FUNCTION}({text}))"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, columns in DOCUMENTS.items():
        schema_editor.execute(
            f'ALTER TABLE "{table}" ADD COLUMN search_document tsvector '
            f"GENERATED ALWAYS AS ({_document(columns)}) STORED"
        )
        schema_editor.execute(
            f'CREATE INDEX "{table}_search_document" ON "{table}" USING gin (search_document)'
        )
        for column in columns:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{table}_{column}_search"')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, columns in DOCUMENTS.items():
        schema_editor.execute(f'ALTER TABLE "{table}" DROP COLUMN search_document')
        for column in columns:
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{table}_{column}_search" ON "{table}" '
                f'USING gin ({SQL_FUNCTION}("{column}") gin_trgm_ops)'
            )


class Migration(migrations.Migration):
    dependencies = [("exchanges", "0010_long_texts_capped")]

    operations = [migrations.RunPython(create, drop)]
