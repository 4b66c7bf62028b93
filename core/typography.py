"""Typography by rule, applied when text is rendered, never typed into the data.

French: a no-break space before « : » and inside « … », a narrow no-break space before ; ! ?,
« 1er » for the first day of a month, the euro sign after the amount with a no-break space.
English (British): "30 November 2026", "€20,000".

`typeset_html` applies the French rules to the text of an HTML document wherever the text is
French (the nearest `lang` attribute) and to its read-out attributes (`alt`, `title`,
`aria-label`), leaving other attributes, scripts, styles and form fields alone, and tags the
French names an English text keeps (`FRENCH_NAMES`) `lang="fr"`; `format_money` and
`format_date` write amounts and dates in either language (the CSV export can call them
too)."""

import datetime
import re
from decimal import Decimal
from html import escape
from html.parser import HTMLParser

from django.utils import formats, translation

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space

_FRENCH_MONTHS = (
    "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
)
_SPACES = "[ \t\u00a0\u202f]"

# A straight apostrophe inside a word (typed in the data) is the typographic one, in either
# language: « l’action », "partners’".
_APOSTROPHE = (re.compile(r"(?<=\w)'(?=\w)|(?<=s)'(?=\s)"), "\u2019")

_RULES: list[tuple[re.Pattern[str], str]] = [
    _APOSTROPHE,
    # « 1 février » → « 1er février »
    (re.compile(rf"(?<![\d,.])\b1{_SPACES}+({_FRENCH_MONTHS})\b"), f"1er{NBSP}\\1"),
    # the space before « : » (typed or not, but a colon inside 10:30 or https:// stays; after
    # a figure too: « 2015 : 0,50 »)
    (re.compile(rf"{_SPACES}+:"), f"{NBSP}:"),
    (re.compile(r"(?<=[^\s:/])(:)(?=\s|$)"), f"{NBSP}:"),
    # the space before ; ! ? (typed or not; "?!" keeps one space before the pair)
    (re.compile(rf"{_SPACES}+([;!?])"), f"{NNBSP}\\1"),
    (re.compile(r"(?<=[^\s;!?&#\d])([;!?])(?=[\s;!?]|$)"), f"{NNBSP}\\1"),
    # after a figure when a space follows (« 0,50 ; 2016 »: not the end of a charref &#39;)
    (re.compile(r"(?<=\d)([;!?])(?=\s)"), f"{NNBSP}\\1"),
    # inside guillemets
    (re.compile(rf"«{_SPACES}*"), f"«{NBSP}"),
    (re.compile(rf"{_SPACES}*»"), f"{NBSP}»"),
    # the euro sign after the amount
    (re.compile(rf"(\d){_SPACES}*€"), f"\\1{NBSP}€"),
]


# Names that stay French in an English text (docs/glossary.md): tagged `lang="fr"` so that a
# screen reader and the PDF's structure read them as French; the project's name in italics too
# (a foreign title), the others roman (names of institutions). Longest first, so that
# « Département de Savoie » is one name, not « Département » and some English.
FRENCH_NAMES: tuple[tuple[str, bool], ...] = (
    ("L'action sociale de l'autre", True),
    ("Pays de Savoie Solidaires", False),
    ("Département de la Savoie", False),
    ("Département de Savoie", False),
    ("Département de Bignona", False),
    ("Départements", False),
    ("Département", False),
)
_ITALIC = {name.casefold(): italic for name, italic in FRENCH_NAMES}


def _name_pattern(name: str) -> str:
    # In the rendered HTML the apostrophe may be typographic already, a space a no-break one.
    return "".join(
        "['’]" if char == "'" else r"(?:\s|&nbsp;)+" if char == " " else re.escape(char)
        for char in name
    )


_FRENCH_NAME = re.compile(
    r"(?<!\w)(" + "|".join(_name_pattern(name) for name, _ in FRENCH_NAMES) + r")(?!\w)",
    re.IGNORECASE,
)


def _plain(name: str) -> str:
    return re.sub(r"(?:\s|&nbsp;)+", " ", name).replace("’", "'").casefold()


def tag_french_names(html_text: str, *, italics: bool = True) -> str:
    """An English text (HTML, already escaped) with the French names it keeps tagged as French:
    `<i lang="fr">L’action sociale de l’autre</i>`, `<span lang="fr">Département</span>`
    (`italics=False` when the text is in italics already: a span then)."""

    def tagged(match: re.Match[str]) -> str:
        name = match.group(1)
        if italics and _ITALIC.get(_plain(name)):
            return f'<i lang="fr">{name}</i>'
        return f'<span lang="fr">{name}</span>'

    return _FRENCH_NAME.sub(tagged, html_text)


# A sentence names a territory with its article (« la Savoie », `Territory.article_fr`): after
# « de » and « à », « le » and « les » contract (« du Nord », « aux Landes »); « la » and
# « l’ » do not (« de la Savoie », « à l’Ain »). Only before a capital: « de le faire » stays.
_CONTRACTED = {"de le": "du", "de les": "des", "à le": "au", "à les": "aux"}
_CONTRACTIBLE = re.compile(r"\b(de|à) (le|les) (?=[A-ZÀ-ÖØ-Þ])")


def contract_articles(text: str) -> str:
    """« de le Nord » → « du Nord », « à les Landes » → « aux Landes »."""
    return _CONTRACTIBLE.sub(lambda m: _CONTRACTED[f"{m[1]} {m[2]}"] + " ", text)


def french_typography(text: str) -> str:
    """French text with its spaces set by rule. Idempotent."""
    text = contract_articles(text)
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


_VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip
_RAW = {"script", "style", "textarea", "pre", "code", "title"}
_ITALIC_TAGS = {"i", "em", "cite"}
# Attributes read out to the reader (an image's alternative text…): typeset as the text is.
_READ_ATTRIBUTES = ("alt", "title", "aria-label")


class _Typesetter(HTMLParser):
    def __init__(self, language: str):
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.stack: list[tuple[str, str]] = [("", language)]
        self.raw = 0
        self.last = ""  # the last character of text written, across tags
        self.run = 0  # where in `out` the text since the last tag starts

    def flush(self) -> None:
        """End the run of text since the last tag: in English, tag the French names in it (a
        name may span several pieces: Django writes its apostrophe &#x27;)."""
        language = self.stack[-1][1].split("-")[0]
        if not self.raw and language != "fr" and len(self.out) > self.run:
            italic = any(tag in _ITALIC_TAGS for tag, _ in self.stack)
            text = "".join(self.out[self.run :])
            self.out[self.run :] = [tag_french_names(text, italics=not italic)]
        self.run = len(self.out)

    def _append_tag(self, text: str) -> None:
        self.flush()
        self.out.append(text)
        self.run = len(self.out)

    def _start_tag_text(self, tag: str, attrs: list[tuple[str, str | None]], end: str) -> str:
        """The tag as written, or, on French text, rebuilt with its read-out attributes
        typeset (`alt="Atelier : …"`)."""
        # Never None inside a start tag's handler (it is the tag just read).
        original = self.get_starttag_text() or ""
        lang = (dict(attrs).get("lang") or self.stack[-1][1]).split("-")[0]
        if self.raw or lang != "fr" or not any(k in _READ_ATTRIBUTES for k, _ in attrs):
            return original
        typeset = [
            (key, french_typography(value) if key in _READ_ATTRIBUTES and value else value)
            for key, value in attrs
        ]
        if typeset == attrs:
            return original
        written = "".join(
            f" {key}" if value is None else f' {key}="{escape(value)}"' for key, value in typeset
        )
        return f"<{tag}{written}{end}>"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._append_tag(self._start_tag_text(tag, attrs, ""))
        if tag in _VOID:
            return
        lang = dict(attrs).get("lang") or self.stack[-1][1]
        self.stack.append((tag, lang))
        if tag in _RAW:
            self.raw += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._append_tag(self._start_tag_text(tag, attrs, " /"))

    def handle_endtag(self, tag: str) -> None:
        self._append_tag(f"</{tag}>")
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                if tag in _RAW:
                    self.raw -= 1
                break

    def handle_data(self, data: str) -> None:
        language = self.stack[-1][1].split("-")[0]
        if not self.raw and language == "fr":
            # « …en Savoie ; Diagnostic » after a linked title: the text starts with the « ; »
            if re.match(r"[;!?:](?=\s|$)", data) and self.last and not self.last.isspace():
                data = (NNBSP if data[0] != ":" else NBSP) + data
            data = french_typography(data)
        elif not self.raw:
            data = _APOSTROPHE[0].sub(_APOSTROPHE[1], data)
        if data.strip():
            self.last = data[-1]
        self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        # Django escapes the data's apostrophe (&#x27;): inside a word, the typographic one.
        if name.lower() in ("x27", "39") and not self.raw and self.last.isalnum():
            self.out.append("\u2019")
            self.last = "\u2019"
            return
        self.out.append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self._append_tag(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self._append_tag(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self._append_tag(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self._append_tag(f"<![{data}]>")


def typeset_text(text: str, language: str | None = None) -> str:
    """Plain text (an SVG's title, a chart's summary) with French typography when it is French:
    what `typeset_html` does to a page's text, for text no page typesetting reaches."""
    language = language or translation.get_language() or "fr"
    return french_typography(text) if language.split("-")[0] == "fr" else text


def typeset_html(html: str, *, language: str = "fr") -> str:
    """The HTML with French typography applied to its French text (`language` is the language
    of text outside any `lang` attribute)."""
    parser = _Typesetter(language)
    parser.feed(html)
    parser.close()
    parser.flush()
    return "".join(parser.out)


CURRENCY_SYMBOLS = {"EUR": "€", "XOF": "F CFA"}


def format_money(amount: Decimal | int, currency: str, language: str | None = None) -> str:
    """20000 EUR: « 20 000 € » in French, "€20,000" in English; CFA francs: « 20 000 F CFA »,
    "20,000 CFA francs"."""
    language = (language or translation.get_language() or "fr").split("-")[0]
    amount = Decimal(amount)
    digits = 0 if amount == amount.to_integral_value() else 2
    with translation.override(language):
        number = formats.number_format(
            amount, decimal_pos=digits, use_l10n=True, force_grouping=True
        )
    if language == "en":
        if currency == "EUR":
            return f"€{number}"
        if currency == "XOF":
            return f"{number} CFA francs"
        return f"{currency}{NBSP}{number}"
    return f"{number}{NBSP}{CURRENCY_SYMBOLS.get(currency, currency)}"


def format_date(value: datetime.date, language: str | None = None) -> str:
    """« 1er février 2016 », "1 February 2016"."""
    language = (language or translation.get_language() or "fr").split("-")[0]
    with translation.override(language):
        text = formats.date_format(value, "j F Y")
    return french_typography(text) if language == "fr" else text


def format_period(start: datetime.date, end: datetime.date, language: str | None = None) -> str:
    """A period as one says it, the year once: « du 7 au 10 juin 2016 », « du 1er février au
    29 avril 2016 », « du 1er décembre 2015 au 3 janvier 2016 », « 6 juin 2016 » (one day);
    "7–10 June 2016", "1 February – 29 April 2016", "1 December 2015 – 3 January 2016"."""
    language = (language or translation.get_language() or "fr").split("-")[0]
    if end == start:
        return format_date(start, language)
    with translation.override(language):
        if (start.year, start.month) == (end.year, end.month):
            first = formats.date_format(start, "j")
        elif start.year == end.year:
            first = formats.date_format(start, "j F")
        else:
            first = formats.date_format(start, "j F Y")
        last = formats.date_format(end, "j F Y")
    if language == "fr":
        first = "1er" if first == "1" else first
        return french_typography(f"du {first} au {last}")
    separator = "–" if (start.year, start.month) == (end.year, end.month) else " – "
    return f"{first}{separator}{last}"
