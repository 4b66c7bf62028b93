"""The former history of the admin (ChangeRecord: funding lines, questionings, work tracks)
moves into the one history (core/history.py); each audited object of partners and observatory
gets its baseline row. Reversible: going back writes the imported rows as ChangeRecords again."""

from collections import defaultdict

from django.db import migrations

from core.history_import import (
    ACTIONS,
    ACTIONS_BACK,
    export_changes,
    import_changes,
    remove_baselines,
    write_baselines,
)

AUDITED = [
    ("partners", "FundingLine"),
    ("partners", "PartnershipRole"),
    ("partners", "Profile"),
    ("observatory", "Questioning"),
    ("observatory", "WorkTrack"),
]


def change_records_to_history(apps, schema_editor):
    ChangeRecord = apps.get_model("partners", "ChangeRecord")
    ContentType = apps.get_model("contenttypes", "ContentType")
    models = {}
    for content_type in ContentType.objects.all():
        try:
            models[content_type.pk] = apps.get_model(content_type.app_label, content_type.model)
        except LookupError:
            pass
    groups = defaultdict(list)
    for record in ChangeRecord.objects.order_by("changed_at", "pk"):
        key = (record.content_type_id, record.object_id, record.changed_at, record.action,
               record.user_id)
        groups[key].append((record.field, record.old_value, record.new_value))
    import_changes(
        apps,
        (
            (models[ct], object_id, when, ACTIONS[action], user_id,
             [change for change in changes if change[0]])
            for (ct, object_id, when, action, user_id), changes in groups.items()
            if ct in models
        ),
    )
    for app_label, name in AUDITED:
        write_baselines(apps, apps.get_model(app_label, name))


def history_to_change_records(apps, schema_editor):
    ChangeRecord = apps.get_model("partners", "ChangeRecord")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for app_label, name in AUDITED:
        model = apps.get_model(app_label, name)
        remove_baselines(apps, model)
        content_type, _ = ContentType.objects.get_or_create(
            app_label=app_label, model=name.lower()
        )

        def write(row, changes, content_type=content_type):
            ChangeRecord.objects.bulk_create(
                ChangeRecord(
                    content_type=content_type,
                    object_id=row.id,
                    object_repr=f"#{row.id}",
                    user_id=row.history_user_id,
                    changed_at=row.history_date,
                    action=ACTIONS_BACK[row.history_type],
                    field=field,
                    old_value=old,
                    new_value=new,
                )
                for field, old, new in changes or [("", "", "")]
            )

        export_changes(apps, model, write)


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0005_history"),
        ("observatory", "0002_history"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(change_records_to_history, history_to_change_records)]
