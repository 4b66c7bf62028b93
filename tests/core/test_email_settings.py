"""An operator points the platform at an SMTP server through environment variables; without
one, emails are printed on the task worker's console."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings import email_from_env

SMTP = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE = "django.core.mail.backends.console.EmailBackend"
VARIABLES = ["EMAIL_URL", "DJANGO_EMAIL_HOST", "DJANGO_EMAIL_PORT", "DJANGO_EMAIL_USER"]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in [*VARIABLES, "DJANGO_EMAIL_PASSWORD", "DJANGO_EMAIL_USE_TLS"]:
        monkeypatch.delenv(name, raising=False)


def test_without_a_server_emails_go_to_the_console():
    assert email_from_env() == {"EMAIL_BACKEND": CONSOLE}


def test_an_email_url_gives_the_smtp_server_and_its_account(monkeypatch):
    monkeypatch.setenv(
        "EMAIL_URL", "smtp+tls://regard%40example.org:p%40ss%3Aword@smtp.example.org"
    )

    email = email_from_env()

    assert email["EMAIL_BACKEND"] == SMTP
    assert (email["EMAIL_HOST"], email["EMAIL_PORT"]) == ("smtp.example.org", 587)
    assert (email["EMAIL_HOST_USER"], email["EMAIL_HOST_PASSWORD"]) == (
        "regard@example.org",
        "p@ss:word",
    )


@pytest.mark.parametrize(
    ("url", "port", "starttls", "implicit_tls"),
    [
        # The plain internal relay many Départements use: no STARTTLS asked.
        ("smtp://relay.cg73.example", 25, False, False),
        ("smtp://relay.cg73.example:2525", 2525, False, False),
        ("smtp+tls://smtp.example.org", 587, True, False),
        ("smtp+ssl://smtp.example.org", 465, False, True),
        # smtps:// keeps the meaning it always had here: TLS from the start.
        ("smtps://smtp.example.org", 465, False, True),
    ],
)
def test_the_scheme_says_how_the_connection_is_protected(
    monkeypatch, url, port, starttls, implicit_tls
):
    monkeypatch.setenv("EMAIL_URL", url)

    email = email_from_env()

    assert email["EMAIL_PORT"] == port
    assert (email["EMAIL_USE_TLS"], email["EMAIL_USE_SSL"]) == (starttls, implicit_tls)


def test_console_prints_them(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "console://")
    assert email_from_env() == {"EMAIL_BACKEND": CONSOLE}


def test_separate_variables_work_too(monkeypatch):
    monkeypatch.setenv("DJANGO_EMAIL_HOST", "mail.bignona.example")
    monkeypatch.setenv("DJANGO_EMAIL_PORT", "2525")
    monkeypatch.setenv("DJANGO_EMAIL_USE_TLS", "0")

    email = email_from_env()

    assert (email["EMAIL_HOST"], email["EMAIL_PORT"], email["EMAIL_USE_TLS"]) == (
        "mail.bignona.example",
        2525,
        False,
    )


@pytest.mark.parametrize("url", ["imap://host", "smtp://host:notaport"])
def test_a_wrong_email_url_stops_the_start_with_a_clear_message(monkeypatch, url):
    monkeypatch.setenv("EMAIL_URL", url)

    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        email_from_env()
