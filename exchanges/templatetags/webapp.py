"""{% webapp_config as config %}: what static/js/outbox.js needs to know on every page (who is
signed in, where things are) and the sentences it shows, translated here."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .. import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def webapp_config(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    member = bool(
        user and user.is_authenticated and permissions.refusal_to_read_exchanges(user) is None
    )
    config = {"worker": reverse("service_worker"), "language": get_language(), "user": None}
    if not member:
        return config
    config.update(
        user=user.pk,
        outbox=reverse("exchange_outbox"),
        account=reverse("exchange_outbox_account"),
        attachmentMaxBytes=settings.ATTACHMENT_MAX_BYTES,
        # Kept for use without a connection as soon as a member opens any page.
        warm=[reverse("exchange_outbox"), reverse("exchange_list")]
        + ([] if permissions.refusal_to_create_exchange(user) else [reverse("exchange_create")]),
        text={
            "title": _("On this device"),
            "offline": _(
                "No connection: what you save is kept on this device and sent when the "
                "connection returns."
            ),
            "kept": _("Kept on this device: it will be sent when the connection returns."),
            "waiting": _("Waiting to be sent"),
            "sending": _("Sending…"),
            "sent": _("Sent"),
            "refused": _("Refused"),
            "conflict": _("In conflict"),
            "waitsFor": _("Will be sent after “%(label)s”."),
            "loginAgain": _("Log in again to send it: it stays on this device until then."),
            "otherAccount": _(
                "Made under another account: it will be sent when its author logs in again."
            ),
            "othersWaiting": _(
                "%(count)s item(s) on this device wait for another account: they will be sent "
                "when that person logs in again on this device."
            ),
            "reasonUnknown": _("The server refused it (error %(status)s)."),
            "conflictReason": _(
                "Someone saved this meanwhile. Compare the two versions to choose what to keep."
            ),
            "correct": _("Open it to correct"),
            "compare": _("Compare the two versions"),
            "open": _("Open"),
            "remove": _("Delete from this device"),
            "confirmRemove": _(
                "Delete “%(label)s” from this device? What it holds has not been saved on the "
                "server and will be lost."
            ),
            "confirmLogout": _(
                "%(count)s item(s) on this device are not sent yet. Logging out deletes them "
                "from this device. Log out anyway?"
            ),
            "exchange": _("Exchange “%(label)s”"),
            "crossView": _("Cross view: “%(label)s”"),
            "photo": _("Photo: “%(label)s”"),
            "document": _("Document: “%(label)s”"),
            # The validator's own sentence (exchanges/validators.py), with sizes in megabytes.
            "tooBig": _("This file weighs %(size)s: attachments can weigh at most %(limit)s."),
            "megabytes": _("%(size)s MB"),
            "preparingFile": _("Preparing the file…"),
            "changes": _("Changes to “%(label)s”"),
            "policyChange": _("Change on the territory: “%(label)s”"),
            "preparing": _("Preparing the photo…"),
            "progress": _("Sending progress"),
            "notKept": _(
                "This page is not kept on this device for use without a connection. Here is "
                "what is."
            ),
            "noRecent": _("No exchange opened on this device yet."),
            "nothingPending": _("Nothing waits to be sent: everything is on the server."),
        },
    )
    return config
