"""Partner organisations' logos: PNG only, checked by its content, never by its name.

SVG is refused: a drawing is a document that can hold scripts, entities, stylesheets and
references to other files or addresses, in more spellings than a hand-written check can list
(a DOCTYPE after 4 KB, UTF-16 entities, CSS escapes, `@font-face` all passed the former one).
The editions embed the logo as it is, so only a format with nothing to run or fetch is taken;
every design tool exports PNG. A PNG must open with Pillow as a PNG, within a weight and a
size read from its header (nothing is decoded)."""

import base64
import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

LOGO_MAX_BYTES = 500 * 1024
LOGO_MAX_PIXELS = 4000  # on each side
PNG = "image/png"


def logo_type(data: bytes) -> str:
    """The logo's type ("image/png") read from its content. Raises ValidationError with a
    message for the administrator."""
    if len(data) > LOGO_MAX_BYTES:
        raise ValidationError(
            _("The logo weighs more than %(size)s KB: save it smaller.")
            % {"size": LOGO_MAX_BYTES // 1024},
            code="logo_too_big",
        )
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        if b"<svg" in data.lower() or b"<\x00s\x00v\x00g" in data.lower():
            raise ValidationError(
                _(
                    "SVG logos are not accepted, as a drawing can hold scripts and references "
                    "to other files: export the logo as PNG and send that one."
                ),
                code="logo_svg",
            )
        raise ValidationError(_("The logo must be a PNG file."), code="logo_type")
    _check_png(data)
    return PNG


def validate_logo(file) -> None:
    file.seek(0)
    data = file.read(LOGO_MAX_BYTES + 1)
    file.seek(0)
    logo_type(data)


def _check_png(data: bytes) -> None:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            width, height, kind = image.width, image.height, image.format
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("This PNG file cannot be read: save it again as PNG."), code="logo_unreadable"
        ) from None
    if kind != "PNG":
        raise ValidationError(_("The logo must be a PNG file."), code="logo_type")
    if width > LOGO_MAX_PIXELS or height > LOGO_MAX_PIXELS:
        raise ValidationError(
            _("The logo is larger than %(pixels)s pixels on a side: save it smaller.")
            % {"pixels": LOGO_MAX_PIXELS},
            code="logo_too_large",
        )


def logo_data_uri(organisation) -> str:
    """The organisation's logo as a `data:` address (the editions embed it: a published HTML
    edition needs nothing else, and the PDF never fetches anything); "" without a logo, if
    its file is gone, or if it is not a PNG (an SVG uploaded before they were refused: the
    administrator uploads it again as PNG). Read through the storage (a folder or S3)."""
    if not organisation.logo:
        return ""
    try:
        with organisation.logo.storage.open(organisation.logo.name, "rb") as file:
            data = file.read()
        kind = logo_type(data)
    except (FileNotFoundError, ValidationError):
        return ""
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"
