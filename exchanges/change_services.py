"""Writes to the changes on the territories: each checks who may (change_permissions.py),
validates, saves in a transaction and keeps the history. (The stages of the lines of action:
observatory/services.py.)

Saving a change is a compare-and-swap on its `version`, as for exchanges: of two people saving
the same version, the second gets `EditConflict` instead of overwriting the first."""

import datetime
import uuid
from collections.abc import Iterable
from functools import partial
from typing import Any, Literal, TypedDict, get_args

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from core.history import one_history_row, set_author
from core.permissions import require
from observatory.models import Questioning, WorkTrack
from partners.models import Partnership, Territory

from . import change_permissions as permissions
from .models import ChangeSubmission, Exchange, PolicyChange
from .services import EditConflict
from .submissions import AlreadySaved
from .validators import validate_attachment_file

__all__ = ["AlreadySaved", "EditConflict"]


class ChangeValues(TypedDict, total=False):
    territory: Territory
    title_fr: str
    title_en: str
    description_fr: str
    description_en: str
    date: datetime.date
    stage: str
    origin: str
    decision_reference: str
    people_reached: int | None
    illustrative: bool
    questionings: Iterable[Questioning]
    work_tracks: Iterable[WorkTrack]
    exchanges: Iterable[Exchange]


ScalarField = Literal[
    "territory",
    "title_fr",
    "title_en",
    "description_fr",
    "description_en",
    "date",
    "stage",
    "origin",
    "decision_reference",
    "people_reached",
]
ManyField = Literal["questionings", "work_tracks", "exchanges"]
SCALAR_FIELDS: tuple[ScalarField, ...] = get_args(ScalarField)
MANY_FIELDS: tuple[ManyField, ...] = get_args(ManyField)


def _check_links(partnership_id: int, values: ChangeValues) -> None:
    """The questionings, lines of action and exchanges must be the partnership's own."""
    errors = {}
    if any(q.topic.theme.partnership_id != partnership_id for q in values.get("questionings", [])):
        errors["questionings"] = "questionings"
    tracks = values.get("work_tracks", [])
    if any(t.questioning.topic.theme.partnership_id != partnership_id for t in tracks):
        errors["work_tracks"] = "work_tracks"
    exchanges = values.get("exchanges", [])
    if any(e.partnership_id != partnership_id or e.deleted_at for e in exchanges):
        errors["exchanges"] = "exchanges"
    if errors:
        message = _("Choose among the partnership's own.")
        raise ValidationError({name: message for name in errors})


def _attach_evidence(change: PolicyChange, evidence: UploadedFile[Any] | None) -> None:
    """A document or a photo, checked by its content as the exchanges' attachments are."""
    if evidence is None:
        return
    try:
        content_type = validate_attachment_file(evidence)
    except ValidationError as error:
        raise ValidationError({"evidence": error}) from None
    change.evidence_content_type = content_type
    change.evidence_name = (evidence.name or "")[-255:]
    change.evidence = evidence


def _record_submission(key: uuid.UUID | None, user: User, change: PolicyChange) -> None:
    if key is None:
        return
    try:
        with transaction.atomic():
            ChangeSubmission.objects.create(key=key, user=user, change=change)
    except IntegrityError:
        previous = previous_submission(key, user)
        if previous is None:
            raise
        raise AlreadySaved(previous) from None  # type: ignore[arg-type]  # a change's key: the same fields the views read


def previous_submission(key: uuid.UUID | None, user: User) -> ChangeSubmission | None:
    if key is None or not getattr(user, "is_authenticated", False):
        return None
    return ChangeSubmission.objects.filter(user=user, key=key).first()


def _delete_file_on_commit(field: FieldFile) -> None:
    storage, name = field.storage, field.name
    if name:
        transaction.on_commit(partial(storage.delete, name))


def change_create(
    *,
    author: User,
    partnership: Partnership,
    values: ChangeValues,
    evidence: UploadedFile[Any] | None = None,
    submission_key: uuid.UUID | None = None,
) -> PolicyChange:
    """Raises PermissionDenied, ValidationError, or AlreadySaved when `submission_key` was
    saved before (the change it saved is `error.previous.change`)."""
    require(permissions.refusal_to_reach_changes(author, partnership.pk))
    require(permissions.refusal_to_record_change_for(author, values.get("territory")))
    change = PolicyChange(
        partnership=partnership,
        created_by=author,
        updated_by=author,
        illustrative=values.get("illustrative", False),
    )
    for name in SCALAR_FIELDS:
        if name in values:
            setattr(change, name, values[name])
    _check_links(partnership.pk, values)
    _attach_evidence(change, evidence)
    try:
        with transaction.atomic():
            change.full_clean(exclude=["evidence"])
            with one_history_row(change, author=author, history_type="+"):
                change.save()
                for many in MANY_FIELDS:
                    getattr(change, many).set(values.get(many, []))
            _record_submission(submission_key, author, change)
    except BaseException:
        if change.evidence.name and change.pk is None:
            change.evidence.storage.delete(change.evidence.name)
        raise
    return change


def change_update(
    *,
    change: PolicyChange,
    author: User,
    expected_version: int,
    values: ChangeValues,
    evidence: UploadedFile[Any] | None = None,
    remove_evidence: bool = False,
    submission_key: uuid.UUID | None = None,
) -> PolicyChange:
    """Raises PermissionDenied, ValidationError, EditConflict with the saved change, or
    AlreadySaved."""
    require(permissions.refusal_to_reach_changes(author, change.partnership_id))
    require(permissions.refusal_to_edit_change(author, change))
    require(
        permissions.refusal_to_record_change_for(author, values.get("territory", change.territory))
    )
    _check_links(change.partnership_id, values)
    with transaction.atomic():
        same = PolicyChange.objects.filter(pk=change.pk)
        if not same.filter(version=expected_version).update(version=F("version") + 1):
            raise EditConflict(same.first())
        current = PolicyChange.objects.select_related("partnership").get(pk=change.pk)
        old_file = current.evidence if current.evidence else None
        for name in SCALAR_FIELDS:
            if name in values:
                setattr(current, name, values[name])
        if "illustrative" in values:
            current.illustrative = values["illustrative"]
        current.updated_by = author
        replaced = evidence is not None or remove_evidence
        if remove_evidence and evidence is None:
            current.evidence, current.evidence_content_type, current.evidence_name = "", "", ""
        _attach_evidence(current, evidence)
        current.full_clean(exclude=["evidence"])
        with one_history_row(current, author=author):
            current.save()
            for many in MANY_FIELDS:
                if many in values:
                    getattr(current, many).set(values[many])
        if replaced and old_file is not None:
            _delete_file_on_commit(old_file)
        _record_submission(submission_key, author, current)
    return current


def change_delete(*, change: PolicyChange, author: User) -> None:
    """Removed for good; its history keeps what it said, its evidence file goes."""
    require(permissions.refusal_to_reach_changes(author, change.partnership_id))
    require(permissions.refusal_to_edit_change(author, change))
    with transaction.atomic():
        file = change.evidence if change.evidence else None
        set_author(change, author)
        change.delete()
        if file is not None:
            _delete_file_on_commit(file)
