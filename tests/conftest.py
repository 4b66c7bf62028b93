"""The named cast of every story: two officers, an elected official, an administrator."""

import fcntl
import shutil
from contextlib import contextmanager
from io import StringIO
from pathlib import Path

import pytest
from django.core.cache import cache, caches
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import deprecation

from partners.models import Profile

from .factories import ExchangeFactory, PartnershipFactory, bignona, savoie, user_with_role
from .fake_pdf import fake_html_to_pdf
from .s3 import s3_server  # noqa: F401 (a fixture: moto's S3 server, for the storage tests)

# The one function that calls WeasyPrint; tests not marked `real_pdf` get the fast fake.
PDF_RENDERER = "reporting.document.html_to_pdf"


def pytest_configure(config):
    # Forward compatibility: any use of an API Django is about to remove fails the suite,
    # whatever Django version runs it (5.2 names RemovedInDjango60Warning, 6.1 the next one).
    for name in dir(deprecation):
        if name.startswith("RemovedInDjango"):
            config.addinivalue_line("filterwarnings", f"error::django.utils.deprecation.{name}")


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def real_pdf_wanted(node) -> bool:
    return node.get_closest_marker("real_pdf") is not None


@pytest.fixture(autouse=True)
def fast_pdf(request, monkeypatch):
    """WeasyPrint takes seconds a document: tests that do not read the PDF itself get a small
    PDF carrying the HTML's text instead. `@pytest.mark.real_pdf` keeps the real renderer."""
    if not real_pdf_wanted(request.node):
        monkeypatch.setattr(PDF_RENDERER, fake_html_to_pdf)


@pytest.fixture(scope="session")
def demo_snapshots(tmp_path_factory, worker_id) -> Path:
    """Where the demo, once loaded, is kept (its rows as JSON, its media folder): one folder
    for the whole run, shared by xdist's workers (the parent of their temporary folders)."""
    base = tmp_path_factory.getbasetemp()
    folder = (base if worker_id == "master" else base.parent) / "demo-snapshots"
    folder.mkdir(exist_ok=True)
    return folder


@contextmanager
def _locked(path: Path):
    with path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


# Not kept: rows every test database makes for itself when it migrates, whose numbers may
# differ between databases (natural keys name them in the rows that point to them).
NOT_SNAPSHOTTED = ["contenttypes", "auth.permission", "sessions"]


def _load_demo_once(snapshot: Path, media: Path) -> None:
    """Loads the demo into the current transaction: from the snapshot when one was taken
    (by this process or another worker), else with `load_demo`, then takes the snapshot."""
    rows = snapshot / "demo.json"
    if rows.exists():
        call_command("loaddata", rows, verbosity=0)
        shutil.copytree(snapshot / "media", media, dirs_exist_ok=True)
        return
    call_command("load_demo", stdout=StringIO())
    taking = snapshot.with_suffix(".taking")
    shutil.rmtree(taking, ignore_errors=True)
    taking.mkdir()
    call_command(
        "dumpdata",
        natural_foreign=True,
        exclude=NOT_SNAPSHOTTED,
        output=str(taking / "demo.json"),
        verbosity=0,
    )
    shutil.copytree(media, taking / "media")
    taking.rename(snapshot)


# The demo publishes 2016 and 2017; the modules that read its real PDFs read 2016's only.
REAL_PDF_DEMO_YEARS = {2016}
DEMO_PUBLISH = "reporting.demo.restitution_publish"


def _real_pdfs_for(years):
    """`restitution_publish` rendering real PDFs for these years only (the fake for others)."""
    from reporting import demo, document

    publish, real = demo.restitution_publish, document.html_to_pdf

    def publish_with_real_pdfs_for_some_years(*, restitution, **kwargs):
        with pytest.MonkeyPatch.context() as patch:
            renderer = real if restitution.year in years else fake_html_to_pdf
            patch.setattr(PDF_RENDERER, renderer)
            return publish(restitution=restitution, **kwargs)

    return publish_with_real_pdfs_for_some_years


@pytest.fixture(scope="module")
def demo_data(request, django_db_setup, django_db_blocker, tmp_path_factory, demo_snapshots):
    """The demo data for a whole test module, rolled back after it. `load_demo` runs once in
    the whole run per flavour (fake PDFs, or for a module marked `real_pdf` real ones for
    the 2016 restitution, whose six files take WeasyPrint seconds each, and fake ones for
    2017's, which no such module reads); the other modules
    get the same rows and files back from its snapshot (`loaddata`, a copy of the media
    folder). Each test still runs in its own savepoint, so what a test changes is undone
    before the next."""
    media = tmp_path_factory.mktemp("demo-media")
    flavour = "real-pdf" if real_pdf_wanted(request.node) else "fake-pdf"
    with (
        pytest.MonkeyPatch.context() as patch,
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        if flavour == "fake-pdf":
            patch.setattr(PDF_RENDERER, fake_html_to_pdf)
        else:
            patch.setattr(DEMO_PUBLISH, _real_pdfs_for(REAL_PDF_DEMO_YEARS))
        cache.clear()  # figures an earlier module kept were counted from rows rolled back since
        with _locked(demo_snapshots / f"{flavour}.lock"):
            _load_demo_once(demo_snapshots / flavour, media)
        cache.clear()
        yield
        transaction.set_rollback(True)
    cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The real hasher costs about half a second a password by design; tests need no such cost.
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def empty_cache():
    # What an earlier test kept (key figures) was computed from rows rolled back since; what
    # it counted against the brakes was another story's.
    cache.clear()
    caches["brakes"].clear()


@pytest.fixture
def partnership(db):
    return PartnershipFactory()


@pytest.fixture
def officer_savoie(db):
    return user_with_role("officer-savoie", Profile.Role.OFFICER, savoie())


@pytest.fixture
def officer_bignona(db):
    return user_with_role("officer-bignona", Profile.Role.OFFICER, bignona())


@pytest.fixture
def elected_official(db):
    return user_with_role("elu-savoie", Profile.Role.ELECTED_OFFICIAL, savoie())


@pytest.fixture
def administrator(db):
    return user_with_role(
        "admin", Profile.Role.ADMINISTRATOR, None, is_staff=True, is_superuser=True
    )


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploaded files go to a temporary folder, removed after the test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def nothing_kept(settings):
    """For stories that write with factories, not through the services that forget what is
    kept: the computation itself is under test (test_key_figures_cache.py tests the keeping)."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }


@pytest.fixture
def visit(partnership):
    """An exchange of the partnership: a Bignona delegation's visit hosted by Savoie."""
    return ExchangeFactory(partnership=partnership, title_fr="Visite du foyer")
