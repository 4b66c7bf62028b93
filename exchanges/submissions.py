"""Each sending of a form is saved once. A form carries a key drawn when it is shown (or when an
item enters a phone's outbox); the service that saves records the key in the same transaction
as what it saves. A second request with the same key (a double click, a retry after an answer
lost on the way back, an outbox sending again after a dropped connection) finds the key and is
given the first request's result: nothing is saved twice.

Two requests with the same key at the same moment: the second one's insert of the key waits
for the first transaction (unique constraint), then fails; its own writes roll back and it
answers with the first one's result."""

import uuid

from django.db import IntegrityError, transaction

from .models import Exchange, SubmissionKey


class AlreadySaved(Exception):
    """This key was saved before: `previous` says what it saved."""

    def __init__(self, previous: SubmissionKey):
        super().__init__("already saved")
        self.previous = previous


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


def record_submission(
    *, key: uuid.UUID | None, user, kind: str, exchange: Exchange, object_id: int
) -> None:
    """Called by a service inside its transaction, after its writes. Raises AlreadySaved (which
    rolls those writes back) if the same key was saved meanwhile."""
    if key is None:
        return
    try:
        with transaction.atomic():
            SubmissionKey.objects.create(
                key=key, user=user, kind=kind, exchange=exchange, object_id=object_id
            )
    except IntegrityError:
        previous = previous_submission(key, user)
        if previous is None:  # not a duplicate key: let the error be seen
            raise
        raise AlreadySaved(previous) from None
