"""Typography by rule, applied when text is rendered, never typed into the data.

French: a no-break space before « : » and inside « … », a narrow no-break space before ; ! ?,
« 1er » for the first day of a month, the euro sign after the amount with a no-break space.
English (British): "30 November 2026", "€20,000".

`typeset_html` applies the French rules to the text of an HTML document wherever the text is
French (the nearest `lang` attribute), leaving tags, attributes, scripts, styles and form
fields alone; `format_money` and `format_date` write amounts and dates in either language (the
CSV export can call them too)."""

import datetime
import re
from decimal import Decimal
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
    # the space before « : » (typed or not, but a colon inside 10:30 or https:// stays)
    (re.compile(rf"{_SPACES}+:"), f"{NBSP}:"),
    (re.compile(r"(?<=[^\s\d:/])(:)(?=\s|$)"), f"{NBSP}:"),
    # the space before ; ! ? (typed or not; "?!" keeps one space before the pair)
    (re.compile(rf"{_SPACES}+([;!?])"), f"{NNBSP}\\1"),
    (re.compile(r"(?<=[^\s;!?&#\d])([;!?])(?=[\s;!?]|$)"), f"{NNBSP}\\1"),
    # inside guillemets
    (re.compile(rf"«{_SPACES}*"), f"«{NBSP}"),
    (re.compile(rf"{_SPACES}*»"), f"{NBSP}»"),
    # the euro sign after the amount
    (re.compile(rf"(\d){_SPACES}*€"), f"\\1{NBSP}€"),
]


def french_typography(text: str) -> str:
    """French text with its spaces set by rule. Idempotent."""
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


_VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip
_RAW = {"script", "style", "textarea", "pre", "code", "title"}


class _Typesetter(HTMLParser):
    def __init__(self, language: str):
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.stack: list[tuple[str, str]] = [("", language)]
        self.raw = 0
        self.last = ""  # the last character of text written, across tags

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # Never None inside a start tag's handler (it is the tag just read).
        self.out.append(self.get_starttag_text() or "")
        if tag in _VOID:
            return
        lang = dict(attrs).get("lang") or self.stack[-1][1]
        self.stack.append((tag, lang))
        if tag in _RAW:
            self.raw += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        self.out.append(f"</{tag}>")
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
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self.out.append(f"<![{data}]>")


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
