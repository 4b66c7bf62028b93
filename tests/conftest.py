"""The named cast of every story: two officers, an elected official, an administrator."""

import pytest
from django.utils import deprecation

from partners.models import Profile

from .factories import PartnershipFactory, bignona, savoie, user_with_role


def pytest_configure(config):
    # Forward compatibility: any use of an API Django is about to remove fails the suite,
    # whatever Django version runs it (5.2 names RemovedInDjango60Warning, 6.1 the next one).
    for name in dir(deprecation):
        if name.startswith("RemovedInDjango"):
            config.addinivalue_line("filterwarnings", f"error::django.utils.deprecation.{name}")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The real hasher costs about half a second a password by design; tests need no such cost.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
