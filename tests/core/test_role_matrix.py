"""Who may do what: every cell of `tests.core.access` through the test client, including guessed ids
(an officer posting to the other territory's exchange, a deleted exchange's file, another
version's file…). Adding a page or a role without updating the table fails here."""

import uuid
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from exchanges.models import (
    Attachment,
    CrossView,
    Establishment,
    EstablishmentKind,
    Exchange,
    PolicyChange,
)
from partners.models import Contact, Organisation, Profile
from reporting.models import DraftRendering, Restitution, RestitutionVersion
from tests.bad_input import draft_pdf_rendered, publish_without_rendering
from tests.core import access
from tests.factories import (
    JPEG_BYTES,
    AttachmentFactory,
    CrossViewFactory,
    EstablishmentKindFactory,
    ExchangeFactory,
    PartnershipFactory,
    TerritoryFactory,
    bignona,
    exchange_form_data,
    savoie,
    user_with_role,
)
from tests.reporting_factories import DUMMY_TASKS, RestitutionFactory

CONTACT_EMAIL = "aminata.private@example.org"
OFFICER_EMAIL = "awa.matrix@example.org"
# Done without changing a row: logging out, asking for a password link (an email is enqueued).
CHANGE_NO_ROW = {"logout", "password_reset"}
User = get_user_model()
CONTACT_PHONE = "+221 77 000 00 00"


@dataclass
class World:
    """One of every object the table names, with the cast's users as their authors."""

    savoie_exchange: Exchange
    bignona_exchange: Exchange
    savoie_local_exchange: Exchange
    deleted_exchange: Exchange
    savoie_attachment: Attachment
    bignona_attachment: Attachment
    savoie_local_attachment: Attachment
    deleted_attachment: Attachment
    published: Restitution
    draft: Restitution
    draft_pdf: DraftRendering
    other_exchange: Exchange  # of a second partnership hosted on the platform
    other_attachment: Attachment
    kind: EstablishmentKind
    savoie_change: PolicyChange
    other_change: PolicyChange


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module, in a transaction rolled back at the end; each cell runs in
    its own savepoint inside it, so what a cell changes is gone for the next one."""
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=fast),
        transaction.atomic(),
    ):
        yield _build_world()
        transaction.set_rollback(True)


def _build_world() -> World:
    partnership = PartnershipFactory()
    officer_savoie = user_with_role(
        "officer-savoie",
        Profile.Role.OFFICER,
        savoie(),
        first_name="Awa",
        last_name="Matrix",
        email=OFFICER_EMAIL,
    )
    officer_bignona = user_with_role(
        "officer-bignona", Profile.Role.OFFICER, bignona(), first_name="Lamine", last_name="Matrix"
    )
    user_with_role("elu-savoie", Profile.Role.ELECTED_OFFICIAL, savoie())
    administrator = user_with_role(
        "admin", Profile.Role.ADMINISTRATOR, None, is_staff=True, is_superuser=True
    )
    Contact.objects.create(
        organisation=Organisation.objects.create(slug="dept", name_fr="Département"),
        full_name="Aminata Private",
        email=CONTACT_EMAIL,
        phone=CONTACT_PHONE,
    )
    savoie_exchange = ExchangeFactory(title_fr="Visite à Chambéry", created_by=officer_savoie)
    CrossViewFactory(exchange=savoie_exchange, territory=savoie(), updated_by=officer_savoie)
    bignona_exchange = ExchangeFactory(
        title_fr="Atelier à Bignona", host_territory=bignona(), visiting_territory=savoie()
    )
    savoie_local_exchange = ExchangeFactory(
        title_fr="Diagnostic en Savoie", visiting_territory=None, created_by=officer_savoie
    )
    deleted_exchange = ExchangeFactory(title_fr="Supprimé", deleted_at=timezone.now())
    CrossViewFactory(exchange=deleted_exchange, territory=savoie())
    ExchangeFactory(title_fr="Visite 2018", start_date="2018-04-02")  # a year to start
    published = RestitutionFactory(partnership=partnership, year=2016)
    publish_without_rendering(published, administrator)
    draft = RestitutionFactory(partnership=partnership, year=2017)
    other_exchange = _another_partnership()
    return World(
        savoie_exchange=savoie_exchange,
        bignona_exchange=bignona_exchange,
        savoie_local_exchange=savoie_local_exchange,
        deleted_exchange=deleted_exchange,
        savoie_attachment=AttachmentFactory(
            exchange=savoie_exchange, uploaded_by=officer_savoie, with_thumbnail=True
        ),
        bignona_attachment=AttachmentFactory(exchange=savoie_exchange, uploaded_by=officer_bignona),
        savoie_local_attachment=AttachmentFactory(
            exchange=savoie_local_exchange, uploaded_by=officer_savoie
        ),
        deleted_attachment=AttachmentFactory(
            exchange=deleted_exchange, uploaded_by=officer_savoie, with_thumbnail=True
        ),
        published=published,
        draft=draft,
        draft_pdf=draft_pdf_rendered(draft, officer_savoie),
        other_exchange=other_exchange,
        other_attachment=AttachmentFactory(exchange=other_exchange, with_thumbnail=True),
        kind=EstablishmentKindFactory(),
        savoie_change=_change(partnership, savoie(), officer_savoie),
        other_change=_change(other_exchange.partnership, other_exchange.host_territory, None),
    )


def _change(partnership, territory, author) -> PolicyChange:
    """A change with its evidence (a photo), as an officer records it."""
    photo = SimpleUploadedFile("preuve.jpg", JPEG_BYTES, content_type="image/jpeg")
    change = PolicyChange(
        partnership=partnership,
        territory=territory,
        title_fr="Visites de convivialité",
        date="2017-04-10",
        stage="in_place",
        origin="other",
        created_by=author,
        evidence_content_type="image/jpeg",
        evidence_name="preuve.jpg",
    )
    change.evidence.save("preuve.jpg", photo)
    return change


def _another_partnership() -> Exchange:
    """Isère – Kolda, hosted after Savoie–Bignona: an exchange with Isère's cross view, and a
    restitution of a year Savoie–Bignona has none for."""
    isere = TerritoryFactory(slug="isere", name_fr="Isère")
    kolda = TerritoryFactory(slug="kolda", name_fr="Kolda", country_fr="Sénégal")
    other = PartnershipFactory(
        slug="isere-kolda", name_fr="Isère – Kolda", territories=[isere, kolda]
    )
    exchange = ExchangeFactory(
        partnership=other,
        title_fr="Visite à Grenoble",
        host_territory=isere,
        visiting_territory=kolda,
    )
    CrossViewFactory(exchange=exchange, territory=isere)
    RestitutionFactory(partnership=other, year=2015)
    return exchange


@dataclass(frozen=True)
class Call:
    kwargs: dict
    query: str = ""
    exchange: Exchange | None = None  # the exchange a POST to the exchange form changes


def call_for(target: str, world: World) -> Call:
    """The URL arguments for a row's object."""
    a = access
    files = {
        a.PUBLISHED_FILE: (world.published, 1, "fr", "pdf"),
        a.FAILED_FILE: (world.published, 2, "fr", "pdf"),
        a.DRAFT_FILE: (world.draft, 1, "fr", "pdf"),
        a.UNKNOWN_EDITION: (world.published, 1, "de", "pdf"),
    }
    if target in files:
        restitution, number, edition, format = files[target]
        kwargs = {"year": restitution.year, "number": number}
        return Call({**kwargs, "edition": edition, "format": format})
    stylesheets = {a.PUBLISHED_STYLESHEET: 1, a.FAILED_STYLESHEET: 2}
    if target in stylesheets:
        return Call({"year": world.published.year, "number": stylesheets[target]})
    if target == a.DRAFT_PDF:
        return Call({"year": world.draft.year, "pk": world.draft_pdf.pk})
    if target == a.DRAFT_PDF_OTHER_YEAR:
        return Call({"year": world.published.year, "pk": world.draft_pdf.pk})
    exchanges = {
        a.SAVOIE_EXCHANGE: world.savoie_exchange,
        a.BIGNONA_EXCHANGE: world.bignona_exchange,
        a.SAVOIE_LOCAL_EXCHANGE: world.savoie_local_exchange,
        a.DELETED_EXCHANGE: world.deleted_exchange,
        a.OTHER_EXCHANGE: world.other_exchange,
    }
    if target in exchanges:
        return Call({"pk": exchanges[target].pk}, exchange=exchanges[target])
    changes = {a.SAVOIE_CHANGE: world.savoie_change, a.OTHER_CHANGE: world.other_change}
    if target in changes:
        return Call({"pk": changes[target].pk})
    sides = {
        a.SAVOIE_SIDE: (world.savoie_exchange, "savoie"),
        a.BIGNONA_SIDE: (world.savoie_exchange, "bignona"),
        a.UNKNOWN_SIDE: (world.savoie_exchange, "paris"),
        a.DELETED_SIDE: (world.deleted_exchange, "savoie"),
    }
    sides[a.OTHER_SIDE] = (world.other_exchange, "isere")
    if target in sides:
        exchange, slug = sides[target]
        return Call({"pk": exchange.pk, "territory": slug})
    ids = {
        a.UNKNOWN_EXCHANGE: Exchange.objects.order_by("pk").last().pk + 1000,
        a.SAVOIE_ATTACHMENT: world.savoie_attachment.pk,
        a.BIGNONA_ATTACHMENT: world.bignona_attachment.pk,
        a.SAVOIE_LOCAL_ATTACHMENT: world.savoie_local_attachment.pk,
        a.DELETED_ATTACHMENT: world.deleted_attachment.pk,
        a.UNKNOWN_ATTACHMENT: world.deleted_attachment.pk + 1000,
        a.OTHER_ATTACHMENT: world.other_attachment.pk,
    }
    if target in ids:
        return Call({"pk": ids[target]})
    if target == a.UNKNOWN_UPLOAD:
        return Call({"session_id": uuid.uuid4()})
    years = {
        a.PUBLISHED: world.published.year,
        a.PUBLISHED_AS_DRAFT: world.published.year,
        a.DRAFT: world.draft.year,
        a.NO_RESTITUTION: 2030,
        a.OTHER_RESTITUTION: 2015,
    }
    if target in years:
        query = "?draft=1" if target == a.PUBLISHED_AS_DRAFT else ""
        return Call({"year": years[target]}, query=query)
    if target == a.VALID_RESET_LINK:
        user = User.objects.get(username="officer-savoie")
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        return Call({"uidb64": uid, "token": default_token_generator.make_token(user)})
    if target == a.INVALID_RESET_LINK:
        return Call({"uidb64": "MQ", "token": "c0ffee-0123456789abcdef"})
    if target in {
        a.NOTHING,
        a.NEW_SAVOIE_EXCHANGE,
        a.NEW_SAVOIE_LOCAL_EXCHANGE,
        a.NEW_SAVOIE_ESTABLISHMENT,
        a.NEW_SAVOIE_CHANGE,
        a.WRONG_PASSWORD,
        a.KNOWN_ADDRESS,
    }:
        return Call({})
    if target == a.NEW_RESTITUTION:
        return Call({})
    raise AssertionError(f"tests/test_role_matrix.py does not know how to build {target!r}")


def post_data(row: access.Row, call: Call, world: World) -> dict:
    """What each form posts: valid values, so that only the role decides the outcome."""
    if row.name == "exchange_create" and row.target == access.NEW_SAVOIE_LOCAL_EXCHANGE:
        return exchange_form_data(visiting_territory="")
    if row.name == "exchange_create":
        return exchange_form_data()
    if row.name == "password_reset":
        return {"email": OFFICER_EMAIL}
    if row.name in {"change_create", "change_edit"}:
        saved = PolicyChange.objects.filter(pk=call.kwargs.get("pk")).first()
        return {
            "territory": savoie().pk,
            "title_fr": "Changé par la matrice",
            "date": "2017-05-02",
            "stage": "decided",
            "origin": "both",
            "version": saved.version if saved else 0,
        }
    if row.name == "exchange_edit":
        return exchange_form_data(call.exchange, title_fr="Changé par la matrice")
    if row.name == "exchange_cross_view":
        saved = CrossView.objects.filter(
            exchange_id=call.kwargs["pk"], territory__slug=call.kwargs["territory"]
        ).first()
        return {"text_fr": "Ce que nous retenons.", "version": saved.version if saved else 0}
    if row.name == "exchange_attachment_create":
        photo = SimpleUploadedFile("photo.jpg", JPEG_BYTES, content_type="image/jpeg")
        return {"file": photo, "caption_fr": "Une photo"}
    if row.name == "establishment_create":
        return {"name_fr": "EHPAD du lac", "kind": world.kind.pk, "territory": savoie().pk}
    if row.name == "restitution_start":
        return {"year": "2018"}
    if row.name == "restitution_edit":
        return {"introduction_fr": "Nouvelle introduction.", "conclusion_fr": "Fin."}
    if row.name == "login":
        return {"username": "officer-savoie", "password": "not the password"}
    return {}


def fingerprint() -> tuple:
    """Everything a POST in the table could change."""
    return (
        list(
            Exchange.objects.order_by("pk").values_list("pk", "version", "title_fr", "deleted_at")
        ),
        list(CrossView.objects.order_by("pk").values_list("pk", "version", "text_fr")),
        list(Attachment.objects.order_by("pk").values_list("pk", flat=True)),
        list(Establishment.objects.order_by("pk").values_list("pk", flat=True)),
        list(Restitution.objects.order_by("pk").values_list("pk", "introduction_fr")),
        list(RestitutionVersion.objects.order_by("pk").values_list("pk", "status")),
        Exchange.history.count(),
        CrossView.history.count(),
        list(PolicyChange.objects.order_by("pk").values_list("pk", "version", "title_fr")),
    )


def is_login_redirect(response) -> bool:
    location = response.get("Location", "")
    return response.status_code == 302 and (
        "/accounts/login/" in location or "/admin/login/" in location
    )


CELLS = [
    pytest.param(row, column, id=f"{row.name}-{row.method}-{row.target}-{column.key}")
    for row in access.ROWS
    for column in access.COLUMNS
]


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "column"), CELLS)
def test_every_role_gets_what_the_table_says(
    client, request, settings, monkeypatch, world, row, column
):
    settings.TASKS = DUMMY_TASKS  # publishing enqueues; nothing renders here
    # A draft is rendered live; what it looks like is other stories' business.
    monkeypatch.setattr(
        "reporting.views.render_edition", lambda content, *, edition, format: b"draft"
    )
    if column.key != "anonymous":
        client.force_login(request.getfixturevalue(column.key))  # the world's user, by name
    call = call_for(row.target, world)
    url = reverse(row.name, kwargs=call.kwargs) + call.query
    before = fingerprint()

    if row.method == "POST":
        response = client.post(url, post_data(row, call, world))
    else:
        response = client.get(url)

    expected = row.outcome(column)
    status = response.status_code
    if expected == access.LOGIN:
        assert is_login_redirect(response), f"{status} {response.get('Location')}"
    elif expected == access.DONE:
        assert status == 302, status
        assert not is_login_redirect(response), response.get("Location")
    elif expected == access.REFUSED:
        form = response.context and response.context.get("form")
        assert status == 200, status
        assert form is not None, "no form on the page"
        assert form.errors, "the form was accepted"
    else:
        assert status == int(expected)
    if row.method == "POST" and expected != access.DONE:
        assert fingerprint() == before, "a refused action changed the database"
    if row.method == "POST" and expected == access.DONE and row.name not in CHANGE_NO_ROW:
        assert fingerprint() != before, "the action said it was done but changed nothing"
    if status == 200 and not row.name.startswith("admin:"):
        _assert_no_personal_data(response, column)


def _assert_no_personal_data(response, column: access.Column) -> None:
    """Contacts are for administrators, in the admin; no page outside shows them. Anonymous
    visitors see no one's name."""
    if not response.get("Content-Type", "").startswith(("text/", "application/json")):
        return
    body = b"".join(response) if response.streaming else response.content
    text = body.decode("utf-8", errors="replace")
    assert CONTACT_EMAIL not in text
    assert CONTACT_PHONE not in text
    if column.key == "anonymous":
        assert "Awa Matrix" not in text
        assert "Lamine Matrix" not in text


# --- The table covers the whole site and every role ----------------------------------------

SKIPPED_NAMESPACES = {"admin"}  # the admin's internals: a few rows above stand for them
SKIPPED_NAMES = {"set_language"}  # Django's language switch, open to all by design


def site_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                if inner not in SKIPPED_NAMESPACES:
                    walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                assert pattern.name, f"URL {pattern.pattern} has no name to put in the table"
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, None)
    return names - SKIPPED_NAMES


def test_every_page_of_the_site_has_a_row():
    missing = site_url_names() - {row.name for row in access.ROWS}
    assert not missing, f"add these URL names to tests/core/access.py: {sorted(missing)}"


def test_every_row_names_a_page_that_exists():
    for row in access.ROWS:
        assert row.method in {"GET", "POST"}
        assert row.name in site_url_names() or row.name.startswith("admin:"), row.name


def test_every_role_has_a_column():
    roles = {column.role for column in access.COLUMNS}
    assert roles == {None, *Profile.Role.values}, "add the role's column to tests/core/access.py"


def test_the_readme_shows_the_same_table():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("## Who may do what", 1)[-1].split("\n## ", 1)[0]
    assert access.markdown() in section, (
        "README.md's 'Who may do what' differs from tests/core/access.py: "
        "paste the output of `python -m tests.core.access` there"
    )


def test_no_address_serves_uploaded_files_around_the_checks(settings):
    """Attachments and published restitutions go through views that check who asks; a /media/
    address (as `static()` adds in development) would hand them to anyone who guesses it."""
    import importlib

    import config.urls

    settings.DEBUG = True  # `make run`
    try:
        patterns = importlib.reload(config.urls).urlpatterns
    finally:
        settings.DEBUG = False
        importlib.reload(config.urls)
    served = [p for p in patterns if isinstance(p, URLPattern) and p.callback.__name__ == "serve"]
    assert not served, f"{served} serves files to anyone"
