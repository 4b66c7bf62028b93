"""Field visits, workshops and other exchanges between the partner territories."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from observatory.models import Questioning, Recommendation, Strand
from partners.models import Partnership, Territory


class Establishment(models.Model):
    """A social establishment or service that exchanges visit."""

    class Kind(models.TextChoices):
        EHPAD = "ehpad", _("Nursing home for dependent elderly people (EHPAD)")
        FOYER = "foyer", _("Residential home (foyer)")
        IME = "ime", _("Medico-educational institute (IME)")
        ESAT = "esat", _("Sheltered work establishment (ESAT)")
        CHILD_PROTECTION = "child_protection", _("Child and youth protection home")
        SERVICE = "service", _("Social service")
        OTHER = "other", _("Other")

    name = models.CharField(pgettext_lazy("place", "name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
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
    summary = models.TextField(_("summary"), blank=True)
    follow_up = models.TextField(_("follow-up actions"), blank=True)
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

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("exchange")
        verbose_name_plural = _("exchanges")
        indexes = [models.Index(fields=["-start_date", "-id"], name="exchange_newest_first")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_local(self) -> bool:
        """No delegation travelled: the host territory's own people met."""
        return self.visiting_territory_id in (None, self.host_territory_id)


class CrossView(models.Model):
    """What one partner territory takes away from an exchange."""

    exchange = models.ForeignKey(
        Exchange, on_delete=models.CASCADE, related_name="cross_views", verbose_name=_("exchange")
    )
    territory = models.ForeignKey(
        Territory, on_delete=models.PROTECT, related_name="cross_views", verbose_name=_("territory")
    )
    text = models.TextField(_("what this territory takes away"))
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
