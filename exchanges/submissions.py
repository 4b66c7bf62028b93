"""Each sending of a form is saved once. A form carries a key drawn when it is shown (or when an
item enters a phone's outbox); the service that saves records the key in the same transaction
as what it saves, with the kind of form and its target (`target`: the partnership of a new
exchange, the exchange changed, the exchange and territory of a cross view, the exchange a file
is added to). A second request with the same key for the same kind and target (a double click,
a retry after an answer lost on the way back, an outbox sending again after a dropped
connection) finds the key and is given the first request's result: nothing is saved twice. The
same key sent by another form (another kind or target) is refused, visibly (`KeyReused`): its
data would otherwise be dropped in silence.

Two requests with the same key at the same moment: the second one's insert of the key waits
for the first transaction (unique constraint), then fails; its own writes roll back and it
answers with the first one's result. If the second one met the first one's save as an edit
conflict instead (the version changed under it), the view looks for the key again before
answering "conflict" (exchanges/writes.py).

Keys are kept `KEPT_FOR` (an outbox retries for days at most), then pruned by
`prune_submission_keys` (`manage.py prune_submission_keys`, run daily)."""

import datetime
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Exchange, SubmissionKey

#: How long a key is remembered: a phone's outbox sends again within this time.
KEPT_FOR = datetime.timedelta(days=30)


class AlreadySaved(Exception):
    """This key was saved before: `previous` says what it saved."""

    def __init__(self, previous: SubmissionKey):
        super().__init__("already saved")
        self.previous = previous


class KeyReused(Exception):
    """This key was saved before by another form (another kind or target): nothing is saved
    and nothing is answered as if it had been."""

    def __init__(self, previous: SubmissionKey):
        super().__init__("submission key reused for another form")
        self.previous = previous


def target(*parts) -> str:
    """What a sending is about, as stored with its key: model instances by id, joined."""
    return "/".join(str(getattr(part, "pk", part)) for part in parts)


def parse_key(value) -> uuid.UUID | None:
    """A key as a form posts it; anything else (absent, malformed) means no key."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def previous_submission(key: uuid.UUID | None, user) -> SubmissionKey | None:
    if key is None or not getattr(user, "is_authenticated", False):
        return None
    return SubmissionKey.objects.filter(user=user, key=key).select_related("exchange").first()


def same_form(previous: SubmissionKey, *, kind: str, target: str) -> bool:
    return previous.kind == kind and previous.target == target


def earlier(previous: SubmissionKey, *, kind: str, target: str) -> Exception:
    """The error a second sending of `previous`'s key meets: AlreadySaved by the same form,
    KeyReused by another."""
    if same_form(previous, kind=kind, target=target):
        return AlreadySaved(previous)
    return KeyReused(previous)


def record_submission(
    *,
    key: uuid.UUID | None,
    user,
    kind: str,
    target: str,
    exchange: Exchange,
    object_id: int,
) -> None:
    """Called by a service inside its transaction, after its writes. Raises AlreadySaved (or
    KeyReused), which rolls those writes back, if the same key was saved meanwhile."""
    if key is None:
        return
    try:
        with transaction.atomic():
            SubmissionKey.objects.create(
                key=key,
                user=user,
                kind=kind,
                target=target,
                exchange=exchange,
                object_id=object_id,
            )
    except IntegrityError:
        previous = previous_submission(key, user)
        if previous is None:  # not a duplicate key: let the error be seen
            raise
        raise earlier(previous, kind=kind, target=target) from None


def prune_submission_keys(*, now: datetime.datetime | None = None) -> int:
    """Forget the keys older than KEPT_FOR; how many were removed."""
    limit = (now or timezone.now()) - KEPT_FOR
    deleted, _ = SubmissionKey.objects.filter(created_at__lt=limit).delete()
    return deleted
