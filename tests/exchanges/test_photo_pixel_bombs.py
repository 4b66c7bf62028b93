"""A photo cannot cost a worker more than a phone's photo does: a small file that declares more
pixels than a phone's camera makes is refused from its header, before it is decoded (a 370 KB
PNG of 9400×9400 took 11.8 s and 1.08 GB), and a large JPEG is checked and thumbnailed
decoded at a reduced scale, with no full-size copy."""

import io
import multiprocessing
import resource
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from exchanges import services
from exchanges.models import Attachment
from exchanges.photos import prepare_photo
from exchanges.validators import MAX_IMAGE_PIXELS, validate_attachment_file

pytestmark = pytest.mark.django_db
MB = 1024 * 1024
# Figures on the development machine (2 cores, shared), printed with -s: the 9400×9400 PNG
# refused in 0.001 s; a 12 MP JPEG whose place is removed 0.6 s; a 50 MP JPEG 0.5 s.


def png(width: int, height: int) -> bytes:
    output = io.BytesIO()
    Image.new("L", (width, height), 255).save(output, format="PNG", optimize=True)
    return output.getvalue()


def jpeg(width: int, height: int, *, located: bool = True, orientation: int = 6) -> bytes:
    """A phone's photo: noise enough to weigh what a real one does, its place, turned."""
    base = Image.effect_noise((width // 16, height // 16), 60).convert("RGB")
    image = base.resize((width, height), Image.Resampling.BILINEAR)
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    if located:
        exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (12.0, 48.0, 0.0)}
    output = io.BytesIO()
    image.save(output, format="JPEG", exif=exif.tobytes(), quality=90)
    return output.getvalue()


def _check_and_prepare(content: bytes, connection) -> None:
    usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    code = None
    try:
        file = SimpleUploadedFile("photo", content)
        validate_attachment_file(file)
        prepare_photo(file, keep_location=False)
    except ValidationError as error:
        code = error.code
    elapsed = time.perf_counter() - started
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - usage) * 1024
    connection.send((code, elapsed, grown))


def measured(content: bytes) -> tuple[str | None, float, int]:
    """What checking and preparing `content` costs, in a process of its own (Pillow's pixels
    are outside Python's allocator): the refusal's code or None, seconds, and the bytes by
    which the process's peak of memory grew."""
    context = multiprocessing.get_context("fork")
    ours, theirs = context.Pipe()
    child = context.Process(target=_check_and_prepare, args=(content, theirs))
    child.start()
    result = ours.recv()
    child.join()
    return result


def test_a_png_of_9400_by_9400_pixels_is_refused_quickly_with_a_clear_message(
    client, officer_bignona, visit, media_root
):
    bomb = png(9400, 9400)
    assert len(bomb) < 400_000
    client.force_login(officer_bignona)

    code, elapsed, peak = measured(bomb)
    response = client.post(
        f"/fr/exchanges/{visit.pk}/attachments/new/",
        {"file": SimpleUploadedFile("plan.png", bomb), "caption_fr": "Le plan"},
    )

    assert code == "too_many_pixels"
    # The time is printed, not asserted (a timed test fails on a busy machine): the memory is.
    assert peak < 10 * MB, (elapsed, peak)
    print(f"\n9400×9400 PNG refused: {elapsed:.3f} s, peak +{peak / MB:.0f} MB")
    assert response.status_code == 200
    assert "Cette photo compte plus de 16 mégapixels" in str(
        response.context["form"].errors["file"]
    )
    assert 'value="Le plan"' in response.content.decode()
    assert not Attachment.objects.exists()


def validate_attachment_file_refusal(file) -> str:
    with pytest.raises(ValidationError) as error:
        validate_attachment_file(file)
    return error.value.code


def test_a_png_beyond_pillows_own_limit_gets_the_same_message():
    assert validate_attachment_file_refusal(SimpleUploadedFile("x.png", png(14000, 14000))) == (
        "too_many_pixels"
    )


def test_a_12_megapixel_phone_photo_still_passes_with_its_place_removed(
    officer_bignona, visit, media_root
):
    photo = jpeg(4000, 3000)

    attachment = services.attachment_add(
        exchange=visit,
        author=officer_bignona,
        file=SimpleUploadedFile("photo.jpg", photo),
        caption_fr="Atelier",
    )
    code, elapsed, peak = measured(photo)

    assert (attachment.width, attachment.height) == (3000, 4000)  # shown turned
    with Image.open(attachment.file) as stored:
        assert stored.getexif().get(ExifTags.IFD.GPSInfo) is None
    with Image.open(attachment.thumbnail) as small:
        assert small.size == (360, 480)
    # Decoded once in full to remove the place (36 MB of pixels), never copied at full size.
    assert code is None
    # The time is printed, not asserted (a timed test fails on a busy machine): the memory is.
    assert peak < 120 * MB, (elapsed, peak)
    print(f"\n12 MP JPEG, place removed: {elapsed:.2f} s, peak {peak / MB:.0f} MB")


def test_the_largest_photo_accepted_costs_a_bounded_time_and_memory(
    officer_bignona, visit, media_root
):
    """50 megapixels, kept as sent (no place to remove): checked and thumbnailed from a
    reduced decoding."""
    side = int(MAX_IMAGE_PIXELS**0.5)
    photo = jpeg(side, side, located=False, orientation=1)

    attachment = services.attachment_add(
        exchange=visit,
        author=officer_bignona,
        file=SimpleUploadedFile("photo.jpg", photo),
        caption_fr="Panorama",
    )
    code, elapsed, peak = measured(photo)

    assert attachment.width == side
    assert code is None
    # The time is printed, not asserted (a timed test fails on a busy machine): the memory is.
    assert peak < 120 * MB, (elapsed, peak)
    print(f"\n50 MP JPEG kept as sent: {elapsed:.2f} s, peak {peak / MB:.0f} MB")
