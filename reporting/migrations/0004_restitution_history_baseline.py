"""Each restitution's baseline row in the one history (core/history.py)."""

from django.db import migrations

from core.history_import import remove_baselines, write_baselines


def baselines(apps, schema_editor):
    write_baselines(apps, apps.get_model("reporting", "Restitution"))


def no_baselines(apps, schema_editor):
    remove_baselines(apps, apps.get_model("reporting", "Restitution"))


class Migration(migrations.Migration):
    dependencies = [("reporting", "0003_draft_renderings_and_version_stylesheets")]

    operations = [migrations.RunPython(baselines, no_baselines)]
