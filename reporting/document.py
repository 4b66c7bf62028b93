"""How a restitution is written: its HTML, built from templates out of `reporting.content`;
then, as a separate step, that same HTML turned into a PDF by WeasyPrint with the print
stylesheet. One source for every edition. `html_to_pdf` is the only caller of WeasyPrint."""

import mimetypes
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from partners.models import PartnershipRole

from .charts import balance_chart, bar_chart
from .content import RestitutionContent
from .models import Edition, Format, RestitutionVersion

# PDF/UA-1: tagged for screen readers (structure, reading order, languages, table headers),
# with the title shown and fonts embedded. See docs in the report of the feature.
PDF_VARIANT = "pdf/ua-1"

# Resources are never fetched from the network: this base only names the static files, which
# StaticFilesFetcher reads from disk (".invalid" can never resolve).
BASE_URL = "https://restitution.invalid/"

# The screen edition's stylesheet; a published version keeps a copy (`report_stylesheet`).
REPORT_STYLESHEET = "css/report.css"


@dataclass(frozen=True)
class Part:
    """One language's half of the document (the whole of it in a one-language edition)."""

    language: str
    title: str
    sections: list[tuple[str, str]]  # (anchor, heading), for the table of contents
    html: str


def edition_languages(edition: str) -> list[str]:
    return ["fr", "en"] if edition == Edition.BILINGUAL else [edition]


def restitution_html(
    content: RestitutionContent,
    *,
    edition: str,
    medium: str,
    version: RestitutionVersion | None = None,
) -> str:
    """The whole document for one edition ("fr", "en" or "bilingual"), for the screen
    (`medium="screen"`: with a small navigation bar) or for WeasyPrint (`medium="print"`).
    `version` is the version being published; None renders a live draft."""
    bilingual = edition == Edition.BILINGUAL
    parts = [
        _part(content, language, anchor_prefix=f"{language}-" if bilingual else "")
        for language in edition_languages(edition)
    ]
    document_language = parts[0].language
    with translation.override(document_language):
        return render_to_string(
            "reporting/restitution/document.html",
            {
                "content": content,
                "restitution": content.restitution,
                "partnership": content.partnership,
                "year": content.year,
                "edition": edition,
                "bilingual": bilingual,
                "parts": parts,
                "document_language": document_language,
                "document_title": " / ".join(f"{part.title} {content.year}" for part in parts),
                "author": _author(content),
                "medium": medium,
                "version": version,
                "links": _links(content, edition, draft=version is None),
                "stylesheet": _stylesheet_url(content, medium=medium, version=version),
            },
        )


def _stylesheet_url(
    content: RestitutionContent, *, medium: str, version: RestitutionVersion | None
) -> str:
    """A published screen edition links to its version's own copy of the stylesheet (stored
    when it was published), so that it keeps its look whatever becomes of report.css; drafts,
    the print medium (WeasyPrint embeds it in the PDF) and versions published before copies
    were kept link to the static file."""
    if medium == "screen" and version is not None and version.stylesheet:
        return reverse("restitution_stylesheet", args=[content.year, version.number])
    return static(REPORT_STYLESHEET)


def _part(content: RestitutionContent, language: str, *, anchor_prefix: str) -> Part:
    with translation.override(language):
        title = gettext("%(project)s — annual restitution") % {
            "project": content.partnership.project_title
        }
        sections = _sections(content)
        html = render_to_string(
            "reporting/restitution/part.html",
            {
                "content": content,
                "partnership": content.partnership,
                "year": content.year,
                "figures": content.figures,
                "language": language,
                "title": title,
                "p": anchor_prefix,
                "titles": dict(sections),
                "strand_chart": bar_chart(list(content.figures.by_strand)),
                "balance_chart": balance_chart(content.figures, content.territories),
            },
        )
        return Part(
            language=language,
            title=title,
            sections=[(f"{anchor_prefix}{key}", heading) for key, heading in sections],
            html=html,
        )


def _sections(content: RestitutionContent) -> list[tuple[str, str]]:
    """The chapters, in order, with their headings in the active language."""
    restitution = content.restitution
    has_introduction = bool(restitution.introduction_fr or restitution.introduction_en)
    has_conclusion = bool(restitution.conclusion_fr or restitution.conclusion_en)
    sections = [
        ("introduction", gettext("Introduction")) if has_introduction else None,
        ("glance", gettext("The partnership at a glance")),
        ("figures", gettext("Key figures of %(year)s") % {"year": content.year}),
        ("strands", gettext("The strands: exchanges and cross views")),
        ("questionings", gettext("Paired questionings and work tracks")),
        ("recommendations", gettext("Recommendations and goals served")),
        ("conclusion", gettext("Conclusion")) if has_conclusion else None,
    ]
    return [section for section in sections if section]


def _author(content: RestitutionContent) -> str:
    """The document's author in its metadata: the carrier and its partners."""
    names = [
        role.organisation.name
        for group in content.roles
        if group.role in {PartnershipRole.Role.CARRIER, PartnershipRole.Role.PARTNER}
        for role in group.roles
    ]
    return ", ".join(dict.fromkeys(names)) or content.partnership.name


def _links(content: RestitutionContent, edition: str, *, draft: bool) -> dict[str, str]:
    """The screen edition's navigation, in the edition's language (French for bilingual)."""
    year = content.year
    suffix = "?draft=1" if draft else ""
    bilingual = "?edition=bilingual" + ("&draft=1" if draft else "")
    ui_language = "fr" if edition == Edition.BILINGUAL else edition
    with translation.override(ui_language):
        html = reverse("restitution_detail", args=[year])
        pdf = reverse("restitution_pdf", args=[year])
        links = {
            "list": reverse("restitution_list"),
            "versions": reverse("restitution_versions", args=[year]),
            "pdf": pdf + (bilingual if edition == Edition.BILINGUAL else suffix),
        }
    for language in ("fr", "en"):
        with translation.override(language):
            links[language] = reverse("restitution_detail", args=[year]) + suffix
    links["bilingual"] = html + bilingual
    return links


# --- HTML to PDF ------------------------------------------------------------------------------


def html_to_pdf(html: str) -> bytes:
    """The PDF of a restitution's HTML (rendered with `medium="print"`): A4, print stylesheet,
    embedded fonts, tagged PDF/UA-1, metadata from the HTML head (title, author, language)."""
    from weasyprint import HTML  # imported here: it loads Pango, which pages do not need

    document = HTML(string=html, base_url=BASE_URL, url_fetcher=static_files_fetcher())
    return document.write_pdf(pdf_variant=PDF_VARIANT)


def static_files_fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesFetcher(URLFetcher):
        """Serves the stylesheets and fonts the document links to from the static files, and
        refuses anything else: rendering never touches the network."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = unquote(urlparse(url).path)
            prefix = urlparse(settings.STATIC_URL).path
            if not url.startswith(BASE_URL) or not path.startswith(prefix):
                raise ValueError(f"Only static files are available to the PDF, not {url}")
            name = path.removeprefix(prefix)
            content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, body=_static_bytes(name), headers={"Content-Type": content_type}
            )

    return StaticFilesFetcher(fail_on_errors=True)


def _static_bytes(name: str) -> bytes:
    found = finders.find(name)
    if found:
        with open(found, "rb") as file:
            return file.read()
    with staticfiles_storage.open(name) as file:  # collected (and perhaps hashed) names
        return file.read()


_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*["']?([^"')\s]+)["']?\s*\)?\s*;""")


def report_stylesheet() -> bytes:
    """The screen edition's stylesheet as one file: report.css with what it @imports (static
    files, relative to it) inlined, so that a stored copy needs nothing else."""

    def inline(name: str, seen: frozenset[str]) -> str:
        if name in seen:
            raise ValueError(f"{name} imports itself")
        text = _static_bytes(name).decode()
        folder = name.rpartition("/")[0]

        def replace(match: re.Match) -> str:
            imported = posixpath.normpath(posixpath.join(folder, match.group(1)))
            return inline(imported, seen | {name})

        return _IMPORT.sub(replace, text)

    return inline(REPORT_STYLESHEET, frozenset()).encode()


def render_edition(
    content: RestitutionContent,
    *,
    edition: str,
    format: str,
    version: RestitutionVersion | None = None,
) -> bytes:
    """One edition in one format, as the bytes a reader receives."""
    if format == Format.PDF:
        html = restitution_html(content, edition=edition, medium="print", version=version)
        return html_to_pdf(html)
    return restitution_html(content, edition=edition, medium="screen", version=version).encode()
