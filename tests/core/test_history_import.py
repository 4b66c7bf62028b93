"""The former histories (ChangeRecord from the admin, ExchangeChange from the services) move
into the one history when the migrations run: who, when, which object, which field, before
and after are all still there, and going back gives them back."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone, translation

from exchanges.models import Exchange
from exchanges.selectors import exchange_history
from observatory.models import WorkTrack
from tests.factories import ExchangeFactory, WorkTrackFactory

BEFORE = [
    ("partners", "0005_history"),
    ("observatory", "0002_history"),
    ("exchanges", "0005_history"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_change_records_and_exchange_changes_become_rows_of_the_one_history(partnership):
    visit = ExchangeFactory(title_fr="Visite", place="Albertville")
    track = WorkTrackFactory(status=WorkTrack.Status.IN_PROGRESS, year=2016)
    when = timezone.now() - datetime.timedelta(days=400)
    old = migrate(BEFORE)
    User = old.get_model("auth", "User")
    officer = User.objects.create(username="agent-historique")
    ContentType = old.get_model("contenttypes", "ContentType")
    old.get_model("exchanges", "ExchangeChange").objects.create(
        exchange_id=visit.pk,
        user=officer,
        changed_at=when,
        field="place",
        old_value="Chambéry",
        new_value="Albertville",
    )
    old.get_model("exchanges", "ExchangeChange").objects.create(
        exchange_id=visit.pk,
        user=officer,
        changed_at=when,
        field="cross_view:bignona:text_fr",
        old_value="",
        new_value="Retenu.",
    )
    old.get_model("partners", "ChangeRecord").objects.create(
        content_type=ContentType.objects.get(app_label="observatory", model="worktrack"),
        object_id=track.pk,
        object_repr=str(track),
        user=officer,
        changed_at=when,
        action="changed",
        field="status",
        old_value="planned",
        new_value="in_progress",
    )

    migrate(latest())

    with translation.override("en"):
        history = exchange_history(Exchange.objects.get(pk=visit.pk))
        imported = [
            (e.user.username, e.when, c.field, c.old, c.new)
            for e in history
            if e.user is not None
            for c in e.changes
        ]
    assert sorted(imported) == [
        ("agent-historique", when, "perspective of bignona [fr]", "", "Retenu."),
        ("agent-historique", when, "place", "Chambéry", "Albertville"),
    ]
    row = WorkTrack.history.get(id=track.pk, history_date=when)
    assert row.history_user.username == "agent-historique"
    assert row.imported_changes == [["status", "planned", "in_progress"]]
    assert "status: planned → in_progress" in row.history_change_reason
    # The first change after the migration is compared with the state it found.
    assert WorkTrack.history.filter(id=track.pk, history_change_reason__startswith="baseline")

    back = migrate(BEFORE)  # reversible: the former rows come back

    records = back.get_model("partners", "ChangeRecord").objects.all()
    assert [(r.field, r.old_value, r.new_value) for r in records] == [
        ("status", "planned", "in_progress")
    ]
    assert back.get_model("exchanges", "ExchangeChange").objects.count() == 2
    migrate(latest())
