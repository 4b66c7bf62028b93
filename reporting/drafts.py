"""Draft editions (PDF, and HTML for a large year): asked for in a web request, rendered by the
task worker (WeasyPrint takes tens of seconds for a large year; the HTML of 500 exchanges
several), then downloaded or read. At most `RESTITUTION_RENDERS_AT_ONCE` are in progress on the
site, and one per user; asking again for a draft being rendered gets that one.

Each request renders anew from the data as it is then: nothing cheap tells whether a year's
exchanges, cross views, observatory or partners changed since the last rendering."""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Length
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.tasks import task
from exchanges.models import CrossView
from exchanges.selectors import exchanges_of

from . import document
from .content import restitution_content
from .models import DraftRendering, Format, Restitution

logger = logging.getLogger(__name__)

# A rendering waiting or rendering for longer than this is given up (worker stopped or stuck),
# which frees its place. A year of 500 exchanges renders in about 25 s on two cores.
DRAFT_STALE_AFTER = timedelta(minutes=10)
# Rendered drafts are removed, file and row, a day after they are done.
DRAFTS_KEPT_FOR = timedelta(days=1)
# What a refused request tells the browser: try again in this many seconds.
RETRY_AFTER_SECONDS = 30

ABANDONED = gettext_lazy("Abandoned: the rendering did not finish in time.")

# A draft's HTML is rendered in the request only when its year is small enough that this costs
# well under a second, whatever is in it; else by the worker like a PDF. Measured on two cores
# (the HTML of an edition, the data read included): about 0.15 s fixed, 1.5 ms per exchange
# and 0.4 µs per character of text in the bilingual edition (the costliest). Below both bounds
# the bilingual HTML takes about 0.4 s; a server five times slower stays under 2 s.
IN_REQUEST_MAX_EXCHANGES = 100
IN_REQUEST_MAX_CHARACTERS = 300_000


def _length(*fields: str):
    total = Value(0)
    for field in fields:
        total = total + Coalesce(Length(field), 0)
    return total


def draft_size(restitution: Restitution) -> tuple[int, int]:
    """The year's exchanges and the characters of every text its draft shows."""
    cross_views = (
        CrossView.objects.filter(exchange=OuterRef("pk"))
        .order_by()  # CrossView's ordering would group by territory: one row per exchange
        .values("exchange")
        .annotate(total=Sum(_length("text_fr", "text_en")))
        .values("total")
    )
    sizes = (
        exchanges_of(restitution.partnership, restitution.year)
        .annotate(
            own=_length(
                "title_fr", "title_en", "summary_fr", "summary_en", "follow_up_fr", "follow_up_en"
            ),
            views=Coalesce(Subquery(cross_views, output_field=IntegerField()), 0),
        )
        .aggregate(count=Count("pk"), characters=Sum("own") + Sum("views"))
    )
    editorial = sum(
        len(getattr(restitution, f"{field}_{language}") or "")
        for field in ("introduction", "conclusion", "data_notice")
        for language in ("fr", "en")
    )
    return sizes["count"], (sizes["characters"] or 0) + editorial


def draft_html_is_small(restitution: Restitution) -> bool:
    """Whether the draft's HTML may be rendered in the request: the year has at most
    IN_REQUEST_MAX_EXCHANGES exchanges and their texts (titles, summaries, follow-ups, cross
    views, both languages) with the restitution's own make at most IN_REQUEST_MAX_CHARACTERS.
    One aggregate query, whose cost grows with the year's rows but reads no text into Python
    (each text is capped at core.limits.LONG_TEXT_MAX, and the count of characters bounds
    what rendering them costs). Everything else a restitution shows (partners, strands,
    questionings, funding) is partnership-wide reference data of a few dozen rows."""
    exchanges, characters = draft_size(restitution)
    return exchanges <= IN_REQUEST_MAX_EXCHANGES and characters <= IN_REQUEST_MAX_CHARACTERS


class DraftRenderingRefused(Exception):
    """Too many draft PDFs in progress, on the site or for this user; nothing was enqueued."""

    def __init__(self, message: str, *, retry_after: int = RETRY_AFTER_SECONDS):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


def draft_rendering_request(
    *, restitution: Restitution, edition: str, user: AbstractBaseUser, format: str = Format.PDF
) -> DraftRendering:
    """The rendering of this draft's edition in progress, or a new one enqueued for the worker.
    Raises DraftRenderingRefused over a limit. The limits hold under concurrent requests: each
    rendering in progress holds one of the numbered places (a partial unique index), and
    a user or a draft has at most one rendering in progress (two more)."""
    draft_renderings_give_up_stale()
    limit = settings.RESTITUTION_RENDERS_AT_ONCE
    in_progress = DraftRendering.objects.filter(status__in=DraftRendering.IN_PROGRESS)
    for _attempt in range(limit + 3):
        same = in_progress.filter(restitution=restitution, edition=edition, format=format)
        if (same := same.first()) is not None:
            return same
        if in_progress.filter(requested_by=user).exists():
            raise DraftRenderingRefused(
                _(
                    "You already have a PDF being prepared. Wait until it is ready, "
                    "then ask for this one."
                )
                if format == Format.PDF
                else _(
                    "You already have a draft being prepared. Wait until it is ready, "
                    "then ask for this one."
                )
            )
        taken = set(in_progress.values_list("slot", flat=True))
        free = [slot for slot in range(1, limit + 1) if slot not in taken]
        if not free:
            break
        try:
            with transaction.atomic():
                rendering = DraftRendering.objects.create(
                    restitution=restitution,
                    edition=edition,
                    format=format,
                    requested_by=user,
                    slot=free[0],
                )
        except IntegrityError:
            continue  # another request took that place or asked for the same draft: look again
        _enqueue(rendering)
        rendering.refresh_from_db()
        return rendering
    raise DraftRenderingRefused(
        _("Too many PDFs are being prepared right now. Try again in a minute.")
        if format == Format.PDF
        else _("Too many drafts are being prepared right now. Try again in a minute.")
    )


def _enqueue(rendering: DraftRendering) -> None:
    try:
        result = render_draft_pdf.enqueue(rendering.pk)
    except Exception:
        _finish(rendering.pk, status=DraftRendering.Status.FAILED, error="not enqueued")
        raise
    DraftRendering.objects.filter(pk=rendering.pk).update(task_id=str(result.id))


def draft_rendering_render(*, rendering_id: int) -> DraftRendering | None:
    """The worker's side: render the draft's edition from the data as it is now and store it.
    Does nothing for a rendering given up meanwhile (None). A rendering a dead worker left
    half done is rendered again (core/workers.py)."""
    draft_renderings_give_up_stale()
    started = DraftRendering.objects.filter(
        pk=rendering_id, status__in=DraftRendering.IN_PROGRESS
    ).update(status=DraftRendering.Status.RENDERING, started_at=timezone.now(), progress=10)
    if not started:
        return None
    rendering = DraftRendering.objects.select_related("restitution__partnership").get(
        pk=rendering_id
    )
    restitution = rendering.restitution
    try:
        content = restitution_content(restitution)
        DraftRendering.objects.filter(pk=rendering.pk).update(progress=30)
        data = document.render_edition(content, edition=rendering.edition, format=rendering.format)
        stem = f"{restitution.partnership.slug}-{restitution.year}-{rendering.edition}-draft"
        name = f"{stem}.{rendering.format}"
        rendering.file.save(name, ContentFile(data), save=False)
    except Exception as error:
        logger.exception("Rendering the draft %s failed", rendering.pk)
        _finish(rendering.pk, status=DraftRendering.Status.FAILED, error=repr(error)[:2000])
        raise
    if not _finish(rendering.pk, status=DraftRendering.Status.DONE, file=rendering.file.name):
        rendering.file.delete(save=False)  # given up while rendering: nobody waits for it
    draft_renderings_forget_old()
    rendering.refresh_from_db()
    return rendering


def _finish(pk: int, *, status: str, **fields) -> bool:
    """Ends a rendering still in progress; False if it had already ended (given up)."""
    progress = 100 if status == DraftRendering.Status.DONE else 0
    return bool(
        DraftRendering.objects.filter(pk=pk, status__in=DraftRendering.IN_PROGRESS).update(
            status=status, progress=progress, finished_at=timezone.now(), **fields
        )
    )


def draft_renderings_give_up_stale() -> int:
    """Renderings waiting or running for longer than DRAFT_STALE_AFTER fail, freeing their
    places. Called by each request and each task: no scheduler needed."""
    limit = timezone.now() - DRAFT_STALE_AFTER
    waiting = DraftRendering.objects.filter(
        status=DraftRendering.Status.PENDING, requested_at__lt=limit
    )
    running = DraftRendering.objects.filter(
        status=DraftRendering.Status.RENDERING, started_at__lt=limit
    )
    return sum(
        stale.update(
            status=DraftRendering.Status.FAILED,
            error=str(ABANDONED),
            finished_at=timezone.now(),
        )
        for stale in (waiting, running)
    )


def draft_renderings_forget_old() -> None:
    """Rendered or failed drafts older than DRAFTS_KEPT_FOR go, with their files."""
    old = DraftRendering.objects.filter(
        status__in=[DraftRendering.Status.DONE, DraftRendering.Status.FAILED],
        finished_at__lt=timezone.now() - DRAFTS_KEPT_FOR,
    )
    for rendering in old:
        if rendering.file:
            rendering.file.delete(save=False)
        rendering.delete()


@task()
def render_draft_pdf(rendering_id: int) -> None:
    """The worker's entry point for a draft asked for in a request."""
    draft_rendering_render(rendering_id=rendering_id)
