"""Search ignoring accents and case, index-backed on PostgreSQL (core/search.py): the
`unaccent` and `pg_trgm` extensions, an IMMUTABLE wrapper `rc_search_normal(text)` and a GIN
trigram index on it for every searched column. Nothing to do on SQLite, which learns the
function on each connection."""

from django.db import migrations

# The name core/search.py queries with; written out here, so that this migration stays as it
# ran whatever that module becomes.
SQL_FUNCTION = "rc_search_normal"
POSTGRESQL_FUNCTION = f"""
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE OR REPLACE FUNCTION {SQL_FUNCTION}(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;
"""
SEARCHED = {
    "exchanges_exchange": ["title_fr", "title_en", "summary_fr", "summary_en", "place"],
    "exchanges_crossview": ["text_fr", "text_en"],
    "exchanges_establishment": ["name_fr", "name_en", "town"],
}


def postgresql_index(table: str, column: str) -> tuple[str, str]:
    """The SQL creating and dropping a trigram index on `column`, normalised."""
    name = f"{table}_{column}_search"[:63]
    create = (
        f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
        f'USING gin ({SQL_FUNCTION}("{column}") gin_trgm_ops);'
    )
    return create, f'DROP INDEX IF EXISTS "{name}";'


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(POSTGRESQL_FUNCTION)
    for table, columns in SEARCHED.items():
        for column in columns:
            schema_editor.execute(postgresql_index(table, column)[0])


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, columns in SEARCHED.items():
        for column in columns:
            schema_editor.execute(postgresql_index(table, column)[1])
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {SQL_FUNCTION}(text);")


class Migration(migrations.Migration):
    dependencies = [("exchanges", "0008_establishment_kinds")]

    operations = [migrations.RunPython(create, drop)]
