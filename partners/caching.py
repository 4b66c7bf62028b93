"""Figures and renderings computed from the observatory's content, kept in this process's
cache under the content's version: every write to the content (a save, a deletion, a change
of links) gives the version a new random token in the same transaction, so a process never
serves what was computed before a change, whichever process made it.

Pages read the version once per request: with the user (partners/backends.py), or else in one
small query (`current_version()`); a partnership read without it is computed afresh each
time."""

import functools
import hashlib
import uuid

from django.apps import AppConfig
from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import get_language

from .models import ContentVersion, Partnership

TIMEOUT = 24 * 3600  # old versions' entries are never read again: they only age out


def current_version():
    """The content's version now: one small query."""
    return ContentVersion.objects.order_by("pk").values_list("token", flat=True).first()


def version_of(request):
    """The version read with the request's user, or else now."""
    return getattr(request.user, "content_version", None) or current_version()


def cached(partnership: Partnership, name: str, *parts, compute):
    """compute(), or what it returned for these `parts` since the content last changed."""
    version = getattr(partnership, "content_version", None)
    return cached_at(version, name, partnership.pk, *parts, compute=compute)


def cached_at(version, name: str, *parts, compute):
    """compute(), or what it returned for these `parts` under this version of the content
    (always compute() when `version` is None). A None result is not kept."""
    if version is None:
        return compute()
    # Hashed: parts may be a whole address, of any length and with any character.
    given = "\x1f".join(map(str, (get_language(), *parts)))
    key = f"{name}:{version}:{hashlib.sha256(given.encode()).hexdigest()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value


def cached_by_content(function):
    """Decorates a read of `(partnership, *parts)` (positional, each readable as text) with
    `cached`: one entry per partnership, parts, language and content version."""
    name = f"{function.__module__}.{function.__qualname__}"

    @functools.wraps(function)
    def read(partnership: Partnership, *parts):
        return cached(partnership, name, *parts, compute=lambda: function(partnership, *parts))

    return read


def content_changed() -> None:
    """A new version: for writes that send no signal (QuerySet.update, bulk_create, COPY)."""
    if not ContentVersion.objects.update(token=uuid.uuid4()):
        ContentVersion.objects.create()


def watch(app: AppConfig, *, except_models: tuple[str, ...] = ()) -> None:
    """Every write to the models of `app` (but `except_models`, which no figure reads)
    changes the content's version. Called from each app's ready()."""
    for model in app.get_models():
        if model.__name__ in except_models or model is ContentVersion:
            continue
        uid = f"content-version:{model._meta.label}"
        post_save.connect(_saved, sender=model, dispatch_uid=f"{uid}:save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}:delete")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(_links_changed, sender=through, dispatch_uid=f"{uid}:{field.name}")


def watch_people() -> None:
    """People's names are shown with what they wrote: a change of a user changes the content,
    their logging in (which saves `last_login` alone) does not."""
    user = settings.AUTH_USER_MODEL
    post_save.connect(_person_saved, sender=user, dispatch_uid="content-version:user:save")
    post_delete.connect(_changed, sender=user, dispatch_uid="content-version:user:delete")


def _person_saved(sender, raw=False, update_fields=None, **kwargs) -> None:
    if update_fields != {"last_login"}:
        _saved(sender, raw=raw)


def _saved(sender, raw=False, **kwargs) -> None:
    # loaddata's rows (raw) leave the version alone, or a restore would write it once a row:
    # whoever loads calls content_changed() once at the end (reporting.backup.backup_restore).
    if not raw:
        content_changed()


def _changed(sender, **kwargs) -> None:
    content_changed()


def _links_changed(sender, action, **kwargs) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        content_changed()
