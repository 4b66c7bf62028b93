"""Writes on restitutions, the entry points views and the admin call: start one, edit its
text (here); publish it (`reporting.versions`); ask for a draft's PDF (`reporting.drafts`)."""

from django.contrib.auth.models import User
from django.db import transaction

from core.history import set_author
from core.permissions import require
from partners.models import Partnership

from .drafts import DraftRenderingRefused, draft_rendering_request
from .models import Restitution
from .permissions import refusal_to_reach_partnership
from .versions import restitution_publish, restitution_version_render

__all__ = [
    "DraftRenderingRefused",
    "draft_rendering_request",
    "restitution_create",
    "restitution_publish",
    "restitution_update",
    "restitution_version_render",
]


def _require_partnership(user: User | None, partnership_id: int) -> None:
    """No write on another partnership's restitution (None: a command or the worker)."""
    if user is not None:
        require(refusal_to_reach_partnership(user, partnership_id))


def restitution_create(*, partnership: Partnership, year: int, user: User | None) -> Restitution:
    _require_partnership(user, partnership.pk)
    with transaction.atomic():
        restitution = Restitution(
            partnership=partnership, year=year, created_by=user, updated_by=user
        )
        restitution.full_clean()
        set_author(restitution, user)
        restitution.save()
    return restitution


EDITORIAL_TEXTS = {
    f"{field}_{language}"
    for field in ("foreword", "foreword_signature", "focus_title", "factors_lead", "obstacles_lead")
    for language in ("fr", "en")
}


def restitution_update(
    *,
    restitution: Restitution,
    user: User | None,
    introduction_fr: str,
    introduction_en: str,
    conclusion_fr: str,
    conclusion_en: str,
    data_notice_fr: str | None = None,
    data_notice_en: str | None = None,
    photo_credits: str | None = None,
    **texts: str,
) -> Restitution:
    """The editorial text. The draft shows it at once; readers of the published version see it
    when an administrator publishes again. `texts`: the other typed texts (foreword and its
    signature, the lessons chapter's title and lead sentences), `<field>_fr` / `<field>_en`."""
    unknown = set(texts) - EDITORIAL_TEXTS
    if unknown:
        raise TypeError(f"Not an editorial text of a restitution: {sorted(unknown)}")
    _require_partnership(user, restitution.partnership_id)
    with transaction.atomic():
        # modeltranslation's columns, added at run time (the plugin sees `introduction`, …)
        restitution.introduction_fr = introduction_fr  # type: ignore[attr-defined]
        restitution.introduction_en = introduction_en  # type: ignore[attr-defined]
        restitution.conclusion_fr = conclusion_fr  # type: ignore[attr-defined]
        restitution.conclusion_en = conclusion_en  # type: ignore[attr-defined]
        for name, value in (
            ("data_notice_fr", data_notice_fr),
            ("data_notice_en", data_notice_en),
            ("photo_credits", photo_credits),
            *texts.items(),
        ):
            if value is not None:  # None: left as it is
                setattr(restitution, name, value)
        restitution.updated_by = user
        restitution.full_clean()
        set_author(restitution, user)  # the history row (core/history.py) names them
        restitution.save()
    return restitution
