"""What the partnership observes: strands, recommendations, SDGs and the paired questionings."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.illustrative import illustrative_field
from partners.models import Partnership, Territory


class Strand(models.Model):
    """One of the project's thematic strands (volets), e.g. the elderly people's social role."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="strands", verbose_name=_("partnership")
    )
    slug = models.SlugField(_("code"))
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=80)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["partnership", "order", "pk"]
        verbose_name = _("strand")
        verbose_name_plural = _("strands")
        constraints = [
            models.UniqueConstraint(fields=["partnership", "slug"], name="unique_strand_slug")
        ]

    def __str__(self) -> str:
        return self.short_name


class RecommendationGroup(models.Model):
    """A family of recommendations (préconisations) of the TERRINCLUS study."""

    slug = models.SlugField(_("code"), unique=True)
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    partnerships = models.ManyToManyField(
        Partnership,
        related_name="recommendation_groups",
        blank=True,
        verbose_name=_("partnerships answering it"),
    )

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("recommendation group")
        verbose_name_plural = _("recommendation groups")

    def __str__(self) -> str:
        return self.name


class Recommendation(models.Model):
    group = models.ForeignKey(
        RecommendationGroup,
        on_delete=models.CASCADE,
        related_name="recommendations",
        verbose_name=_("group"),
    )
    text = models.TextField(_("text"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["group__order", "order", "pk"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    def __str__(self) -> str:
        return self.text[:80]


class SustainableDevelopmentGoal(models.Model):
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=160)
    partnerships = models.ManyToManyField(
        Partnership, related_name="sdgs", blank=True, verbose_name=_("partnerships contributing")
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("sustainable development goal")
        verbose_name_plural = _("sustainable development goals")

    def __str__(self) -> str:
        return _("SDG %(number)s: %(name)s") % {"number": self.number, "name": self.name}


class Lesson(models.Model):
    """What the partners learnt about the cross view: facilitating factors, obstacles, stakes."""

    class Kind(models.TextChoices):
        FACILITATING_FACTOR = "facilitating_factor", _("Facilitating factor")
        OBSTACLE = "obstacle", _("Obstacle to overcome")
        STAKE = "stake", _("Stake")

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="lessons", verbose_name=_("partnership")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("details"), blank=True)
    # The lessons are drawn year by year: the year's restitution tells those of its year and
    # those without a year (drawn once for the whole partnership).
    year = models.PositiveSmallIntegerField(
        _("year"),
        null=True,
        blank=True,
        help_text=_("The year whose restitution tells this lesson; empty: every year."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["partnership", "kind", "order", "pk"]
        verbose_name = _("lesson learnt")
        verbose_name_plural = _("lessons learnt")

    def __str__(self) -> str:
        return self.title


class CrossTheme(models.Model):
    """A main theme of the exchange (posture d'accompagnement, utilité sociale, liens sociaux)."""

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="cross_themes",
        verbose_name=_("partnership"),
    )
    slug = models.SlugField(_("code"))
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["partnership", "order", "pk"]
        verbose_name = _("cross theme")
        verbose_name_plural = _("cross themes")
        constraints = [
            models.UniqueConstraint(fields=["partnership", "slug"], name="unique_cross_theme_slug")
        ]

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    """A row of the paired table: one topic, one questioning per partner territory."""

    theme = models.ForeignKey(
        CrossTheme, on_delete=models.CASCADE, related_name="topics", verbose_name=_("cross theme")
    )
    slug = models.SlugField(_("code"))
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["theme__order", "order", "pk"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        constraints = [models.UniqueConstraint(fields=["theme", "slug"], name="unique_topic_slug")]

    def __str__(self) -> str:
        return self.name


class Questioning(models.Model):
    """The question a territory asks itself on a topic, in the light of its partner's practice."""

    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="questionings", verbose_name=_("topic")
    )
    territory = models.ForeignKey(
        Territory,
        on_delete=models.PROTECT,
        related_name="questionings",
        verbose_name=_("territory"),
    )
    question = models.TextField(_("question"))

    class Meta:
        ordering = ["topic__theme__order", "topic__order", "territory__slug"]
        verbose_name = _("questioning")
        verbose_name_plural = _("questionings")
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "territory"], name="one_questioning_per_topic_and_territory"
            )
        ]

    def __str__(self) -> str:
        return f"{self.territory} — {self.topic}"


class WorkTrack(models.Model):
    """A work track (piste de travail) a territory follows on a questioning, year by year."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    questioning = models.ForeignKey(
        Questioning,
        on_delete=models.CASCADE,
        related_name="work_tracks",
        verbose_name=_("questioning"),
    )
    territory = models.ForeignKey(
        Territory, on_delete=models.PROTECT, related_name="work_tracks", verbose_name=_("territory")
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    illustrative = illustrative_field()

    class Meta:
        ordering = ["year", "pk"]
        verbose_name = _("work track")
        verbose_name_plural = _("work tracks")

    def __str__(self) -> str:
        return self.title


class WorkTrackProgress(models.Model):
    """Where a line of action stood at the end of a year: its progress over the programme's
    years is read from these rows (a line "moves" in a year when its stage goes up)."""

    Stage = WorkTrack.Status

    work_track = models.ForeignKey(
        WorkTrack,
        on_delete=models.CASCADE,
        related_name="progress",
        verbose_name=_("line of action"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    stage = models.CharField(_("stage"), max_length=16, choices=WorkTrack.Status.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    illustrative = models.BooleanField(_("illustrative"), default=False)
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
        ordering = ["work_track", "year"]
        verbose_name = _("stage of a line of action in a year")
        verbose_name_plural = _("stages of the lines of action by year")
        constraints = [
            models.UniqueConstraint(
                fields=["work_track", "year"], name="one_stage_per_work_track_and_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.work_track} — {self.year}: {self.get_stage_display()}"

    def clean(self) -> None:
        if self.year and not 1900 <= self.year <= timezone.localdate().year + 1:
            raise ValidationError({"year": _("Give a year of the programme, e.g. 2017.")})
