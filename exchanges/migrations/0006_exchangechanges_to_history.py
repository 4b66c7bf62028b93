"""The former history of the exchanges (ExchangeChange, one row per changed field, written by
the services) moves into the one history (core/history.py); each exchange, cross view,
attachment and establishment gets its baseline row. Reversible: going back writes the
imported rows as ExchangeChanges again."""

from django.db import migrations

from core.history_import import export_changes, import_changes, remove_baselines, write_baselines

AUDITED = [
    ("Exchange", ("strands", "questionings", "recommendations", "establishments")),
    ("CrossView", ()),
    ("Attachment", ()),
    ("Establishment", ("strands",)),
]


def exchange_changes_to_history(apps, schema_editor):
    Exchange = apps.get_model("exchanges", "Exchange")
    ExchangeChange = apps.get_model("exchanges", "ExchangeChange")
    import_changes(
        apps,
        (
            (Exchange, change.exchange_id, change.changed_at, "~", change.user_id,
             [(change.field, change.old_value, change.new_value)])
            for change in ExchangeChange.objects.order_by("changed_at", "pk")
        ),
    )
    for name, links in AUDITED:
        write_baselines(apps, apps.get_model("exchanges", name), links)


def history_to_exchange_changes(apps, schema_editor):
    ExchangeChange = apps.get_model("exchanges", "ExchangeChange")
    for name, _links in AUDITED:
        remove_baselines(apps, apps.get_model("exchanges", name))

    def write(row, changes):
        ExchangeChange.objects.bulk_create(
            ExchangeChange(
                exchange_id=row.id,
                user_id=row.history_user_id,
                changed_at=row.history_date,
                field=field,
                old_value=old,
                new_value=new,
            )
            for field, old, new in changes
        )

    export_changes(apps, apps.get_model("exchanges", "Exchange"), write)


class Migration(migrations.Migration):
    dependencies = [("exchanges", "0005_history")]

    operations = [
        migrations.RunPython(exchange_changes_to_history, history_to_exchange_changes)
    ]
