"""Published versions: publishing a restitution, and rendering a version into the files
readers get byte for byte (every edition as HTML and PDF, and the screen stylesheet)."""

import hashlib
import logging
import time
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from . import document
from .content import restitution_content
from .models import Edition, Format, Restitution, RestitutionFile, RestitutionVersion

logger = logging.getLogger(__name__)

# Every file a published version holds, in the order they are rendered.
EDITIONS_AND_FORMATS = [
    (edition, format)
    for edition in (Edition.FRENCH, Edition.ENGLISH, Edition.BILINGUAL)
    for format in (Format.HTML, Format.PDF)
]

# A version still pending or rendering after this long is taken as abandoned (worker stopped).
STALE_AFTER = timedelta(minutes=15)


def restitution_publish(
    *, restitution: Restitution, user: AbstractBaseUser | None, background: bool = True
) -> RestitutionVersion:
    """A new version, numbered after the last one, whose editions are rendered once and stored:
    by a background task (`background=True`, what a request does), or right away. The previous
    versions stay downloadable. Refused while another version is still being rendered."""
    with transaction.atomic():
        # Lock the restitution: two administrators clicking at once make one version each,
        # numbered one after the other.
        Restitution.objects.select_for_update().get(pk=restitution.pk)
        _give_up_stale_versions(restitution)
        if restitution.versions.filter(
            status__in=[RestitutionVersion.Status.PENDING, RestitutionVersion.Status.RENDERING]
        ).exists():
            raise ValidationError(
                _("A version of this restitution is already being rendered: wait for it.")
            )
        last = restitution.versions.aggregate(last=Max("number"))["last"] or 0
        version = RestitutionVersion(
            restitution=restitution,
            number=last + 1,
            published_at=timezone.now(),
            published_by=user,
        )
        version.full_clean()
        version.save()
    if background:
        from .tasks import render_restitution_version

        result = render_restitution_version.enqueue(version.pk)
        RestitutionVersion.objects.filter(pk=version.pk).update(task_id=str(result.id))
        version.refresh_from_db()
    else:
        restitution_version_render(version=version)
    return version


def _give_up_stale_versions(restitution: Restitution) -> None:
    restitution.versions.filter(
        status__in=[RestitutionVersion.Status.PENDING, RestitutionVersion.Status.RENDERING],
        published_at__lt=timezone.now() - STALE_AFTER,
    ).update(
        status=RestitutionVersion.Status.FAILED,
        error=_("Abandoned: the rendering did not finish in time."),
    )


def restitution_version_render(*, version: RestitutionVersion) -> RestitutionVersion:
    """Render every edition of a version from the data as it is now, store each file with its
    SHA-256, and report progress on the version as it goes. Each step is saved at once (no
    surrounding transaction) so the publication page can show how far it is."""
    started = time.monotonic()
    restitution = Restitution.objects.select_related("partnership").get(pk=version.restitution_id)
    version.restitution = restitution
    _set(version, status=RestitutionVersion.Status.RENDERING, progress=0, error="")
    try:
        # First the stylesheet: the HTML editions link to this copy of it.
        _store_stylesheet(version)
        content = restitution_content(restitution)
        for done, (edition, format) in enumerate(EDITIONS_AND_FORMATS, start=1):
            data = document.render_edition(content, edition=edition, format=format, version=version)
            _store(version, edition=edition, format=format, data=data)
            _set(version, progress=round(100 * done / len(EDITIONS_AND_FORMATS)))
    except Exception as error:
        logger.exception("Rendering restitution version %s failed", version.pk)
        _set(version, status=RestitutionVersion.Status.FAILED, error=repr(error)[:2000])
        raise
    _set(
        version,
        status=RestitutionVersion.Status.DONE,
        progress=100,
        rendered_at=timezone.now(),
        render_seconds=round(time.monotonic() - started, 2),
    )
    return version


def _set(version: RestitutionVersion, **fields) -> None:
    for name, value in fields.items():
        setattr(version, name, value)
    version.save(update_fields=list(fields))


def _file_stem(version: RestitutionVersion) -> str:
    restitution = version.restitution
    return f"{restitution.partnership.slug}-{restitution.year}-v{version.number}"


def _store_stylesheet(version: RestitutionVersion) -> None:
    data = document.report_stylesheet()
    if version.stylesheet:
        version.stylesheet.delete(save=False)
    version.stylesheet.save(f"{_file_stem(version)}-report.css", ContentFile(data), save=False)
    _set(
        version,
        stylesheet=version.stylesheet.name,
        stylesheet_sha256=hashlib.sha256(data).hexdigest(),
    )


def _store(version: RestitutionVersion, *, edition: str, format: str, data: bytes) -> None:
    name = f"{_file_stem(version)}-{edition}.{format}"
    RestitutionFile.objects.filter(version=version, edition=edition, format=format).delete()
    stored = RestitutionFile(
        version=version,
        edition=edition,
        format=format,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
    )
    stored.file.save(name, ContentFile(data), save=False)
    stored.save()
