"""Writes to the observatory: each checks who may (observatory/permissions.py), validates,
saves in a transaction and keeps the history."""

from django.contrib.auth.models import User
from django.db import transaction

from core.history import set_author
from core.permissions import require

from . import permissions
from .models import WorkTrack, WorkTrackProgress


def work_track_stage_set(
    *,
    work_track: WorkTrack,
    year: int,
    stage: str,
    author: User,
    note: str = "",
    illustrative: bool = False,
) -> WorkTrackProgress:
    """Where a line of action stands in `year` (one row per line and year, replaced)."""
    require(permissions.refusal_to_set_stage(author, work_track.territory_id))
    with transaction.atomic():
        progress = (
            WorkTrackProgress.objects.select_for_update()
            .filter(work_track=work_track, year=year)
            .first()
        ) or WorkTrackProgress(work_track=work_track, year=year)
        progress.stage, progress.note, progress.updated_by = stage, note, author
        progress.illustrative = illustrative
        progress.full_clean(validate_constraints=False)
        set_author(progress, author)
        progress.save()
    return progress


def work_track_stage_delete(*, progress: WorkTrackProgress, author: User) -> None:
    require(permissions.refusal_to_set_stage(author, progress.work_track.territory_id))
    with transaction.atomic():
        set_author(progress, author)
        progress.delete()
