"""Writes to exchanges: each checks who may do it, validates, saves and keeps the history.

Optimistic locking: a save names the `version` its form was opened on. The service claims the
row with a compare-and-swap (`UPDATE … SET version = version + 1 WHERE version = expected`),
so of two people saving the same version, the second gets `EditConflict` instead of
silently overwriting the first.
"""

import datetime
from collections.abc import Iterable
from typing import TypedDict

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.utils import timezone

from core.history import history_record, one_history_row, set_author
from observatory.models import Questioning, Recommendation, Strand
from partners.models import Partnership, Territory

from . import permissions
from .models import Attachment, CrossView, Establishment, Exchange
from .selectors import forget_key_figures
from .validators import read_head, sniff_content_type, validate_attachment_file


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


SCALAR_FIELDS = (
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
)
MANY_FIELDS = ("strands", "questionings", "recommendations", "establishments")


def exchange_create(*, author, partnership: Partnership, values: ExchangeValues) -> Exchange:
    if not permissions.can_create_exchange(author):
        raise PermissionDenied(permissions.why_not_create())
    if not permissions.can_host(author, values["host_territory"]):
        raise PermissionDenied(permissions.why_not_host(values["host_territory"]))
    exchange = Exchange(partnership=partnership, created_by=author, updated_by=author)
    for name in SCALAR_FIELDS:
        setattr(exchange, name, values[name])
    with transaction.atomic():
        exchange.full_clean()
        with one_history_row(exchange, author=author, history_type="+"):
            exchange.save()
            for name in MANY_FIELDS:
                getattr(exchange, name).set(values[name])
        forget_key_figures(partnership.pk, {exchange.start_date.year})
    return exchange


def exchange_update(
    *, exchange: Exchange, author, expected_version: int, values: ExchangeValues
) -> Exchange:
    """Raises PermissionDenied, ValidationError, or EditConflict with the saved exchange."""
    if not permissions.can_edit_exchange(author, exchange):
        raise PermissionDenied(permissions.why_not_edit(exchange))
    host = values["host_territory"]
    if host.pk != exchange.host_territory_id and not permissions.can_host(author, host):
        raise PermissionDenied(permissions.why_not_host(host))
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
            for name in MANY_FIELDS:
                getattr(current, name).set(values[name])
        years = {exchange.start_date.year, old_year, current.start_date.year}
        forget_key_figures(current.partnership_id, years)
    return current


def exchange_delete(*, exchange: Exchange, author) -> None:
    """Soft delete: the exchange leaves every list and figure; an administrator can undo it."""
    if not permissions.can_edit_exchange(author, exchange):
        raise PermissionDenied(permissions.why_not_edit(exchange))
    now = timezone.now()
    with transaction.atomic():
        Exchange.objects.filter(pk=exchange.pk).update(
            deleted_at=now, deleted_by=author, version=F("version") + 1
        )
        history_record(Exchange.objects.get(pk=exchange.pk), author=author)
        forget_key_figures(exchange.partnership_id, {exchange.start_date.year})


def exchange_restore(*, exchange: Exchange, author) -> None:
    if not permissions.is_administrator(author):
        raise PermissionDenied(permissions.why_not_restore())
    with transaction.atomic():
        Exchange.objects.filter(pk=exchange.pk).update(
            deleted_at=None, deleted_by=None, version=F("version") + 1
        )
        history_record(Exchange.objects.get(pk=exchange.pk), author=author)
        forget_key_figures(exchange.partnership_id, {exchange.start_date.year})


def cross_view_save(
    *,
    exchange: Exchange,
    territory: Territory,
    author,
    text_fr: str,
    text_en: str,
    expected_version: int,
) -> CrossView:
    """Write one territory's side. `expected_version` is 0 when the side was empty as the
    form opened. Raises PermissionDenied, ValidationError or EditConflict."""
    if not exchange.partnership.territories.filter(pk=territory.pk).exists():
        raise PermissionDenied(permissions.why_not_write_cross_view(author, territory))
    if not permissions.can_write_cross_view(author, exchange, territory):
        raise PermissionDenied(permissions.why_not_write_cross_view(author, territory))
    same_side = CrossView.objects.filter(exchange=exchange, territory=territory)
    with transaction.atomic():
        if expected_version == 0:
            view = CrossView(exchange=exchange, territory=territory)
        else:
            claimed = same_side.filter(version=expected_version).update(version=F("version") + 1)
            if not claimed:
                raise EditConflict(same_side.first())
            view = same_side.get()
        view.text_fr, view.text_en, view.updated_by = text_fr, text_en, author
        view.full_clean(validate_unique=False, validate_constraints=False)
        set_author(view, author)
        try:
            with transaction.atomic():
                view.save()
        except IntegrityError:  # the other officer of this territory wrote the side first
            raise EditConflict(same_side.first()) from None
    return view


def attachment_add(
    *,
    exchange: Exchange,
    author,
    file: UploadedFile,
    caption_fr: str,
    caption_en: str = "",
    credit: str = "",
) -> Attachment:
    """Raises PermissionDenied, or ValidationError for a file too big or of the wrong type."""
    if not permissions.can_add_attachment(author, exchange):
        raise PermissionDenied(permissions.why_not_add_attachment())
    try:
        validate_attachment_file(file)
    except ValidationError as error:
        raise ValidationError({"file": error}) from None
    attachment = Attachment(
        exchange=exchange,
        file=file,
        caption_fr=caption_fr,
        caption_en=caption_en,
        credit=credit,
        original_name=(file.name or "")[-255:],
        content_type=sniff_content_type(read_head(file)) or "",
        size=file.size or 0,
        uploaded_by=author,
    )
    with transaction.atomic():
        attachment.full_clean()
        set_author(attachment, author)
        attachment.save()
    return attachment


def attachment_update(*, attachment: Attachment, author) -> Attachment:
    """Its caption and credit (the file itself is replaced by removing and adding)."""
    if not permissions.can_delete_attachment(author, attachment):
        raise PermissionDenied(permissions.why_not_delete_attachment())
    with transaction.atomic():
        attachment.full_clean()
        set_author(attachment, author)
        attachment.save()
    return attachment


def attachment_delete(*, attachment: Attachment, author) -> None:
    if not permissions.can_delete_attachment(author, attachment):
        raise PermissionDenied(permissions.why_not_delete_attachment())
    storage, name = attachment.file.storage, attachment.file.name
    with transaction.atomic():
        set_author(attachment, author)
        attachment.delete()
        transaction.on_commit(lambda: storage.delete(name))


def establishment_create(
    *,
    author,
    name_fr: str,
    kind: str,
    territory: Territory,
    town: str = "",
    strands: Iterable[Strand] = (),
) -> Establishment:
    """An officer adds an establishment of their own territory to the list visits pick from."""
    if not permissions.can_host(author, territory):
        raise PermissionDenied(permissions.why_not_host(territory))
    establishment = Establishment(name_fr=name_fr, kind=kind, territory=territory, town=town)
    with transaction.atomic():
        establishment.full_clean()
        with one_history_row(establishment, author=author, history_type="+"):
            establishment.save()
            establishment.strands.set(strands)
    return establishment


def exchange_values(exchange: Exchange) -> dict:
    """What an officer can change on a saved exchange, in the shape of `ExchangeValues`."""
    values = {name: getattr(exchange, name) for name in SCALAR_FIELDS}
    values.update({name: list(getattr(exchange, name).all()) for name in MANY_FIELDS})
    return values


def exchange_as_text(values) -> dict[str, str]:
    """Exchange values (saved or typed) as the text the history and the conflicts show."""
    text = {name: _as_text(values[name]) for name in SCALAR_FIELDS}
    for name in MANY_FIELDS:
        text[name] = "; ".join(sorted(str(item) for item in values[name]))
    return text


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)
