"""What is kept in cache is forgotten by bumping the generation its key holds, never by emptying
the store: the brake on failed logins, other releases' and other sites' keys stay. The key
prefix names the release and the database as the database names itself, not as a server
spells its address."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command

from core import caching
from core.deploy import database_identity, deploy_version

pytestmark = pytest.mark.django_db  # a bump is made again when the transaction commits


def counter():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    return compute, calls


def test_a_value_is_kept_until_its_scope_is_forgotten():
    compute, calls = counter()
    assert caching.remember("figures", compute, scopes=["partnership:1"]) == 1
    assert caching.remember("figures", compute, scopes=["partnership:1"]) == 1

    caching.forget(["partnership:2"])  # another partnership
    assert caching.remember("figures", compute, scopes=["partnership:1"]) == 1
    caching.forget(["partnership:1"])

    assert caching.remember("figures", compute, scopes=["partnership:1"]) == 2
    assert len(calls) == 2


def test_a_generation_evicted_from_the_store_never_brings_back_an_older_value():
    compute, _calls = counter()
    caching.remember("figures", compute, scopes=["partnership:1"])
    caching.forget(["partnership:1"])
    caching.remember("figures", compute, scopes=["partnership:1"])  # 2, under the new one

    cache.delete("generation:partnership:1")  # Redis evicted it (maxmemory)

    assert caching.remember("figures", compute, scopes=["partnership:1"]) == 3


def test_forgetting_everything_leaves_the_login_brake_and_other_keys():
    compute, _calls = counter()
    caching.remember("figures", compute, scopes=["partnership:1"])
    cache.set("failed-logins:203.0.113.7", 4)
    cache.set("another-release-or-site:figures", "theirs")

    caching.forget_everything()

    assert caching.remember("figures", compute, scopes=["partnership:1"]) == 2
    assert cache.get("failed-logins:203.0.113.7") == 4
    assert cache.get("another-release-or-site:figures") == "theirs"


def test_loading_the_demo_forgets_what_was_kept_and_only_that(settings, monkeypatch):
    settings.ALLOW_DEMO_DATA = True
    monkeypatch.setattr("core.management.commands.load_demo.demo_modules", list)
    compute, _calls = counter()
    caching.remember("figures", compute, scopes=["partnership:1"])
    cache.set("failed-logins:203.0.113.7", 4)

    call_command("load_demo", stdout=StringIO())

    assert caching.remember("figures", compute, scopes=["partnership:1"]) == 2
    assert cache.get("failed-logins:203.0.113.7") == 4


def test_a_territory_leaving_a_partnership_in_the_admin_keeps_the_login_brake(
    client, administrator, partnership
):
    from tests.admin_forms import admin_form
    from tests.factories import savoie

    cache.set("failed-logins:203.0.113.7", 4)
    client.force_login(administrator)
    url = f"/fr/admin/partners/partnership/{partnership.pk}/change/"
    data = admin_form(client, url, "partnership_form")
    data["territories"] = [savoie().pk]

    assert client.post(url, data).status_code == 302

    assert cache.get("failed-logins:203.0.113.7") == 4


POSTGRES = "django.db.backends.postgresql"


def test_servers_naming_one_database_differently_share_what_they_keep():
    """`db.internal` and `10.0.0.5` are one server: the same prefix, so the same generations."""
    one = {"ENGINE": POSTGRES, "HOST": "db.internal", "PORT": "", "NAME": "regard_croise"}
    other = {"ENGINE": POSTGRES, "HOST": "10.0.0.5", "PORT": "5432", "NAME": "regard_croise"}
    assert database_identity(one) == database_identity(other)
    assert database_identity(one) != database_identity({**one, "NAME": "regard_croise_test"})


def test_one_sqlite_file_reached_by_two_paths_shares_what_it_keeps(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "data")
    sqlite = "django.db.backends.sqlite3"
    through_link = {"ENGINE": sqlite, "NAME": str(tmp_path / "link" / "db.sqlite3")}
    direct = {"ENGINE": sqlite, "NAME": str(tmp_path / "data" / "db.sqlite3")}
    assert database_identity(through_link) == database_identity(direct)


def test_the_release_is_its_files_wherever_it_is_installed(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder / "core").mkdir(parents=True)
        (tmp_path / folder / "core" / "views.py").write_text("VIEWS = 1\n")
    assert deploy_version(tmp_path / "a") == deploy_version(tmp_path / "b")

    # What installing it writes beside it is not the release.
    for written in ("build/lib/core", "regard_croise.egg-info", "var/cache"):
        (tmp_path / "b" / written).mkdir(parents=True)
        (tmp_path / "b" / written / "SOURCES.txt").write_text("core/views.py\n")
    assert deploy_version(tmp_path / "a") == deploy_version(tmp_path / "b")

    (tmp_path / "b" / "core" / "views.py").write_text("VIEWS = 2\n")
    assert deploy_version(tmp_path / "a") != deploy_version(Path(tmp_path / "b"))


def test_what_a_changing_transaction_reads_is_not_kept_if_it_rolls_back():
    from django.db import transaction

    compute, _calls = counter()
    with transaction.atomic():
        caching.forget(["partnership:1"])  # a change, not committed yet
        assert caching.remember("figures", compute, scopes=["partnership:1"]) == 1
        transaction.set_rollback(True)

    assert caching.remember("figures", compute, scopes=["partnership:1"]) == 2
