"""The named cast of every story: two officers, an elected official, an administrator."""

from io import StringIO

import pytest
from django.core.cache import cache
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


@pytest.fixture(scope="module")
def demo_data(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data, loaded once for a whole test module (it renders the 2016 restitution's
    six files: seconds with real PDFs, for a module marked `real_pdf`) and rolled back after
    it. Each test still runs in its own savepoint, so what a test changes is undone before the
    next."""
    media = tmp_path_factory.mktemp("demo-media")
    with (
        pytest.MonkeyPatch.context() as patch,
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        if not real_pdf_wanted(request.node):
            patch.setattr(PDF_RENDERER, fake_html_to_pdf)
        cache.clear()  # figures an earlier module kept were counted from rows rolled back since
        call_command("load_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)
    cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The real hasher costs about half a second a password by design; tests need no such cost.
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def empty_cache():
    # What an earlier test kept (key figures) was computed from rows rolled back since.
    cache.clear()


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
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.fixture
def visit(partnership):
    """An exchange of the partnership: a Bignona delegation's visit hosted by Savoie."""
    return ExchangeFactory(partnership=partnership, title_fr="Visite du foyer")
