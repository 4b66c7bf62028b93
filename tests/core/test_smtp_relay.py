"""An operator points EMAIL_URL at a real mail server (aiosmtpd, in this process): the plain
internal relay of many Départements (smtp://), one that asks for STARTTLS (smtp+tls://) and one
that speaks TLS from the start (smtp+ssl://), each with a certificate the client checks."""

import datetime
import ipaddress
import ssl
from email import message_from_bytes
from email import policy as email_policy

import pytest
from aiosmtpd.controller import Controller
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.core.mail import get_connection, send_mail

from config.settings import email_from_env

HOST = "127.0.0.1"
# This project's test SMTP ports (8365-8369).
PLAIN_PORT, STARTTLS_PORT, TLS_PORT = 8365, 8366, 8367


# Django 6.1 moves e-mail configuration to MAILERS (EMAIL_BACKEND and get_connection() are
# deprecated until 2028, still working): these stories set the backend the 5.2 way on both.
EMAIL_BACKEND_DEPRECATION = [
    pytest.mark.filterwarnings("ignore:The EMAIL_BACKEND setting is deprecated"),
    pytest.mark.filterwarnings(r"ignore:get_connection\(\) is deprecated"),
    pytest.mark.filterwarnings("ignore:The 'connection' argument is deprecated"),
]
pytestmark = EMAIL_BACKEND_DEPRECATION


class Inbox:
    """aiosmtpd's handler: keeps what arrives, and whether it came over TLS."""

    def __init__(self):
        self.received: list[tuple[str, list[str], bytes, bool]] = []

    async def handle_DATA(self, server, session, envelope):
        # STARTTLS sets session.ssl; TLS from the start shows on the connection itself.
        encrypted = session.ssl is not None or bool(server.transport.get_extra_info("sslcontext"))
        self.received.append((envelope.mail_from, envelope.rcpt_tos, envelope.content, encrypted))
        return "250 Message accepted for delivery"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1, made here; the client trusts it through
    SSL_CERT_FILE, as it would trust a real authority's."""
    folder = tmp_path_factory.mktemp("tls")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "relay.test")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(HOST))]), False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


def server_context(certificate) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*map(str, certificate))
    return context


@pytest.fixture
def mail_server(request, certificate, monkeypatch):
    """A running SMTP server of the kind `request.param` names, and the Django settings
    EMAIL_URL gives for it."""
    kind = request.param
    inbox = Inbox()
    options = {
        "plain": {"port": PLAIN_PORT},
        "starttls": {
            "port": STARTTLS_PORT,
            "tls_context": server_context(certificate),
            "require_starttls": True,  # nothing is accepted before STARTTLS
        },
        "tls": {"port": TLS_PORT, "ssl_context": server_context(certificate)},
    }[kind]
    controller = Controller(inbox, hostname=HOST, **options)
    controller.start()
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    scheme = {"plain": "smtp", "starttls": "smtp+tls", "tls": "smtp+ssl"}[kind]
    monkeypatch.setenv("EMAIL_URL", f"{scheme}://{HOST}:{options['port']}")
    try:
        yield kind, inbox, email_from_env()
    finally:
        controller.stop()


@pytest.mark.parametrize("mail_server", ["plain", "starttls", "tls"], indirect=True)
def test_an_email_reaches_the_server_email_url_names(mail_server):
    kind, inbox, email = mail_server
    connection = get_connection(
        email["EMAIL_BACKEND"],
        host=email["EMAIL_HOST"],
        port=email["EMAIL_PORT"],
        use_tls=email["EMAIL_USE_TLS"],
        use_ssl=email["EMAIL_USE_SSL"],
        timeout=10,
    )

    sent = send_mail(
        "Regard croisé : un nouvel échange",
        "Bonjour,",
        "noreply@regard-croise.example",
        ["lamine@bignona.example"],
        connection=connection,
    )

    assert sent == 1
    [(sender, recipients, content, encrypted)] = inbox.received
    assert (sender, recipients) == ("noreply@regard-croise.example", ["lamine@bignona.example"])
    # The header as the recipient's mail program reads it (Django 6.1 encodes it otherwise).
    message = message_from_bytes(content, policy=email_policy.default)
    assert message["Subject"] == "Regard croisé : un nouvel échange"
    assert encrypted == (kind != "plain")


@pytest.mark.parametrize("mail_server", ["plain"], indirect=True)
def test_a_plain_relay_is_not_asked_for_starttls(mail_server):
    # Before EMAIL_URL followed django-environ's schemes, smtp:// always started TLS and such a
    # relay answered SMTPNotSupportedError.
    _kind, _inbox, email = mail_server

    assert (email["EMAIL_USE_TLS"], email["EMAIL_USE_SSL"]) == (False, False)
