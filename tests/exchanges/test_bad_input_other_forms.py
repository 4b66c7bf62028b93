"""Bad values in the attachment, establishment, restitution and login forms: a message, never
a server error, and nothing saved when refused (no row, no file left on disk)."""

import pytest
from django.core.cache import cache
from hypothesis import given
from hypothesis import strategies as st

from exchanges.models import Attachment, Establishment
from reporting.models import Restitution
from tests.bad_input import (
    FAST,
    MISSING,
    ODD_VALUES,
    assert_answered_clearly,
    odd_or_missing,
    odd_value,
    post_raw,
)
from tests.factories import JPEG_BYTES, PDF_BYTES, ExchangeFactory, StrandFactory, savoie
from tests.reporting_factories import RestitutionFactory

pytestmark = pytest.mark.django_db


def raw(value) -> bytes:
    return value if isinstance(value, bytes) else str(value).encode("utf-8", "surrogatepass")


def multipart(fields: dict, file_name, content: bytes, content_type: bytes) -> bytes:
    """A multipart body built by hand, so the file's name and the fields can be any bytes."""
    parts = []
    for name, value in fields.items():
        if value is MISSING:
            continue
        parts.append(
            b'--BOUNDARY\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
            % (name.encode(), raw(value))
        )
    if file_name is not MISSING:
        parts.append(
            b'--BOUNDARY\r\nContent-Disposition: form-data; name="file"; filename="%s"\r\n'
            b"Content-Type: %s\r\n\r\n%s\r\n" % (raw(file_name), content_type, content)
        )
    return b"".join(parts) + b"--BOUNDARY--\r\n"


def files_on_disk(media_root) -> list:
    return sorted(path for path in media_root.rglob("*") if path.is_file())


@FAST
@given(
    caption_fr=odd_or_missing,
    caption_en=odd_or_missing,
    credit=odd_or_missing,
    file_name=st.one_of(st.just(MISSING), odd_value, st.just("photo.jpg")),
    content=st.one_of(
        st.binary(max_size=64),
        st.binary(max_size=64).map(lambda junk: JPEG_BYTES[:4] + junk),
        st.just(PDF_BYTES),
        st.just(b""),
    ),
    content_type=st.sampled_from([b"image/jpeg", b"application/pdf", b"text/html", b"\xff\x00"]),
)
def test_a_bad_attachment_is_refused_with_a_message_and_leaves_no_file(
    client,
    officer_bignona,
    partnership,
    media_root,
    caption_fr,
    caption_en,
    credit,
    file_name,
    content,
    content_type,
):
    visit = ExchangeFactory()
    client.force_login(officer_bignona)
    before = (Attachment.objects.count(), Attachment.history.count())
    on_disk = files_on_disk(media_root) if media_root.exists() else []

    response = client.post(
        f"/fr/exchanges/{visit.pk}/attachments/new/",
        multipart(
            {"caption_fr": caption_fr, "caption_en": caption_en, "credit": credit},
            file_name,
            content,
            content_type,
        ),
        content_type="multipart/form-data; boundary=BOUNDARY",
    )

    assert_answered_clearly(response)
    if response.status_code != 302:
        assert (Attachment.objects.count(), Attachment.history.count()) == before
        assert (files_on_disk(media_root) if media_root.exists() else []) == on_disk


@FAST
@given(
    data=st.fixed_dictionaries(
        {
            "name_fr": odd_or_missing,
            "kind": st.one_of(odd_or_missing, st.just("ehpad")),
            "territory": odd_or_missing,
            "town": odd_or_missing,
            "strands": st.one_of(odd_or_missing, st.lists(odd_value, max_size=3)),
            "next": odd_or_missing,
        }
    )
)
def test_a_bad_establishment_is_refused_with_a_message(client, officer_savoie, partnership, data):
    StrandFactory(partnership=partnership)
    client.force_login(officer_savoie)
    before = Establishment.objects.count()

    response = post_raw(client, "/fr/exchanges/establishments/new/", data)

    assert_answered_clearly(response)
    if response.status_code != 302:
        assert Establishment.objects.count() == before
    else:  # back to a page of this site only
        assert response["Location"].startswith("/")
        assert not response["Location"].startswith("//")


@FAST
@given(
    fields=st.fixed_dictionaries(
        {
            name: odd_or_missing
            for name in ["introduction_fr", "introduction_en", "conclusion_fr", "conclusion_en"]
        }
    )
)
def test_a_restitution_text_with_bad_values_is_refused_with_a_message(
    client, officer_savoie, partnership, fields
):
    restitution = RestitutionFactory(partnership=partnership, year=2016)
    client.force_login(officer_savoie)
    before = list(Restitution.objects.values())

    response = post_raw(client, "/fr/restitutions/2016/edit/", fields)

    assert_answered_clearly(response)
    if response.status_code != 302:
        assert list(Restitution.objects.values()) == before
    restitution.refresh_from_db()
    assert "\x00" not in restitution.introduction_fr


@FAST
@given(year=odd_or_missing)
def test_starting_a_restitution_for_a_bad_year_says_which_years_can_start(
    client, officer_savoie, partnership, year
):
    ExchangeFactory()  # 2016 has exchanges and no restitution
    client.force_login(officer_savoie)
    before = Restitution.objects.count()

    response = post_raw(client, "/fr/restitutions/start/", {"year": year})

    assert response.status_code == 302
    if year != "2016":
        assert Restitution.objects.count() == before
        assert response["Location"] == "/fr/restitutions/"


@FAST
@given(username=odd_or_missing, password=odd_or_missing)
def test_a_bad_login_is_refused_with_a_message(client, officer_savoie, username, password):
    response = post_raw(client, "/fr/accounts/login/", {"username": username, "password": password})

    assert response.status_code in (200, 429)  # 429: too many failures, locked for a while
    assert "_auth_user_id" not in client.session


def test_every_known_odd_value_in_every_other_form(client, officer_savoie, partnership, media_root):
    visit = ExchangeFactory()
    RestitutionFactory(partnership=partnership, year=2016)
    client.force_login(officer_savoie)
    for odd in ODD_VALUES:
        before = (Attachment.objects.count(), Establishment.objects.count())
        attachment = client.post(
            f"/fr/exchanges/{visit.pk}/attachments/new/",
            multipart(
                {"caption_fr": odd, "caption_en": odd, "credit": odd},
                odd,
                JPEG_BYTES,
                b"image/jpeg",
            ),
            content_type="multipart/form-data; boundary=BOUNDARY",
        )
        establishment = post_raw(
            client,
            "/fr/exchanges/establishments/new/",
            {"name_fr": odd, "kind": odd, "territory": savoie().pk, "town": odd, "strands": odd},
        )
        restitution = post_raw(
            client,
            "/fr/restitutions/2016/edit/",
            {"introduction_fr": odd, "conclusion_fr": odd, "introduction_en": odd},
        )
        start = post_raw(client, "/fr/restitutions/start/", {"year": odd})
        login = post_raw(client, "/fr/accounts/login/", {"username": odd, "password": odd})

        for response in (attachment, establishment, restitution, start, login):
            assert_answered_clearly(response)
        after = (Attachment.objects.count(), Establishment.objects.count())
        saved = (attachment.status_code == 302, establishment.status_code == 302)
        assert [a - b for a, b in zip(after, before, strict=True)] == list(map(int, saved))
        client.force_login(officer_savoie)  # in case the login form logged anyone out
        cache.clear()  # the brake on failed logins per address: test_login_behind_proxy.py
