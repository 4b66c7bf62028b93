"""Writes on restitutions: start one, edit its text, publish it, render a published version."""

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

from partners.models import Partnership

from .models import Edition, Format, Restitution, RestitutionFile, RestitutionVersion
from .rendering import render_edition
from .selectors import restitution_content

logger = logging.getLogger(__name__)

# Every file a published version holds, in the order they are rendered.
EDITIONS_AND_FORMATS = [
    (edition, format)
    for edition in (Edition.FRENCH, Edition.ENGLISH, Edition.BILINGUAL)
    for format in (Format.HTML, Format.PDF)
]

# A version still pending or rendering after this long is taken as abandoned (worker stopped).
STALE_AFTER = timedelta(minutes=15)


def restitution_create(
    *, partnership: Partnership, year: int, user: AbstractBaseUser | None
) -> Restitution:
    with transaction.atomic():
        restitution = Restitution(
            partnership=partnership, year=year, created_by=user, updated_by=user
        )
        restitution.full_clean()
        restitution.save()
    return restitution


def restitution_update(
    *,
    restitution: Restitution,
    user: AbstractBaseUser | None,
    introduction_fr: str,
    introduction_en: str,
    conclusion_fr: str,
    conclusion_en: str,
) -> Restitution:
    """The editorial text. The draft shows it at once; readers of the published version see it
    when an administrator publishes again."""
    with transaction.atomic():
        restitution.introduction_fr = introduction_fr
        restitution.introduction_en = introduction_en
        restitution.conclusion_fr = conclusion_fr
        restitution.conclusion_en = conclusion_en
        restitution.updated_by = user
        restitution.full_clean()
        restitution.save()
    return restitution


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
        content = restitution_content(restitution)
        for done, (edition, format) in enumerate(EDITIONS_AND_FORMATS, start=1):
            data = render_edition(content, edition=edition, format=format, version=version)
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


def _store(version: RestitutionVersion, *, edition: str, format: str, data: bytes) -> None:
    restitution = version.restitution
    name = f"{restitution.partnership.slug}-{restitution.year}-v{version.number}-{edition}.{format}"
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
