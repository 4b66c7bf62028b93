"""What each territory changed in its own policy or practice thanks to the cross view.

Exchanges' concern: a change names the exchanges that led to it (and the paired questionings
and lines of action it answers), so it lives beside them (docs/architecture.md). Kept out of
models.py to keep that module small; models.py imports this one so that Django finds them."""

import uuid
from datetime import MINYEAR, date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.limits import long_text_validators
from observatory.models import Questioning, WorkTrack
from partners.models import Partnership, Territory

from .validators import ACCEPTED_TYPES, content_type_of


def evidence_upload_to(instance: "PolicyChange", filename: str) -> str:
    """A name nobody can guess or choose, with the extension of the type read from the
    content: the original name is kept in the database only."""
    content_type = instance.evidence_content_type or content_type_of(instance.evidence)
    extension = ACCEPTED_TYPES.get(content_type, "bin")
    return f"changes/{instance.territory_id}/{uuid.uuid4().hex}.{extension}"


class PolicyChange(models.Model):
    """A change in a territory's social policy or practice, recorded by that territory's
    officers: the measurable return of the cross view."""

    class Stage(models.TextChoices):
        ENVISAGED = "envisaged", _("Envisaged")
        DECIDED = "decided", _("Decided")
        IN_PLACE = "in_place", _("In place")
        EVALUATED = "evaluated", _("Evaluated")

    class Origin(models.TextChoices):
        OTHER = "other", _("The other territory")
        BOTH = "both", _("Both territories together")
        OWN = "own", _("Our own territory")

    #: The origins that make a change one "thanks to the other" (docs/reciprocity.md).
    THANKS_TO_THE_OTHER = (Origin.OTHER, Origin.BOTH)

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.PROTECT,
        related_name="policy_changes",
        verbose_name=_("partnership"),
    )
    territory = models.ForeignKey(
        Territory,
        on_delete=models.PROTECT,
        related_name="policy_changes",
        verbose_name=_("territory that changed"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, validators=long_text_validators())
    date = models.DateField(_("date"), help_text=_("When the change reached its stage."))
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    origin = models.CharField(_("where the idea came from"), max_length=16, choices=Origin.choices)
    questionings = models.ManyToManyField(
        Questioning,
        related_name="policy_changes",
        blank=True,
        verbose_name=_("paired questionings it answers"),
    )
    work_tracks = models.ManyToManyField(
        WorkTrack,
        related_name="policy_changes",
        blank=True,
        verbose_name=_("lines of action it answers"),
    )
    exchanges = models.ManyToManyField(
        "exchanges.Exchange",
        related_name="policy_changes",
        blank=True,
        verbose_name=_("exchanges that led to it"),
    )
    evidence = models.FileField(
        _("evidence (document or photo)"), upload_to=evidence_upload_to, blank=True
    )
    evidence_content_type = models.CharField(
        _("evidence content type"), max_length=100, blank=True, editable=False
    )
    evidence_name = models.CharField(
        _("evidence original file name"), max_length=255, blank=True, editable=False
    )
    decision_reference = models.CharField(
        _("decision reference"),
        max_length=300,
        blank=True,
        help_text=_("E.g. the number and date of the council's deliberation."),
    )
    people_reached = models.PositiveIntegerField(
        _("people it reaches"), null=True, blank=True, help_text=_("Leave empty if not known.")
    )
    illustrative = models.BooleanField(
        _("illustrative"),
        default=False,
        help_text=_("Demonstration content, not a real change: shown as such."),
    )

    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last changed by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed at"), auto_now=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("change on a territory")
        verbose_name_plural = _("changes on the territories")
        indexes = [
            models.Index(fields=["partnership", "date"], name="policy_change_by_date"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def thanks_to_the_other(self) -> bool:
        return self.origin in self.THANKS_TO_THE_OTHER

    def clean(self) -> None:
        errors = {}
        latest = timezone.localdate() + timedelta(days=366)
        since = self.partnership.since_year if self.partnership_id else None
        if self.date and self.date > latest:
            errors["date"] = _("This date is more than a year ahead: check the year.")
        elif self.date and since and self.date < date(max(since, MINYEAR), 1, 1):
            errors["date"] = _(
                "This date is before the partnership began, in %(year)s: check the year."
            ) % {"year": since}
        if (
            self.partnership_id
            and self.territory_id
            and not self.partnership.territories.filter(pk=self.territory_id).exists()
        ):
            errors["territory"] = _("This territory does not take part in the partnership.")
        if errors:
            raise ValidationError(errors)


class ChangeSubmission(models.Model):
    """One sending of the change form (a form as opened, or an outbox item): saved once, as
    SubmissionKey does for exchanges (exchanges/submissions.py). A table of its own because a
    SubmissionKey names the exchange it saved, and a change may name none."""

    key = models.UUIDField(_("key"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    change = models.ForeignKey(
        PolicyChange, on_delete=models.CASCADE, related_name="+", verbose_name=_("change")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("change submission key")
        verbose_name_plural = _("change submission keys")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_change_submission_per_key")
        ]

    def __str__(self) -> str:
        return str(self.key)
