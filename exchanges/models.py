"""Field visits, workshops and other exchanges between the partner territories."""

import uuid
from datetime import MINYEAR, date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.illustrative import illustrative_field
from core.limits import long_text_validators
from observatory.models import Questioning, Recommendation, Strand
from partners.models import Partnership, Territory

from .validators import ACCEPTED_TYPES, attachment_upload_to, validate_attachment_file


class EstablishmentKind(models.Model):
    """A kind of social establishment or service, as the partner countries name them: French
    ones (EHPAD, IME, ESAT…) and Senegalese ones (CPRS, case des tout-petits, community-based
    rehabilitation…). Content, not code: administrators add the kinds their officers meet,
    each in French and English (django-modeltranslation), without waiting for a release."""

    slug = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(pgettext_lazy("kind", "name"), max_length=160)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("kind of establishment")
        verbose_name_plural = _("kinds of establishment")

    def __str__(self) -> str:
        return self.name


class Establishment(models.Model):
    """A social establishment or service that exchanges visit."""

    name = models.CharField(pgettext_lazy("place", "name"), max_length=200)
    kind = models.ForeignKey(
        EstablishmentKind,
        on_delete=models.PROTECT,
        related_name="establishments",
        verbose_name=_("kind"),
    )
    territory = models.ForeignKey(
        Territory,
        on_delete=models.PROTECT,
        related_name="establishments",
        verbose_name=_("territory"),
    )
    town = models.CharField(_("town"), max_length=120, blank=True)
    strands = models.ManyToManyField(
        Strand, related_name="establishments", blank=True, verbose_name=_("strands")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("establishment")
        verbose_name_plural = _("establishments")

    def __str__(self) -> str:
        return self.name


#: An exchange is planned at most this far ahead: a later date is a typing error.
MAX_DAYS_AHEAD = 366


class ExchangeQuerySet(models.QuerySet):
    def active(self) -> "ExchangeQuerySet":
        """Exchanges not deleted. Deleting is soft, so an administrator can undo it."""
        return self.filter(deleted_at__isnull=True)


class Exchange(models.Model):
    class Kind(models.TextChoices):
        FIELD_VISIT = "field_visit", _("Field visit")
        WORKSHOP = "workshop", _("Workshop")
        TERRITORIAL_DIAGNOSTIC = "territorial_diagnostic", _("Territorial diagnostic")
        AWARENESS_SESSION = "awareness_session", _("Awareness session for elected officials")
        RESTITUTION_EVENT = "restitution_event", _("Restitution event")
        REMOTE_MEETING = "remote_meeting", _("Remote meeting")

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.PROTECT,
        related_name="exchanges",
        verbose_name=_("partnership"),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    # Long texts are capped at a size a person writes (core/limits.py), in both languages.
    summary = models.TextField(_("summary"), blank=True, validators=long_text_validators())
    follow_up = models.TextField(
        _("follow-up actions"), blank=True, validators=long_text_validators()
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    host_territory = models.ForeignKey(
        Territory,
        on_delete=models.PROTECT,
        related_name="hosted_exchanges",
        verbose_name=_("host territory"),
    )
    visiting_territory = models.ForeignKey(
        Territory,
        on_delete=models.PROTECT,
        related_name="visiting_exchanges",
        null=True,
        blank=True,
        verbose_name=_("visiting delegation's territory"),
        help_text=_("Leave empty for a local exchange."),
    )
    strands = models.ManyToManyField(
        Strand, related_name="exchanges", blank=True, verbose_name=_("strands")
    )
    questionings = models.ManyToManyField(
        Questioning, related_name="exchanges", blank=True, verbose_name=_("questionings")
    )
    recommendations = models.ManyToManyField(
        Recommendation, related_name="exchanges", blank=True, verbose_name=_("recommendations")
    )
    establishments = models.ManyToManyField(
        Establishment,
        related_name="exchanges",
        blank=True,
        verbose_name=_("establishments visited"),
    )
    elected_officials_count = models.PositiveIntegerField(_("elected officials"), default=0)
    technical_staff_count = models.PositiveIntegerField(_("technical staff"), default=0)
    professionals_met_count = models.PositiveIntegerField(_("professionals met"), default=0)
    illustrative = illustrative_field()

    # Optimistic locking: a save must name the version it was based on.
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
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("deleted by"),
    )

    objects = ExchangeQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("exchange")
        verbose_name_plural = _("exchanges")
        indexes = [
            models.Index(fields=["-start_date", "-id"], name="exchange_newest_first"),
            # A partnership's active exchanges, newest first: the list and its filters, keyset
            # pages, a year's figures and restitution. Deleted rows stay out of it.
            models.Index(
                fields=["partnership", "-start_date", "-id"],
                condition=models.Q(deleted_at__isnull=True),
                name="exchange_active_newest_first",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_local(self) -> bool:
        """No delegation travelled: the host territory's own people met."""
        return self.visiting_territory_id in (None, self.host_territory_id)

    #: Fields shown on one line (lists, the CSV, the PDF's headings): typed or pasted line
    #: breaks, tabs and runs of spaces become one space.
    SINGLE_LINE_FIELDS = ("title_fr", "title_en", "place")

    def clean(self) -> None:
        for field in self.SINGLE_LINE_FIELDS:
            value = getattr(self, field)
            if value:
                setattr(self, field, " ".join(value.split()))
        errors = {}
        latest = timezone.localdate() + timedelta(days=MAX_DAYS_AHEAD)
        too_far = _(
            "This date is too far in the future: an exchange can be logged up to one year "
            "ahead, until %(latest)s."
        ) % {"latest": date_format(latest, "SHORT_DATE_FORMAT")}
        # Nothing is exchanged before the partnership began: an earlier date is a typing error
        # (year 1, 0216 for 2016), and pages that list the years must not see it.
        since = self.partnership.since_year if self.partnership_id else None
        earliest = date(max(since, MINYEAR), 1, 1) if since else None
        too_early = _("This date is before the partnership began, in %(year)s: check the year.") % {
            "year": since
        }
        if self.start_date and self.start_date > latest:
            errors["start_date"] = too_far
        elif self.start_date and earliest and self.start_date < earliest:
            errors["start_date"] = too_early
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The exchange cannot end before it starts.")
        elif self.end_date and self.end_date > latest:
            errors["end_date"] = too_far
        elif self.end_date and earliest and self.end_date < earliest:
            errors["end_date"] = too_early
        if errors:
            raise ValidationError(errors)


class CrossView(models.Model):
    """What one partner territory takes away from an exchange."""

    exchange = models.ForeignKey(
        Exchange, on_delete=models.CASCADE, related_name="cross_views", verbose_name=_("exchange")
    )
    territory = models.ForeignKey(
        Territory, on_delete=models.PROTECT, related_name="cross_views", verbose_name=_("territory")
    )
    text = models.TextField(_("what this territory takes away"), validators=long_text_validators())
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last changed by"),
    )
    updated_at = models.DateTimeField(_("last changed at"), auto_now=True)

    class Meta:
        ordering = ["territory__slug"]
        verbose_name = _("cross view")
        verbose_name_plural = _("cross views")
        constraints = [
            models.UniqueConstraint(
                fields=["exchange", "territory"], name="one_cross_view_per_territory"
            )
        ]

    def __str__(self) -> str:
        return f"{self.exchange} — {self.territory}"


class Attachment(models.Model):
    """A photo or a document of an exchange. Its type is checked from its content, not its name."""

    exchange = models.ForeignKey(
        Exchange, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("exchange")
    )
    file = models.FileField(
        _("file"), upload_to=attachment_upload_to, validators=[validate_attachment_file]
    )
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    credit = models.CharField(
        _("credit"), max_length=200, blank=True, help_text=_("Who took the photo or wrote it.")
    )
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, editable=False)
    size = models.PositiveIntegerField(_("size in bytes"), editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # Photos only: a small JPEG for the exchange's page, the stored photo's size in pixels, and
    # whether it illustrates the annual restitution (with its credit).
    thumbnail = models.FileField(_("thumbnail"), blank=True, editable=False)
    width = models.PositiveIntegerField(_("width in pixels"), null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(
        _("height in pixels"), null=True, blank=True, editable=False
    )
    for_restitution = models.BooleanField(
        _("for the restitution"),
        default=False,
        help_text=_("The photo illustrates the year's restitution, with its caption and credit."),
    )

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.caption or self.original_name or self.file.name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def type_label(self) -> str:
        """ "PDF", "DOCX", "ODS"…: the kind of document as officers name it."""
        return ACCEPTED_TYPES.get(self.content_type, "").upper()


class SubmissionKey(models.Model):
    """One sending of a form (a form as it was opened, or an item of a phone's outbox): the
    first request that carries the key saves, any later one (a double click, a retry after an
    answer lost on the way back) is given the same result and saves nothing."""

    class Kind(models.TextChoices):
        EXCHANGE_CREATE = "exchange_create", _("new exchange")
        EXCHANGE_UPDATE = "exchange_update", _("changes to an exchange")
        CROSS_VIEW = "cross_view", _("cross view")
        ATTACHMENT = "attachment", _("attachment")

    key = models.UUIDField(_("key"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    #: What the form was about (submissions.target): the same key sent by another form (another
    #: kind or another target) is refused, never answered with this one's result.
    target = models.CharField(_("target"), max_length=64, blank=True)
    exchange = models.ForeignKey(
        Exchange, on_delete=models.CASCADE, related_name="+", verbose_name=_("exchange")
    )
    object_id = models.PositiveBigIntegerField(_("saved object"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("submission key")
        verbose_name_plural = _("submission keys")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_submission_per_key"),
        ]
        indexes = [models.Index(fields=["created_at"], name="submission_key_created")]

    def __str__(self) -> str:
        return str(self.key)


class UploadSession(models.Model):
    """A document on its way in pieces from a phone's outbox (exchanges/uploads.py): who sends
    it, to which exchange, its declared name, size and fingerprint, and how many of its bytes
    the server holds. The pieces wait in the storage until the last one arrives; then the file
    goes through the attachment form and service like any other, and the session goes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    exchange = models.ForeignKey(
        Exchange, on_delete=models.CASCADE, related_name="+", verbose_name=_("exchange")
    )
    #: The outbox item's submission key: sending it again finds this session (and resumes).
    submission_key = models.UUIDField(_("submission key"))
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("declared content type"), max_length=120, blank=True)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    received = models.PositiveBigIntegerField(_("bytes received"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last piece at"), auto_now=True)

    class Meta:
        verbose_name = _("document being sent")
        verbose_name_plural = _("documents being sent")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "submission_key"], name="one_upload_per_submission"
            ),
        ]
        indexes = [models.Index(fields=["updated_at"], name="upload_session_updated")]

    def __str__(self) -> str:
        return self.name


# The changes on the territories, in a module of their own, registered with the app's models.
from .change_models import ChangeSubmission, PolicyChange  # noqa: E402, F401
