"""Bad values for the tests/test_bad_input_*.py stories: wrong types, huge and negative numbers,
very long text and unicode oddities (NUL bytes, right-to-left marks, emoji, combining marks,
lone surrogates, invalid UTF-8), sent raw so that nothing on the way cleans them first."""

from urllib.parse import quote

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

#: Fast enough for a busy machine: one hypothesis test per form or parameter family.
FAST = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

MISSING = object()  # the field is not sent at all

ODD_VALUES = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\u202egnp.exe",  # right-to-left override
    "\u200f\u200e",  # right-to-left and left-to-right marks
    "🙂",
    "👩‍👩‍👧‍👦" * 20,
    "e" + "\u0301" * 500,  # combining marks piled up
    "\ufeff",
    "\ud800",  # a lone surrogate: invalid UTF-8 once encoded
    "\udfffz",
    "-1",
    "-0",
    "0",
    "1e309",
    "NaN",
    "inf",
    "9" * 30,
    "9" * 5000,  # more digits than Python converts to int
    "-" + "9" * 20,
    "²",  # a digit for str.isdigit(), not for int()
    "٣",  # Arabic-Indic three
    "１２",  # noqa: RUF001  # full-width digits, on purpose
    "0x1F",
    " 12 ",
    "12abc",
    "None",
    "[]",
    "%00",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "x" * 100_000,
    "2016-02-30",
    "0000-00-00",
    "9999-12-31",
    "10000-01-01",
    "2016-05-10_",
    "_1",
    "2016-05-10_-1",
    "2016-05-10_" + "9" * 25,
    "2016-05-10_\x00",
    "\r\nSet-Cookie: x=1",
]

#: Any unicode text, surrogates included.
any_text = st.text(alphabet=st.characters(blacklist_categories=()), max_size=60)

odd_value = st.one_of(
    st.sampled_from(ODD_VALUES),
    any_text,
    st.integers().map(str),
    st.integers(min_value=2**31 - 2, max_value=2**64 + 2).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.binary(max_size=20),  # raw bytes, invalid UTF-8 included
)

odd_or_missing = st.one_of(st.just(MISSING), odd_value)


def encoded(value) -> str:
    """A value percent-encoded as a browser would send it, lone surrogates and raw bytes kept
    as the invalid UTF-8 they are."""
    raw = value if isinstance(value, bytes) else str(value).encode("utf-8", "surrogatepass")
    return quote(raw, safe="")


def form_body(data: dict) -> str:
    """An application/x-www-form-urlencoded body; list values repeat the field; MISSING drops
    it."""
    pairs = []
    for name, value in data.items():
        if value is MISSING:
            continue
        for item in value if isinstance(value, list) else [value]:
            pairs.append(f"{encoded(name)}={encoded(item)}")
    return "&".join(pairs)


def post_raw(client, url: str, data: dict):
    return client.post(url, form_body(data), content_type="application/x-www-form-urlencoded")


def query(params: dict) -> str:
    return "?" + form_body(params) if params else ""


def assert_answered_clearly(response) -> None:
    """A clear message or a refusal, never a server error: a form shown again with its errors,
    a redirect after a save, a 403/404 page, or the password brake's 429 page once a client
    has failed ten logins."""
    status = response.status_code
    assert status in (200, 302, 400, 403, 404, 405, 429), status
    if status == 200 and response.context is not None and "form" in response.context:
        form = response.context["form"]
        if form is not None and form.is_bound:
            assert form.errors, "a bound form came back without saying what was wrong"
            assert b"errorlist" in response.content


def publish_without_rendering(restitution, user, editions=("fr",)) -> None:
    """Version 1 of `restitution` done, with tiny stored files (no WeasyPrint: these stories are
    about who gets what, not what it looks like), and version 2 failed."""
    import hashlib

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from reporting.models import Format, RestitutionFile, RestitutionVersion

    done = RestitutionVersion.objects.create(
        restitution=restitution,
        number=1,
        published_at=timezone.now(),
        published_by=user,
        status=RestitutionVersion.Status.DONE,
        progress=100,
    )
    for edition in editions:
        for format in Format.values:
            data = f"{edition} {format} edition".encode()
            stored = RestitutionFile(
                version=done,
                edition=edition,
                format=format,
                sha256=hashlib.sha256(data).hexdigest(),
                size=len(data),
            )
            stored.file.save(f"v1-{edition}.{format}", ContentFile(data), save=False)
            stored.save()
    css = b"body { color: black; }"
    done.stylesheet.save("v1-report.css", ContentFile(css), save=False)
    done.stylesheet_sha256 = hashlib.sha256(css).hexdigest()
    done.save()
    RestitutionVersion.objects.create(
        restitution=restitution,
        number=2,
        published_at=timezone.now(),
        status=RestitutionVersion.Status.FAILED,
    )


def draft_pdf_rendered(restitution, user):
    """A draft PDF the worker has rendered (tiny bytes: who gets it is the story, not its look)."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from reporting.models import DraftRendering

    rendering = DraftRendering(
        restitution=restitution,
        edition="fr",
        requested_by=user,
        slot=1,
        status=DraftRendering.Status.DONE,
        progress=100,
        finished_at=timezone.now(),
    )
    rendering.file.save("draft.pdf", ContentFile(b"%PDF-1.7 draft"), save=False)
    rendering.save()
    return rendering
