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

from core.typography import typeset_html
from exchanges.models import Attachment
from partners.logos import logo_data_uri
from partners.models import PartnershipRole

from .charts import balance_chart, bar_chart
from .content import RestitutionContent
from .models import Edition, Format, RestitutionVersion
from .progress import PART_LABELS, index_chart, part_counts

# PDF/UA-1: tagged for screen readers (structure, reading order, languages, table headers),
# with the title shown and fonts embedded. See docs in the report of the feature.
PDF_VARIANT = "pdf/ua-1"

# Resources are never fetched from the network: this base only names the static files, which
# StaticFilesFetcher reads from disk (".invalid" can never resolve).
BASE_URL = "https://restitution.invalid/"
# The photos chosen for the restitution, as the PDF names them: their bytes are read through
# the attachments' storage (a folder or S3), never by a path on disk.
PHOTO_URL = BASE_URL + "photos/"

# The screen edition's stylesheet; a published version keeps a copy (`report_stylesheet`).
REPORT_STYLESHEET = "css/report.css"


@dataclass(frozen=True)
class Chapter:
    language: str
    key: str
    anchor: str
    heading: str
    html: str


@dataclass(frozen=True)
class Part:
    """One language's text of the document (the whole of it in a one-language edition)."""

    language: str
    title: str
    chapters: list[Chapter]
    byline: str  # "un document du Département de la Savoie et du Département de Bignona"

    @property
    def sections(self) -> list[tuple[str, str]]:
        """(anchor, heading), for the table of contents."""
        return [(chapter.anchor, chapter.heading) for chapter in self.chapters]


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
    `version` is the version being published; None renders a live draft.

    The bilingual edition sets the two languages side by side chapter by chapter (two columns
    on screen, facing pages in print), each in its own `lang`. French typography is applied to
    every French text by rule (`core.typography`)."""
    bilingual = edition == Edition.BILINGUAL
    logos = partner_logos(content)
    parts = [
        _part(
            content,
            language,
            anchor_prefix=f"{language}-" if bilingual else "",
            version=version,
            medium=medium,
            logos=logos,
        )
        for language in edition_languages(edition)
    ]
    document_language = parts[0].language
    # Chapter by chapter: [(fr chapter, en chapter)] in the bilingual edition.
    spreads = list(zip(*(part.chapters for part in parts), strict=True))
    with translation.override(document_language):
        html = render_to_string(
            "reporting/restitution/document.html",
            {
                "content": content,
                "restitution": content.restitution,
                "partnership": content.partnership,
                "year": content.year,
                "edition": edition,
                "bilingual": bilingual,
                "parts": parts,
                "spreads": spreads,
                "document_language": document_language,
                "document_title": " / ".join(f"{part.title} {content.year}" for part in parts),
                "author": _author(content),
                "medium": medium,
                "version": version,
                "logos": logos,
                "logos_illustrative": logos_illustrative(logos),
                "links": _links(content, edition, draft=version is None),
                "stylesheet": _stylesheet_url(content, medium=medium, version=version),
            },
        )
    return typeset_html(html, language=document_language)


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


def _part(
    content: RestitutionContent,
    language: str,
    *,
    anchor_prefix: str,
    version: RestitutionVersion | None,
    medium: str,
    logos: list[tuple],
) -> Part:
    with translation.override(language):
        title = gettext("%(project)s — annual restitution") % {
            "project": content.partnership.project_title
        }
        strand_chart = bar_chart(list(content.figures.by_strand))
        author = byline(content.roles)
        context = {
            "content": content,
            "partnership": content.partnership,
            "restitution": content.restitution,
            "year": content.year,
            "next_year": content.year + 1,
            "figures": content.figures,
            "language": language,
            "title": title,
            "byline": author,
            "version": version,
            "medium": medium,
            "logos": logos,
            "logos_illustrative": logos_illustrative(logos),
            "p": anchor_prefix,
            # A chart whose bars are all equal says nothing a sentence does not.
            "strand_chart": strand_chart if not strand_chart.all_equal else None,
            "balance_chart": balance_chart(content.figures, content.territories),
            **_index_context(content),
        }
        chapters = []
        for key, heading in _sections(content):
            html = render_to_string(
                f"reporting/restitution/chapters/{key}.html",
                {**context, "key": key, "heading": heading, "anchor": f"{anchor_prefix}{key}"},
            )
            chapters.append(Chapter(language, key, f"{anchor_prefix}{key}", heading, html))
        return Part(language=language, title=title, chapters=chapters, byline=author)


def _index_context(content: RestitutionContent) -> dict:
    """The reciprocity index's chart and parts, in the active language (the progress page's:
    reporting.progress)."""
    view = content.cross_view
    if view is None or view.this_year is None:
        return {}
    counts = part_counts(view.this_year, content.territories)
    return {
        "index_chart": index_chart(view.trend),
        "index_parts": [
            (PART_LABELS[part.key], part, counts[part.key])
            for part in view.this_year.reciprocity.parts
        ],
    }


def _sections(content: RestitutionContent) -> list[tuple[str, str]]:
    """The chapters, in order, with their headings in the active language: why this
    cooperation, who and since when, what the year counted, what was done and seen, where each
    side's questions stand, what was learnt, what it answered, what it cost, what comes next;
    then the people to ask. One template a chapter (chapters/<key>.html): a new chapter is
    one line here and one template. The same chapters in every language, so that the
    bilingual edition pairs them."""
    restitution = content.restitution
    partnership = content.partnership
    has_introduction = bool(restitution.introduction_fr or restitution.introduction_en)
    has_conclusion = bool(restitution.conclusion_fr or restitution.conclusion_en)
    has_why = bool(partnership.pilot_rationale_fr or partnership.pilot_rationale_en)
    has_foreword = bool(restitution.foreword_fr or restitution.foreword_en)
    sections = [
        ("foreword", gettext("Foreword")) if has_foreword else None,
        ("introduction", gettext("Introduction")) if has_introduction else None,
        ("why", gettext("Why this cooperation, and why a TERRINCLUS pilot")) if has_why else None,
        ("glance", gettext("The partnership: history, objectives and actors")),
        ("figures", gettext("The year at a glance")),
        ("actions", gettext("The actions of %(year)s") % {"year": content.year}),
        ("questionings", gettext("Guiding questions and lines of action")),
        ("objectives", gettext("Results against the specific objectives"))
        if content.objectives
        else None,
        ("focus", _focus_title(restitution)) if content.lessons or content.focus_changes else None,
        ("reciprocity", gettext("The reciprocity index")) if _has_index(content) else None,
        ("programme", gettext("The programme's three years")) if _has_programme(content) else None,
        ("recommendations", gettext("Recommendations and goals served")),
        ("funding", gettext("Funding of the project in %(year)s") % {"year": content.year}),
        ("next_steps", gettext("Outlook for %(year)s") % {"year": content.year + 1}),
        ("conclusion", gettext("Conclusion")) if has_conclusion else None,
        ("contacts", gettext("Contacts")),
    ]
    return [section for section in sections if section]


def _focus_title(restitution) -> str:
    """The focus chapter's heading: the restitution's own title (the 2016 edition's « L'évolution
    des politiques sociales sur les deux territoires grâce au regard croisé entre partenaires »)
    in the active language, else the source's focus title."""
    language = translation.get_language() or "fr"
    own = getattr(restitution, f"focus_title_{language[:2]}", "") or restitution.focus_title_fr
    return (own or "").strip() or gettext(
        "How social policies changed on both territories thanks to the cross view"
    )


def _has_index(content: RestitutionContent) -> bool:
    view = content.cross_view
    return view is not None and view.this_year is not None


def _has_programme(content: RestitutionContent) -> bool:
    return content.cross_view is not None and len(content.cross_view.three_years) > 1


# Articles of the words a French organisation's name starts with: « du Département »,
# « de l'Assemblée », « de la Ville »; a name without a common noun first (an association's
# own name) takes « de ».
_FRENCH_OF = {
    "département": "du",
    "ministère": "du",
    "conseil": "du",
    "comité": "du",
    "centre": "du",
    "réseau": "du",
    "programme": "du",
    "fonds": "du",
    "ville": "de la",
    "région": "de la",
    "commune": "de la",
    "communauté": "de la",
    "préfecture": "de la",
    "direction": "de la",
    "fédération": "de la",
    "assemblée": "de l'",
    "association": "de l'",
    "agence": "de l'",
    "union": "de l'",
    "état": "de l'",
}
# English: a name that starts with a common noun takes "the".
_ENGLISH_THE = {
    "département", "ministry", "council", "assembly", "association", "agency", "town", "city",
    "region", "union", "state", "network", "fund", "committee", "centre",
}  # fmt: skip


def byline(roles) -> str:
    """Who the document is of, in the active language, grammatically: « Un document du
    Département de la Savoie et du Département de Bignona », "Published by the Département
    de la Savoie and the Département de Bignona"."""
    names = _author_names(roles)
    if not names:
        return ""
    if translation.get_language() == "fr":
        phrases = []
        for name in names:
            article = _FRENCH_OF.get(name.split()[0].lower(), "de")
            phrases.append(f"{article}{name}" if article.endswith("'") else f"{article} {name}")
        joined = " et ".join(
            [", ".join(phrases[:-1]), phrases[-1]] if len(phrases) > 1 else phrases
        )
        return f"Un document {joined}"
    phrases = [f"the {name}" if name.split()[0].lower() in _ENGLISH_THE else name for name in names]
    joined = " and ".join([", ".join(phrases[:-1]), phrases[-1]] if len(phrases) > 1 else phrases)
    return gettext("Published by %(organisations)s") % {"organisations": joined}


def partner_logos(content: RestitutionContent) -> list[tuple]:
    """(organisation, data: address) of the logos of the organisations the document is of
    (the carrier and its partners), for those an administrator has uploaded: embedded, so that
    a published HTML edition keeps them and the PDF fetches nothing."""
    organisations = {
        role.organisation.pk: role.organisation
        for group in content.roles
        if group.role in {PartnershipRole.Role.CARRIER, PartnershipRole.Role.PARTNER}
        for role in group.roles
    }
    logos = [(org, logo_data_uri(org)) for org in organisations.values() if org.logo]
    return [(org, uri) for org, uri in logos if uri]


def logos_illustrative(logos: list[tuple]) -> bool:
    """Whether any logo printed is a stand-in (the demo's): the editions say so beside them."""
    return any(organisation.logo_illustrative for organisation, _uri in logos)


def _author_names(roles) -> list[str]:
    return list(
        dict.fromkeys(
            role.organisation.name
            for group in roles
            if group.role in {PartnershipRole.Role.CARRIER, PartnershipRole.Role.PARTNER}
            for role in group.roles
        )
    )


def _author(content: RestitutionContent) -> str:
    """The document's author in its metadata: the carrier and its partners."""
    return ", ".join(_author_names(content.roles)) or content.partnership.name


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
    embedded fonts, tagged PDF/UA-1, metadata from the HTML head (title, author, language,
    with the languages of the text in the XMP metadata), bookmarks by language."""
    from weasyprint import HTML  # imported here: it loads Pango, which pages do not need

    _tag_languages()
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=static_files_fetcher()).render(
        pdf_variant=PDF_VARIANT
    )
    languages = _LANGUAGES.findall(html[:4000]) or ["fr"]
    document.metadata.xmp_metadata.append(_xmp_languages(languages))
    make_tree = document.make_bookmark_tree
    document.make_bookmark_tree = lambda *a, **k: bookmarks_by_language(make_tree(*a, **k))
    return document.write_pdf(pdf_variant=PDF_VARIANT)


_LANGUAGES = re.compile(r'<meta name="dc\.language" content="([a-z]{2})">')
_LANGUAGE_NAMES = {"fr": "Français", "en": "English"}


def _xmp_languages(languages: list[str]) -> bytes:
    """dc:language for the XMP metadata: the languages of the document's text."""
    items = "".join(f"<rdf:li>{language}</rdf:li>" for language in languages)
    return (
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:language><rdf:Bag>{items}</rdf:Bag></dc:language>"
        "</rdf:Description></rdf:RDF>"
    ).encode()


def bookmarks_by_language(tree: list) -> list:
    """The bilingual edition's bookmarks as two trees, « Français » and "English", each with
    its own chapters: its headings carry "fr|" or "en|" (report.css, `bookmark-label`) and come
    interleaved, column by column. A one-language edition's tree is returned as it is.
    A bookmark is (label, target, children, state)."""
    flat: list[tuple[int, str, tuple, str]] = []

    def walk(nodes: list, depth: int) -> None:
        for label, target, children, state in nodes:
            flat.append((depth, label, target, state))
            walk(children, depth + 1)

    walk(tree, 0)
    if not any(label[:3] in ("fr|", "en|") for _depth, label, _target, _state in flat):
        return tree
    roots = []
    for language, name in _LANGUAGE_NAMES.items():
        mine = [
            (depth, label[3:], target, state)
            for depth, label, target, state in flat
            if label.startswith(f"{language}|")
        ]
        if not mine:
            continue
        top = min(depth for depth, *_rest in mine)
        children: list = []
        stack: list[tuple[int, list]] = [(top - 1, children)]
        for depth, label, target, state in mine:
            while stack[-1][0] >= depth:
                stack.pop()
            node = (label, target, [], state)
            stack[-1][1].append(node)
            stack.append((depth, node[2]))
        roots.append((name, mine[0][2], children, "open"))
    return roots


_SCOPES = {"row": "/Row", "col": "/Column", "rowgroup": "/Row", "colgroup": "/Column"}


def _tag_languages() -> None:
    """PDF/UA: each structure element made from an HTML element with a `lang` carries it as
    `/Lang`, so that a screen reader switches voice for the English column of the bilingual
    edition. WeasyPrint 70 sets the catalogue's language only; this wraps the function that
    builds its structure tree (once per process; tests/test_restitution_pdf_reading.py reads
    the tags back, so a WeasyPrint upgrade that changes it fails there, not silently)."""
    import pydyf
    from weasyprint.pdf import tags

    build = tags._build_box_tree
    if getattr(build, "tags_languages", False):
        return

    def build_with_languages(box, parent, pdf, *args):
        element = getattr(box, "element", None)
        lang = element.get("lang") if element is not None and element.tag != "html" else None
        scope = _SCOPES.get(element.get("scope", "")) if element is not None else None
        for child in build(box, parent, pdf, *args):
            if child.get("P") == parent.reference:
                if lang and "Lang" not in child:
                    child["Lang"] = pydyf.String(lang)
                # PDF/UA: a header cell says whether it heads its row or its column.
                if child.get("S") == "/TH" and "A" in child:
                    child["A"]["Scope"] = scope or "/Column"
            yield child

    build_with_languages.tags_languages = True
    tags._build_box_tree = build_with_languages


def static_files_fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesFetcher(URLFetcher):
        """Serves the stylesheets and fonts the document links to from the static files, and
        refuses anything else: rendering never touches the network."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith(PHOTO_URL):
                body, content_type = _photo_bytes(url.removeprefix(PHOTO_URL))
                return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})
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


def photo_src(photo, *, medium: str) -> str:
    """Where an edition finds a photo chosen for the restitution: on screen, its thumbnail (or
    the photo) through the members-only attachment URLs; in print, a name the PDF's fetcher
    reads through the storage (`_photo_bytes`)."""
    if medium == "print":
        return f"{PHOTO_URL}{photo.pk}"
    if photo.thumbnail:
        return reverse("exchange_attachment_thumbnail", args=[photo.pk])
    return reverse("exchange_attachment", args=[photo.pk])


def _photo_bytes(key: str) -> tuple[bytes, str]:
    """The bytes of a photo chosen for the restitution (the full photo for print, its thumbnail
    if the photo is gone), read through its storage. Anything else is refused."""
    photo = (
        Attachment.objects.filter(
            pk=int(key) if key.isdigit() else 0,
            for_restitution=True,
            content_type__startswith="image/",
        )
        .only("file", "thumbnail", "content_type")
        .first()
    )
    if photo is None:
        raise ValueError(f"No photo chosen for the restitution at {key}")
    for stored, content_type in ((photo.file, photo.content_type), (photo.thumbnail, "image/jpeg")):
        if not stored:
            continue
        try:
            with stored.storage.open(stored.name, "rb") as file:
                return file.read(), content_type
        except FileNotFoundError:
            continue
    raise ValueError(f"The photo {key} is missing from the storage")


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
