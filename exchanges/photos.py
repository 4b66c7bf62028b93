"""What the server does to a photo it accepts: the place where it was taken leaves the file
unless the uploader keeps it, and a small thumbnail is made for the exchange's page.

The browser already sends a photo resized and compressed (static/js/outbox.js: long side at
most 2 000 px, JPEG); the server never enlarges or recompresses a photo it does not change.
When it must change one (a location to remove), a JPEG is saved again with its own quantisation
tables (`quality="keep"`), which loses next to nothing."""

import io
from dataclasses import dataclass

from PIL import ExifTags, Image, ImageOps

THUMBNAIL_SIDE = 480  # px, the long side: sharp on a phone's screen at 2× in a 240 px column
THUMBNAIL_QUALITY = 78
GPS_IFD = ExifTags.IFD.GPSInfo
ORIENTATION = ExifTags.Base.Orientation


@dataclass(frozen=True)
class PreparedPhoto:
    content: bytes | None  # the photo to store when it had to change; None: store it as sent
    width: int  # as shown, after its orientation
    height: int
    thumbnail: bytes  # JPEG
    had_location: bool


def has_location(image: Image.Image) -> bool:
    exif = image.getexif()
    if exif.get(GPS_IFD) is not None or exif.get_ifd(GPS_IFD):
        return True
    xmp = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp") or b""
    if isinstance(xmp, str):
        xmp = xmp.encode()
    return b"GPSLatitude" in xmp or b"GPSLongitude" in xmp


#: Orientations (EXIF) that turn the photo by a quarter: shown, its width is its height.
QUARTER_TURNS = {5, 6, 7, 8}


def prepare_photo(file, *, keep_location: bool, upright: bool = False) -> PreparedPhoto:
    """`file` was checked by validators.validate_image. `upright`: the browser already turned
    the pixels as the camera's orientation tag said (its resizing does), so the tag, if the
    uploader kept the photo's metadata, is reset rather than applied a second time.

    The photo is decoded in full only when it must be saved again (a location to remove),
    once; its size as shown is read from its header and its orientation, and the thumbnail
    is made from a reduced decoding (a JPEG's `draft`) turned and converted once it is small."""
    file.seek(0)
    with Image.open(file) as image:
        exif = image.getexif()
        located = has_location(image)
        orientation = exif.get(ORIENTATION, 1)
        width, height = image.size
        changes = False
        if located and not keep_location:
            exif.pop(GPS_IFD, None)
            changes = True
        if upright and orientation != 1:
            exif[ORIENTATION] = orientation = 1
            changes = True
        content = _saved_again(image, exif, keep_xmp=keep_location) if changes else None
    file.seek(0)
    turned = not upright and orientation in QUARTER_TURNS
    small = thumbnail_of(io.BytesIO(content) if content is not None else file)
    file.seek(0)
    return PreparedPhoto(
        content=content,
        width=height if turned else width,
        height=width if turned else height,
        thumbnail=small,
        had_location=located,
    )


def _saved_again(image: Image.Image, exif: Image.Exif, *, keep_xmp: bool) -> bytes:
    output = io.BytesIO()
    options: dict = {"exif": exif.tobytes()}
    if image.info.get("icc_profile"):
        options["icc_profile"] = image.info["icc_profile"]
    if keep_xmp and image.info.get("xmp"):
        options["xmp"] = image.info["xmp"]
    if image.format == "JPEG":
        options.update(quality="keep", subsampling="keep")
    elif image.format == "WEBP":
        options.update(quality=90)
    image.save(output, format=image.format, **options)
    return output.getvalue()


def thumbnail_of(file) -> bytes:
    """The thumbnail of the photo in `file`, turned as its orientation tag says: a JPEG is
    decoded at the smallest scale that still covers the thumbnail (1/2 to 1/8), any photo is
    made small before it is turned and converted, so that no full-size copy is made."""
    with Image.open(file) as image:
        if image.format == "JPEG":
            image.draft("RGB", (THUMBNAIL_SIDE, THUMBNAIL_SIDE))
        image.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
        small = ImageOps.exif_transpose(image).convert("RGB")
    output = io.BytesIO()
    small.save(output, format="JPEG", quality=THUMBNAIL_QUALITY, optimize=True, progressive=True)
    return output.getvalue()
