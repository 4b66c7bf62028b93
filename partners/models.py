"""Who takes part in a decentralised cooperation partnership, and who pays for it."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.illustrative import illustrative_field
from core.typography import contract_articles, format_money

from .logos import validate_logo


class Territory(models.Model):
    """A local authority's territory (a French or Senegalese Département)."""

    slug = models.SlugField(_("code"), unique=True)
    name = models.CharField(pgettext_lazy("place", "name"), max_length=120)
    country = models.CharField(_("country"), max_length=80)
    # French names some territories with an article (« la Savoie »), others without
    # (« Bignona »): the article a French sentence puts before the name (`named` filter).
    article_fr = models.CharField(
        _("article in French"),
        max_length=3,
        blank=True,
        choices=[("", _("none")), ("la", "la"), ("le", "le"), ("l’", "l’"), ("les", "les")],
        help_text=_("« la » for Savoie (« la Savoie n’a pas… »), none for Bignona."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("territory")
        verbose_name_plural = _("territories")

    def __str__(self) -> str:
        return self.name

    def named(self) -> str:
        """The name as a sentence of the active language names it: « la Savoie », « l’Ain »,
        « Bignona » in French (`article_fr`), "Savoie" in English."""
        language = (translation.get_language() or "fr").split("-")[0]
        if language != "fr" or not self.article_fr:
            return self.name
        space = "" if self.article_fr.endswith("’") else " "
        return f"{self.article_fr}{space}{self.name}"


def territory_sentence(message: str, /, **values: object) -> str:
    """A translated sentence with its placeholders filled, each territory among the values named
    as the sentence names it (`Territory.named`): « accueilli par la Savoie », « de la Savoie »,
    « du Nord » (the article contracted by rule after « de » and « à »)."""
    named = {k: v.named() if isinstance(v, Territory) else v for k, v in values.items()}
    return contract_articles(message % named)


class Partnership(models.Model):
    """A decentralised cooperation partnership between territories, and its pilot project."""

    slug = models.SlugField(_("code"), unique=True)
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=160)
    territories = models.ManyToManyField(
        Territory, related_name="partnerships", verbose_name=_("territories")
    )
    since_year = models.PositiveSmallIntegerField(_("partnership since (year)"))
    framework_agreement = models.TextField(_("framework agreement"), blank=True)
    context = models.TextField(_("decentralised cooperation context"), blank=True)
    project_title = models.CharField(_("project title"), max_length=200)
    project_subtitle = models.TextField(_("project subtitle"), blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    pilot_rationale = models.TextField(_("why it is a pilot project"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")

    def __str__(self) -> str:
        return self.name


class SpecificObjective(models.Model):
    """What one territory means to gain from the partnership's project (« pour la Savoie,
    envisager davantage d'implication citoyenne dans les dispositifs sociaux »): the annual
    restitution sets the year's results of that territory against it."""

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="specific_objectives",
        verbose_name=_("partnership"),
    )
    territory = models.ForeignKey(
        Territory,
        on_delete=models.PROTECT,
        related_name="specific_objectives",
        verbose_name=_("territory"),
    )
    text = models.TextField(
        _("specific objective"),
        help_text=_("One sentence, as the project document words it."),
    )

    class Meta:
        ordering = ["partnership", "territory__name"]
        verbose_name = _("specific objective")
        verbose_name_plural = _("specific objectives")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "territory"], name="one_specific_objective_per_territory"
            )
        ]

    def __str__(self) -> str:
        return f"{self.territory} — {self.text[:60]}"

    def clean(self) -> None:
        # On the partnership's add page its territories are not saved yet: nothing to check.
        if not (self.territory_id and self.partnership_id):
            return
        if not self.partnership.territories.filter(pk=self.territory_id).exists():
            raise ValidationError(
                {"territory": _("This territory does not take part in the partnership.")}
            )


def logo_upload_to(instance: "Organisation", filename: str) -> str:
    """partners/logos/<random>.png, whatever the name it was sent under: its content was
    checked to be PNG by `validate_logo`, the field's validator."""
    import uuid

    return f"partners/logos/{uuid.uuid4().hex}.png"


class Organisation(models.Model):
    slug = models.SlugField(_("code"), unique=True)
    name = models.CharField(pgettext_lazy("organisation", "name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    territory = models.ForeignKey(
        Territory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("territory"),
    )
    description = models.TextField(_("description"), blank=True)
    founded_year = models.PositiveSmallIntegerField(_("founded in"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.FileField(
        _("logo"),
        upload_to=logo_upload_to,
        blank=True,
        validators=[validate_logo],
        help_text=_(
            "PNG, at most 500 KB and 4000 pixels a side; printed on the cover and colophon of "
            "the annual restitutions the organisation signs."
        ),
    )
    logo_illustrative = models.BooleanField(
        _("illustrative logo"),
        default=False,
        help_text=_(
            "A stand-in drawn for a demonstration, not the organisation's own logo: the "
            "editions say so beside it."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class PartnershipRole(models.Model):
    class Role(models.TextChoices):
        CARRIER = "carrier", _("Project carrier")
        PARTNER = "partner", _("Partner")
        SUPPORT_ASSOCIATION = "support_association", _("Support association")
        FUNDER = "funder", _("Funder")
        SOCIAL_ESTABLISHMENT = "social_establishment", _("Social establishment")

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="roles", verbose_name=_("partnership")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="roles", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["partnership", "order", "pk"]
        verbose_name = _("role in a partnership")
        verbose_name_plural = _("roles in partnerships")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation", "role"], name="unique_partnership_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.get_role_display()}"


class Contact(models.Model):
    """A named person: personal data, managed by administrators only."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("organisation"),
    )
    full_name = models.CharField(pgettext_lazy("person", "name"), max_length=160)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # Personal data stays with administrators unless the person agreed to be printed as a
    # contact of the project, as the source document prints three: then the restitutions name
    # them (name, job title, organisation, e-mail; never the phone).
    public = models.BooleanField(
        _("public contact"),
        default=False,
        help_text=_("Printed in the annual restitutions as a contact of the project."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["organisation", "full_name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.full_name


class Currency(models.TextChoices):
    EUR = "EUR", _("Euro (€)")
    XOF = "XOF", _("CFA franc (F CFA)")


class FundingLine(models.Model):
    class Status(models.TextChoices):
        PLEDGED = "pledged", _("Pledged")
        RECEIVED = "received", _("Received")

    class Nature(models.TextChoices):
        FINANCIAL = "financial", _("Financial")
        IN_KIND = "in_kind", _("In kind")

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="funding_lines",
        verbose_name=_("partnership"),
    )
    funder = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="funding_lines",
        verbose_name=_("funder"),
    )
    amount = models.DecimalField(_("planned amount"), max_digits=14, decimal_places=2)
    # What was actually spent of it, once the year's accounts are known (blank until then): the
    # annual budget table sets it beside the planned amount.
    spent = models.DecimalField(
        _("amount spent"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Leave blank until the year's accounts are known."),
    )
    spent_illustrative = models.BooleanField(
        _("illustrative amount spent"),
        default=False,
        help_text=_(
            "The amount spent, and whether the contribution was received, were invented for a "
            "demonstration, not reported by the partners."
        ),
    )
    # A partner's own contribution is often not money: staff time, hosting, transport. It is
    # valued in the line's currency and printed as "in kind".
    nature = models.CharField(
        _("nature of the contribution"),
        max_length=16,
        choices=Nature.choices,
        default=Nature.FINANCIAL,
    )
    in_kind_detail = models.CharField(
        _("what is given in kind"),
        max_length=200,
        blank=True,
        help_text=_("Staff time, hosting, transport… (for a contribution in kind)."),
    )
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.EUR
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLEDGED
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    illustrative = illustrative_field()

    class Meta:
        ordering = ["partnership", "order", "pk"]
        verbose_name = _("funding line")
        verbose_name_plural = _("funding lines")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="funding_amount_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="funding_period_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(spent__isnull=True) | models.Q(spent__gte=0),
                name="funding_spent_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.funder} — {format_money(self.amount, self.currency)}"

    def clean(self) -> None:
        errors = {}
        if self.amount is not None and self.amount <= 0:
            errors["amount"] = _("The amount must be greater than zero.")
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("The period cannot end before it starts.")
        if self.spent is not None and self.spent < 0:
            errors["spent"] = _("The amount spent cannot be negative.")
        if self.spent is None and self.spent_illustrative:
            errors["spent_illustrative"] = _("There is no amount spent to mark as illustrative.")
        if self.nature == self.Nature.FINANCIAL and self.in_kind_detail.strip():
            errors["nature"] = _(
                "Only a contribution in kind says what is given: choose “In kind” as its nature."
            )
        if errors:
            raise ValidationError(errors)


class Profile(models.Model):
    """Ties a user to the territory they work for and to their role on the platform."""

    class Role(models.TextChoices):
        OFFICER = "officer", _("Project officer")
        ELECTED_OFFICIAL = "elected_official", _("Elected official")
        ADMINISTRATOR = "administrator", _("Administrator")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("user"),
    )
    territory = models.ForeignKey(
        Territory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="profiles",
        verbose_name=_("territory"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    # A person's own choice, not their territory's: French is the working language on both
    # sides (it is Senegal's official language too), so a territory default would say nothing;
    # an English-speaking partner or volunteer reads English wherever they work.
    language = models.CharField(
        _("language of emails"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="fr",
        help_text=_("The language of the emails the platform sends to this person."),
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"

    def clean(self) -> None:
        if self.role == self.Role.OFFICER and not self.territory_id:
            raise ValidationError({"territory": _("A project officer works for a territory.")})
