"""A line of action's stage, year by year: one row per line and year, set by its territory's
officers (observatory/services.py)."""

import pytest
from django.core.exceptions import PermissionDenied

from observatory import services

pytestmark = pytest.mark.django_db


def test_a_line_of_actions_stage_is_set_once_a_year_by_its_territory(
    savoie_track, officer_savoie, officer_bignona
):
    services.work_track_stage_set(
        work_track=savoie_track, year=2017, stage="planned", author=officer_savoie
    )
    progress = services.work_track_stage_set(
        work_track=savoie_track, year=2017, stage="in_progress", author=officer_savoie
    )
    assert savoie_track.progress.get() == progress
    assert progress.stage == "in_progress"
    with pytest.raises(PermissionDenied):
        services.work_track_stage_set(
            work_track=savoie_track, year=2018, stage="done", author=officer_bignona
        )
