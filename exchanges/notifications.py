"""Telling the other side: when an exchange is logged or changed, the officers of the
partnership's other territories get an email in their own language (their profile's), with a
link to the exchange and to their side of the cross view. Written by the task worker
(`exchanges.tasks.notify_other_side`), never in the request; each e-mail is then sent by its
own task (core/emails.py), so one refused address does not hold back the others, and a run
again after a worker was killed writes and sends nothing twice."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from core.emails import email_queue_from_templates
from partners.models import Profile
from partners.roles import territory_of

from .models import CrossView, Exchange

LOGGED = "logged"
CHANGED = "changed"


def other_side_officers(exchange: Exchange, author) -> list:
    """Active officers with an email address, of the partnership's territories other than the
    author's (all of them when an administrator wrote)."""
    own = territory_of(author) if author is not None else None
    officers = (
        get_user_model()
        ._default_manager.filter(
            is_active=True,
            profile__role=Profile.Role.OFFICER,
            profile__territory__partnerships=exchange.partnership_id,
        )
        .exclude(email="")
        .select_related("profile__territory")
        .order_by("pk")
    )
    if own is not None:
        officers = officers.exclude(profile__territory=own)
    return list(officers)


def notify_other_side(
    *, exchange_id: int, author_id: int | None, event: str, version: int | None = None
) -> int:
    """Queue one e-mail per officer of the other side; returns how many. Nothing for an
    exchange deleted meanwhile. Each e-mail is keyed by the exchange's `version` the event made
    (the one read now when not given), the event and the officer: the task run again queues
    nothing new."""
    exchange = (
        Exchange.objects.active()
        .select_related("host_territory", "visiting_territory")
        .filter(pk=exchange_id)
        .first()
    )
    if exchange is None:
        return 0
    author = (
        get_user_model()._default_manager.select_related("profile__territory").get(pk=author_id)
        if author_id
        else None
    )
    written = set(
        CrossView.objects.filter(exchange=exchange).values_list("territory_id", flat=True)
    )
    author_name = (author.get_full_name() or author.get_username()) if author else ""
    author_territory = territory_of(author) if author else None
    version = exchange.version if version is None else version
    officers = other_side_officers(exchange, author)
    for officer in officers:
        territory = officer.profile.territory
        with translation.override(officer.profile.language):
            context = {
                "event": event,
                "exchange": exchange,
                "one_day": exchange.start_date == exchange.end_date,
                "author": author_name,
                "author_territory": author_territory,
                "territory": territory,
                "written": territory.pk in written,
                "exchange_url": settings.SITE_URL
                + reverse("exchange_detail", kwargs={"pk": exchange.pk}),
                "cross_view_url": settings.SITE_URL
                + reverse(
                    "exchange_cross_view",
                    kwargs={"pk": exchange.pk, "territory": territory.slug},
                ),
                "to_write_url": settings.SITE_URL + reverse("exchange_to_write"),
            }
            email_queue_from_templates(
                to=officer.email,
                templates="exchanges/emails/notice",
                context=context,
                key=f"exchange-{event}:{exchange.pk}:v{version}:user{officer.pk}",
            )
    return len(officers)
