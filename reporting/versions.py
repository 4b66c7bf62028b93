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

from core.tasks import task

from . import document
from .content import restitution_content
from .models import Edition, Format, Restitution, RestitutionFile, RestitutionVersion
from .readiness import ReadinessNotAcknowledged, readiness_gaps

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
    *,
    restitution: Restitution,
    user: AbstractBaseUser | None,
    background: bool = True,
    acknowledged: list[str] | None = None,
) -> RestitutionVersion:
    """A new version, numbered after the last one, whose editions are rendered once and stored:
    by a background task (`background=True`, what a request does), or right away. The previous
    versions stay downloadable. Refused while another version is still being rendered.

    `acknowledged`: the keys of the readiness check's gaps (`reporting.readiness`) the publisher
    was shown and acknowledged; publishing is refused (`ReadinessNotAcknowledged`) if the
    edition now lacks anything else. None: no check (the demo loader, the admin's action)."""
    gaps = readiness_gaps(restitution_content(restitution)) if acknowledged is not None else []
    unseen = [gap for gap in gaps if gap.key not in set(acknowledged or [])]
    if unseen:
        raise ReadinessNotAcknowledged(unseen)
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
            acknowledged_gaps=[{"key": gap.key, "text": gap.text} for gap in gaps],
        )
        version.full_clean()
        version.save()
    if background:
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


class VersionNoLongerRendering(Exception):
    """The version was finished or given up by someone else while this rendering ran."""


def restitution_version_render(*, version: RestitutionVersion) -> RestitutionVersion:
    """Render every edition of a version from the data as it is now, store each file with its
    SHA-256, and report progress on the version as it goes. Each step is saved at once (no
    surrounding transaction) so the publication page can show how far it is.

    May run again for the same version (a worker died half-way and another took its task,
    core/workers.py): it starts again, replacing what was stored, and the version is marked done
    once. A version already done or given up is left as it is."""
    started = time.monotonic()
    restitution = Restitution.objects.select_related("partnership").get(pk=version.restitution_id)
    version.restitution = restitution
    in_progress = [RestitutionVersion.Status.PENDING, RestitutionVersion.Status.RENDERING]
    if not RestitutionVersion.objects.filter(pk=version.pk, status__in=in_progress).update(
        status=RestitutionVersion.Status.RENDERING, progress=0, error=""
    ):
        logger.warning("Restitution version %s is no longer to be rendered", version.pk)
        version.refresh_from_db()
        return version
    version.status, version.progress, version.error = RestitutionVersion.Status.RENDERING, 0, ""
    try:
        # First the stylesheet: the HTML editions link to this copy of it.
        _store_stylesheet(version)
        content = restitution_content(restitution)
        for done, (edition, format) in enumerate(EDITIONS_AND_FORMATS, start=1):
            data = document.render_edition(content, edition=edition, format=format, version=version)
            _store(version, edition=edition, format=format, data=data)
            _set(version, progress=round(100 * done / len(EDITIONS_AND_FORMATS)))
    except VersionNoLongerRendering:
        logger.warning("Restitution version %s was finished elsewhere", version.pk)
        version.refresh_from_db()
        return version
    except Exception as error:
        logger.exception("Rendering restitution version %s failed", version.pk)
        RestitutionVersion.objects.filter(
            pk=version.pk, status=RestitutionVersion.Status.RENDERING
        ).update(status=RestitutionVersion.Status.FAILED, error=repr(error)[:2000])
        version.refresh_from_db()
        raise
    done = {
        "status": RestitutionVersion.Status.DONE,
        "progress": 100,
        "rendered_at": timezone.now(),
        "render_seconds": round(time.monotonic() - started, 2),
    }
    # Done once: of two renderings of the same version, the second finds it done already.
    finished = RestitutionVersion.objects.filter(
        pk=version.pk, status=RestitutionVersion.Status.RENDERING
    ).update(**done)
    if finished:
        # The editions are there to read: once committed, the worker e-mails the elected
        # officials (reporting/notifications.py). Once only: the version is done once.
        version_id = version.pk
        transaction.on_commit(lambda: notify_new_edition.enqueue(version_id=version_id))
    version.refresh_from_db()
    return version


def _set(version: RestitutionVersion, **fields) -> None:
    for name, value in fields.items():
        setattr(version, name, value)
    version.save(update_fields=list(fields))


def _file_stem(version: RestitutionVersion) -> str:
    restitution = version.restitution
    return f"{restitution.partnership.slug}-{restitution.year}-v{version.number}"


def _still_rendering(version: RestitutionVersion) -> None:
    """Inside a transaction: wait for any other rendering's write on this version, then go on
    only while the version is still being rendered."""
    status = (
        RestitutionVersion.objects.select_for_update()
        .filter(pk=version.pk)
        .values_list("status", flat=True)
        .first()
    )
    if status != RestitutionVersion.Status.RENDERING:
        raise VersionNoLongerRendering


def _replace(field, name: str, data: bytes) -> None:
    """Store `data` in `field` under `name`, in place of what the field held and of a file a
    rendering that died left under that name, so that nothing is left behind in the storage
    and the name stays the expected one."""
    if field:
        field.delete(save=False)
    target = field.field.generate_filename(field.instance, name)
    if field.storage.exists(target):  # named after this version: nobody else's file
        field.storage.delete(target)
    field.save(name, ContentFile(data), save=False)


def _store_stylesheet(version: RestitutionVersion) -> None:
    data = document.report_stylesheet()
    with transaction.atomic():
        _still_rendering(version)
        _replace(version.stylesheet, f"{_file_stem(version)}-report.css", data)
        _set(
            version,
            stylesheet=version.stylesheet.name,
            stylesheet_sha256=hashlib.sha256(data).hexdigest(),
        )


def _store(version: RestitutionVersion, *, edition: str, format: str, data: bytes) -> None:
    name = f"{_file_stem(version)}-{edition}.{format}"
    with transaction.atomic():
        _still_rendering(version)
        for earlier in RestitutionFile.objects.filter(
            version=version, edition=edition, format=format
        ):
            earlier.file.delete(save=False)
            earlier.delete()
        stored = RestitutionFile(
            version=version,
            edition=edition,
            format=format,
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
        )
        _replace(stored.file, name, data)
        stored.save()


@task()
def render_restitution_version(version_id: int) -> None:
    """The worker's entry point for a version just published."""
    restitution_version_render(version=RestitutionVersion.objects.get(pk=version_id))


@task()
def notify_new_edition(version_id: int) -> None:
    """The worker writes the e-mails telling the elected officials of a version just done,
    each then sent by its own task."""
    from .notifications import notify_elected_officials

    notify_elected_officials(version_id=version_id)
