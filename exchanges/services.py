"""Writes to exchanges: each checks who may do it, validates, saves and keeps the history.

Optimistic locking: a save names the `version` its form was opened on. The service claims the
row with a compare-and-swap (`UPDATE … SET version = version + 1 WHERE version = expected`),
so of two people saving the same version, the second gets `EditConflict` instead of
silently overwriting the first.
"""

import datetime
import functools
import uuid
from collections.abc import Iterable, Mapping
from typing import Any, Literal, TypedDict, cast, get_args

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from core.history import history_record, one_history_row, set_author
from core.permissions import require
from observatory.models import Questioning, Recommendation, Strand
from partners.models import Partnership, Territory
from partners.roles import territory_of

from . import permissions
from .change_selectors import forget_both_views
from .models import (
    Attachment,
    CrossView,
    Establishment,
    EstablishmentKind,
    Exchange,
    SubmissionKey,
)
from .notifications import CHANGED, LOGGED
from .photos import prepare_photo
from .selectors import forget_key_figures, forget_to_write
from .submissions import record_submission, target
from .validators import IMAGE_FORMATS, validate_attachment_file


def _require_partnership(author: User, partnership_id: int) -> None:
    """No write on another partnership's exchanges, whoever calls (views read them through
    scoped selectors already; the admin is for administrators, who reach every partnership)."""
    require(permissions.refusal_to_reach_partnership(author, partnership_id))


class EditConflict(Exception):
    """Someone else saved first. `current` is what they saved (None if it was removed)."""

    def __init__(self, current: Model | None):
        super().__init__("edit conflict")
        self.current = current


class ExchangeValues(TypedDict):
    kind: str
    title_fr: str
    title_en: str
    summary_fr: str
    summary_en: str
    follow_up_fr: str
    follow_up_en: str
    start_date: datetime.date
    end_date: datetime.date
    place: str
    host_territory: Territory
    visiting_territory: Territory | None
    elected_officials_count: int
    technical_staff_count: int
    professionals_met_count: int
    strands: Iterable[Strand]
    questionings: Iterable[Questioning]
    recommendations: Iterable[Recommendation]
    establishments: Iterable[Establishment]


ScalarField = Literal[
    "kind",
    "title_fr",
    "title_en",
    "summary_fr",
    "summary_en",
    "follow_up_fr",
    "follow_up_en",
    "start_date",
    "end_date",
    "place",
    "host_territory",
    "visiting_territory",
    "elected_officials_count",
    "technical_staff_count",
    "professionals_met_count",
]
ManyField = Literal["strands", "questionings", "recommendations", "establishments"]
SCALAR_FIELDS: tuple[ScalarField, ...] = get_args(ScalarField)
MANY_FIELDS: tuple[ManyField, ...] = get_args(ManyField)


def exchange_create(*, author: User, partnership: Partnership, values: ExchangeValues) -> Exchange:
    _require_partnership(author, partnership.pk)
    require(permissions.refusal_to_create_exchange(author))
    require(
        permissions.refusal_to_log_exchange(
            author, values["host_territory"], values["visiting_territory"]
        )
    )
    exchange = Exchange(partnership=partnership, created_by=author, updated_by=author)
    for name in SCALAR_FIELDS:
        setattr(exchange, name, values[name])
    with transaction.atomic():
        exchange.full_clean()
        with one_history_row(exchange, author=author, history_type="+"):
            exchange.save()
            for relation in MANY_FIELDS:
                getattr(exchange, relation).set(values[relation])
        _forget_counts(partnership.pk, {exchange.start_date.year})
        _tell_the_other_side(exchange, author, LOGGED)
    return exchange


def exchange_log(
    *,
    author: User,
    partnership: Partnership,
    values: ExchangeValues,
    cross_view_fr: str = "",
    cross_view_en: str = "",
    submission_key: uuid.UUID | None = None,
) -> Exchange:
    """An officer logs an exchange, with their own territory's cross view if they wrote it in
    the same form (as on a phone in the field): both or nothing. Raises what exchange_create
    and cross_view_save raise, or submissions.AlreadySaved (or KeyReused) when
    `submission_key` was saved before (the exchange it saved is `error.previous.exchange`)."""
    with transaction.atomic():
        exchange = exchange_create(author=author, partnership=partnership, values=values)
        own = territory_of(author)
        if cross_view_fr.strip() and own is not None:
            cross_view_save(
                exchange=exchange,
                territory=own,
                author=author,
                text_fr=cross_view_fr,
                text_en=cross_view_en,
                expected_version=0,
            )
        record_submission(
            key=submission_key,
            user=author,
            kind=SubmissionKey.Kind.EXCHANGE_CREATE,
            target=target(partnership),
            exchange=exchange,
            object_id=exchange.pk,
        )
    return exchange


def exchange_update(
    *,
    exchange: Exchange,
    author: User,
    expected_version: int,
    values: ExchangeValues,
    submission_key: uuid.UUID | None = None,
) -> Exchange:
    """Raises PermissionDenied, ValidationError, or EditConflict with the saved exchange
    (and submissions.AlreadySaved, or KeyReused, when `submission_key` was saved before)."""
    _require_partnership(author, exchange.partnership_id)
    require(permissions.refusal_to_edit_exchange(author, exchange))
    # After the change too, the officer's territory takes part (host or delegation).
    require(
        permissions.refusal_to_log_exchange(
            author, values["host_territory"], values["visiting_territory"]
        )
    )
    with transaction.atomic():
        same = Exchange.objects.active().filter(pk=exchange.pk)
        claimed = same.filter(version=expected_version).update(version=F("version") + 1)
        if not claimed:
            raise EditConflict(same.first())
        current = Exchange.objects.get(pk=exchange.pk)
        old_year = current.start_date.year
        for name in SCALAR_FIELDS:
            setattr(current, name, values[name])
        current.updated_by = author
        current.full_clean()  # a ValidationError rolls the version back too
        with one_history_row(current, author=author):  # the fields and the links: one row
            current.save()
            for relation in MANY_FIELDS:
                getattr(current, relation).set(values[relation])
        years = {exchange.start_date.year, old_year, current.start_date.year}
        forget_key_figures(current.partnership_id, years)
        record_submission(
            key=submission_key,
            user=author,
            kind=SubmissionKey.Kind.EXCHANGE_UPDATE,
            target=target(current),
            exchange=current,
            object_id=current.pk,
        )
        _tell_the_other_side(current, author, CHANGED)
    return current


def _forget_counts(partnership_id: int, years: set[int]) -> None:
    """An exchange came or went: the partnership's key figures of `years`, and what each of its
    territories has to write."""
    forget_key_figures(partnership_id, years)
    members = Partnership.territories.through.objects.filter(partnership_id=partnership_id)
    forget_to_write(members.values_list("territory_id", flat=True))


def _tell_the_other_side(exchange: Exchange, author: User, event: str) -> None:
    """Once the transaction is committed, the task worker emails the other territories'
    officers (exchanges/notifications.py)."""
    from .tasks import notify_other_side

    author_id = author.pk if author is not None and author.is_authenticated else None
    version = exchange.version
    transaction.on_commit(
        lambda: notify_other_side.enqueue(
            exchange_id=exchange.pk, author_id=author_id, event=event, version=version
        )
    )


def exchange_delete(*, exchange: Exchange, author: User) -> None:
    """Soft delete: the exchange leaves every list and figure; an administrator can undo it."""
    _require_partnership(author, exchange.partnership_id)
    require(permissions.refusal_to_edit_exchange(author, exchange))
    now = timezone.now()
    with transaction.atomic():
        Exchange.objects.filter(pk=exchange.pk).update(
            deleted_at=now, deleted_by=author, version=F("version") + 1
        )
        history_record(Exchange.objects.get(pk=exchange.pk), author=author)
        _forget_counts(exchange.partnership_id, {exchange.start_date.year})


def exchange_restore(*, exchange: Exchange, author: User) -> None:
    require(permissions.refusal_to_restore_exchange(author))
    with transaction.atomic():
        Exchange.objects.filter(pk=exchange.pk).update(
            deleted_at=None, deleted_by=None, version=F("version") + 1
        )
        history_record(Exchange.objects.get(pk=exchange.pk), author=author)
        _forget_counts(exchange.partnership_id, {exchange.start_date.year})


def cross_view_save(
    *,
    exchange: Exchange,
    territory: Territory,
    author: User,
    text_fr: str,
    text_en: str,
    expected_version: int,
    submission_key: uuid.UUID | None = None,
) -> CrossView:
    """Write one territory's side. `expected_version` is 0 when the side was empty as the
    form opened. Raises PermissionDenied, ValidationError or EditConflict (and
    submissions.AlreadySaved (or KeyReused) when `submission_key` was saved before)."""
    _require_partnership(author, exchange.partnership_id)
    in_partnership = exchange.partnership.territories.filter(pk=territory.pk).exists()
    require(
        permissions.refusal_to_write_cross_view(
            author, exchange, territory, in_partnership=in_partnership
        )
    )
    same_side = CrossView.objects.filter(exchange=exchange, territory=territory)
    with transaction.atomic():
        if expected_version == 0:
            view = CrossView(exchange=exchange, territory=territory)
        else:
            claimed = same_side.filter(version=expected_version).update(version=F("version") + 1)
            if not claimed:
                raise EditConflict(same_side.first())
            view = same_side.get()
        # text_fr, text_en: modeltranslation's columns, added at run time (the plugin sees `text`)
        view.text_fr, view.text_en, view.updated_by = text_fr, text_en, author  # type: ignore[attr-defined]
        view.full_clean(validate_unique=False, validate_constraints=False)
        set_author(view, author)
        try:
            with transaction.atomic():
                view.save()
        except IntegrityError:  # the other officer of this territory wrote the side first
            raise EditConflict(same_side.first()) from None
        if expected_version == 0:  # one exchange fewer for this territory to write
            forget_to_write([territory.pk])
            forget_both_views(exchange.partnership_id)
        record_submission(
            key=submission_key,
            user=author,
            kind=SubmissionKey.Kind.CROSS_VIEW,
            target=target(exchange, territory),
            exchange=exchange,
            object_id=view.pk,
        )
    return view


def attachment_add(
    *,
    exchange: Exchange,
    author: User,
    file: UploadedFile[bytes],
    caption_fr: str,
    caption_en: str = "",
    credit: str = "",
    for_restitution: bool = False,
    keep_location: bool = False,
    upright: bool = False,
    submission_key: uuid.UUID | None = None,
) -> Attachment:
    """Checks the file by its content; a photo loses its location (unless `keep_location`) and
    gets a thumbnail. Raises PermissionDenied, ValidationError for a file too big, of the
    wrong type or damaged, or submissions.AlreadySaved (or KeyReused) when `submission_key`
    was saved before.
    Nothing is stored unless everything is."""
    _require_partnership(author, exchange.partnership_id)
    require(permissions.refusal_to_add_attachment(author, exchange))
    try:
        content_type = validate_attachment_file(file)
    except ValidationError as error:
        raise ValidationError({"file": error}) from None
    original_name = (file.name or "")[-255:]
    photo = None
    to_store: File[bytes] = file
    if content_type in IMAGE_FORMATS:
        photo = prepare_photo(file, keep_location=keep_location, upright=upright)
        if photo.content is not None:
            to_store = ContentFile(photo.content, name=original_name or "photo")
    attachment = Attachment(
        exchange=exchange,
        file=to_store,
        caption_fr=caption_fr,
        caption_en=caption_en,
        credit=credit,
        for_restitution=for_restitution and photo is not None,
        original_name=original_name,
        content_type=content_type,
        size=to_store.size or 0,
        width=photo.width if photo is not None else None,
        height=photo.height if photo is not None else None,
        uploaded_by=author,
    )
    stored: list[FieldFile] = []
    try:
        with transaction.atomic():
            attachment.full_clean(exclude=["file"])  # the file is checked above, once
            set_author(attachment, author)
            if photo is not None:
                name = f"exchanges/{exchange.pk}/thumbnails/{uuid.uuid4().hex}.jpg"
                attachment.thumbnail.save(name, ContentFile(photo.thumbnail), save=False)
                stored.append(attachment.thumbnail)
            attachment.save()
            stored.append(attachment.file)
            record_submission(
                key=submission_key,
                user=author,
                kind=SubmissionKey.Kind.ATTACHMENT,
                target=target(exchange),
                exchange=exchange,
                object_id=attachment.pk,
            )
    except BaseException:
        for field in stored:  # the database kept nothing: neither does the storage
            if field.name:
                field.storage.delete(field.name)
        raise
    return attachment


def attachment_update(*, attachment: Attachment, author: User) -> Attachment:
    """Its caption and credit (the file itself is replaced by removing and adding)."""
    _require_partnership(author, attachment.exchange.partnership_id)
    require(permissions.refusal_to_change_attachment(author, attachment))
    with transaction.atomic():
        attachment.full_clean()
        set_author(attachment, author)
        attachment.save()
    return attachment


def attachment_delete(*, attachment: Attachment, author: User) -> None:
    _require_partnership(author, attachment.exchange.partnership_id)
    require(permissions.refusal_to_change_attachment(author, attachment))
    files = [(field.storage, field.name) for field in (attachment.file, attachment.thumbnail)]
    with transaction.atomic():
        set_author(attachment, author)
        attachment.delete()
        for storage, name in files:
            if name:
                transaction.on_commit(functools.partial(storage.delete, name))


def establishment_create(
    *,
    author: User,
    name_fr: str,
    kind: EstablishmentKind,
    territory: Territory,
    town: str = "",
    strands: Iterable[Strand] = (),
) -> Establishment:
    """An officer adds an establishment of their own territory to the list visits pick from."""
    require(permissions.refusal_to_add_establishment(author, territory))
    establishment = Establishment(name_fr=name_fr, kind=kind, territory=territory, town=town)
    with transaction.atomic():
        establishment.full_clean()
        with one_history_row(establishment, author=author, history_type="+"):
            establishment.save()
            establishment.strands.set(strands)
    return establishment


def establishment_delete(*, establishment: Establishment, author: User) -> None:
    """An administrator removes an establishment (in the admin). The exchanges that visited it
    lose it: the key figures of their years (distinct establishments visited) are forgotten."""
    require(permissions.refusal_to_delete_establishment(author))
    with transaction.atomic():
        # The reverse of Exchange.establishments, which the plugin does not see (simple-history
        # registers the many-to-many fields' history at run time).
        visits = establishment.exchanges.order_by().values_list(  # type: ignore[attr-defined]
            "partnership_id", "start_date"
        )
        years: dict[int, set[int]] = {}
        for partnership_id, start_date in visits:
            years.setdefault(partnership_id, set()).add(start_date.year)
        set_author(establishment, author)
        establishment.delete()
        for partnership_id, its_years in years.items():
            forget_key_figures(partnership_id, its_years)


def exchange_values(exchange: Exchange) -> ExchangeValues:
    """What an officer can change on a saved exchange, in the shape of `ExchangeValues`."""
    # Any: each field's value, of its own type (ExchangeValues names them).
    values: dict[str, Any] = {name: getattr(exchange, name) for name in SCALAR_FIELDS}
    values.update({name: list(getattr(exchange, name).all()) for name in MANY_FIELDS})
    return cast(ExchangeValues, values)  # the same keys, read from the exchange


# Mapping[str, Any]: a form's cleaned_data or exchange_values(), values of several types.
def exchange_as_text(values: Mapping[str, Any]) -> dict[str, str]:
    """Exchange values (saved or typed) as the text the conflict page shows."""
    text: dict[str, str] = {name: _as_text(values[name]) for name in SCALAR_FIELDS}
    for name in MANY_FIELDS:
        text[name] = "; ".join(sorted(str(item) for item in values[name]))
    return text


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)
