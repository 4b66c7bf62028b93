"""Telling the elected officials: when a new version of a restitution is published (its
editions rendered and stored), each elected official of the partnership's territories gets an
e-mail in their own language (their profile's), with links to the editions. Written by the task
worker (`reporting.versions.notify_new_edition`), queued once the version is done; each e-mail is
then sent by its own task (core/emails.py), keyed by the version and the official, so the task
run again writes and sends nothing twice. The same pattern as exchanges/notifications.py."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from core.emails import email_queue_from_templates
from partners.models import Partnership, Profile

from .models import RestitutionVersion


def elected_officials(partnership: Partnership) -> list:
    """Active elected officials with an e-mail address, of the partnership's territories."""
    return list(
        get_user_model()
        ._default_manager.filter(
            is_active=True,
            profile__role=Profile.Role.ELECTED_OFFICIAL,
            profile__territory__partnerships=partnership,
        )
        .exclude(email="")
        .select_related("profile")
        .distinct()
        .order_by("pk")
    )


def notify_elected_officials(*, version_id: int) -> int:
    """Queue one e-mail per elected official for a version done; returns how many. Nothing for
    a version not (or no longer) done."""
    version = (
        RestitutionVersion.objects.select_related("restitution__partnership")
        .filter(pk=version_id, status=RestitutionVersion.Status.DONE)
        .first()
    )
    if version is None:
        return 0
    restitution = version.restitution
    partnership = restitution.partnership
    officials = elected_officials(partnership)
    for official in officials:
        with translation.override(official.profile.language):
            html = reverse("restitution_detail", args=[restitution.year])
            pdf = reverse("restitution_pdf", args=[restitution.year])
            context = {
                "year": restitution.year,
                "partnership": partnership,
                "project": partnership.project_title,
                "version": version,
                "first": version.number == 1,
                "html_url": settings.SITE_URL + html,
                "pdf_url": settings.SITE_URL + pdf,
                "bilingual_url": settings.SITE_URL + pdf + "?edition=bilingual",
                "progress_url": settings.SITE_URL + reverse("progress"),
            }
            email_queue_from_templates(
                to=official.email,
                templates="reporting/emails/published",
                context=context,
                key=f"restitution-published:{version.pk}:user{official.pk}",
            )
    return len(officials)
