"""Partner organisations' logos: SVG or PNG, checked by their content, never by their name.

An SVG is read as XML and refused if it declares a DOCTYPE or entities, runs a script, handles
an event, embeds foreign content or refers to anything outside itself (an address, a file, a
stylesheet to import): the editions embed it as it is, and a logo must never reach the network
or run code. A PNG must open with Pillow as a PNG. Both are capped in weight and size."""

import base64
import io
import re
from xml.etree import ElementTree

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

LOGO_MAX_BYTES = 500 * 1024
LOGO_MAX_PIXELS = 4000  # on each side, for a PNG
SVG = "image/svg+xml"
PNG = "image/png"

_FORBIDDEN_ELEMENTS = {"script", "foreignobject", "iframe", "embed", "object", "audio", "video"}
_LINK_ATTRIBUTES = {"href", "src"}
_EXTERNAL_URL = re.compile(r"url\(\s*['\"]?(?!#)", re.IGNORECASE)


def logo_type(data: bytes) -> str:
    """The logo's type ("image/svg+xml" or "image/png") read from its content. Raises
    ValidationError with a message for the administrator."""
    if len(data) > LOGO_MAX_BYTES:
        raise ValidationError(
            _("The logo weighs more than %(size)s KB: save it smaller.")
            % {"size": LOGO_MAX_BYTES // 1024},
            code="logo_too_big",
        )
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        _check_png(data)
        return PNG
    _check_svg(data)
    return SVG


def validate_logo(file) -> None:
    file.seek(0)
    data = file.read()
    file.seek(0)
    logo_type(data)


def _check_png(data: bytes) -> None:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            width, height, kind = image.width, image.height, image.format
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("This PNG file cannot be read: save it again as PNG or SVG."), code="logo_unreadable"
        ) from None
    if kind != "PNG":
        raise ValidationError(_("The logo must be an SVG or PNG file."), code="logo_type")
    if width > LOGO_MAX_PIXELS or height > LOGO_MAX_PIXELS:
        raise ValidationError(
            _("The logo is larger than %(pixels)s pixels on a side: save it smaller.")
            % {"pixels": LOGO_MAX_PIXELS},
            code="logo_too_large",
        )


def _check_svg(data: bytes) -> None:
    not_svg = ValidationError(_("The logo must be an SVG or PNG file."), code="logo_type")
    unsafe = ValidationError(
        _(
            "This SVG file contains a script, an event handler or a reference to another file "
            "or address: export the logo again as a plain SVG (or as PNG)."
        ),
        code="logo_unsafe",
    )
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower() or b"<?xml-stylesheet" in head:
        raise unsafe
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        raise not_svg from None
    if _local(root.tag) != "svg":
        raise not_svg
    for element in root.iter():
        if _local(element.tag).lower() in _FORBIDDEN_ELEMENTS:
            raise unsafe
        if _local(element.tag) == "style" and _refers_outside(element.text or ""):
            raise unsafe
        for name, value in element.attrib.items():
            name = _local(name).lower()
            if name.startswith("on"):
                raise unsafe
            if name in _LINK_ATTRIBUTES and not value.strip().startswith("#"):
                raise unsafe
            if _refers_outside(value):
                raise unsafe


def _refers_outside(text: str) -> bool:
    lowered = text.lower()
    if "javascript:" in lowered or "@import" in lowered:
        return True
    return bool(_EXTERNAL_URL.search(text))


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def logo_data_uri(organisation) -> str:
    """The organisation's logo as a `data:` address (the editions embed it: a published HTML
    edition needs nothing else, and the PDF never fetches anything); "" without a logo or if
    its file is gone. Read through the storage (a folder or S3)."""
    if not organisation.logo:
        return ""
    try:
        with organisation.logo.storage.open(organisation.logo.name, "rb") as file:
            data = file.read()
        kind = logo_type(data)
    except (FileNotFoundError, ValidationError):
        return ""
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"
