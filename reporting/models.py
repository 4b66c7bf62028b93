"""The annual cross-view restitution: a draft computed live, frozen into files when published."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.limits import long_text_validators
from partners.models import Partnership


class Restitution(models.Model):
    """One year's restitution of a partnership: the editorial text officers type. Everything
    else in it (figures, strands, questionings) is computed from that year's data."""

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.PROTECT,
        related_name="restitutions",
        verbose_name=_("partnership"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    # Capped at a size a person writes (core/limits.py), in both languages.
    introduction = models.TextField(
        _("introduction"), blank=True, validators=long_text_validators()
    )
    conclusion = models.TextField(_("conclusion"), blank=True, validators=long_text_validators())
    foreword = models.TextField(
        _("foreword"),
        blank=True,
        validators=long_text_validators(),
        help_text=_("The two presidents' word, printed before the introduction."),
    )
    foreword_signature = models.CharField(
        _("foreword signed by"),
        max_length=300,
        blank=True,
        help_text=_("Who signs the foreword, e.g. the presidents of the two Départements."),
    )
    foreword_illustrative = models.BooleanField(
        _("illustrative foreword"),
        default=False,
        help_text=_("The foreword is a demonstration text: the editions mark it so."),
    )
    focus_title = models.CharField(
        _("title of the lessons chapter"),
        max_length=300,
        blank=True,
        help_text=_("E.g. « L'évolution des politiques sociales grâce au regard croisé »."),
    )
    factors_lead = models.CharField(
        _("sentence before the facilitating factors"), max_length=300, blank=True
    )
    obstacles_lead = models.CharField(
        _("sentence before the obstacles"), max_length=300, blank=True
    )
    data_notice = models.TextField(
        _("note on the data"),
        blank=True,
        validators=long_text_validators(),
        help_text=_(
            "Printed on the cover and with the key figures, e.g. to say that some data are "
            "illustrative."
        ),
    )
    photo_credits = models.CharField(_("photo credits"), max_length=300, blank=True)
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
        ordering = ["partnership", "-year"]
        verbose_name = _("annual restitution")
        verbose_name_plural = _("annual restitutions")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "year"], name="one_restitution_per_partnership_and_year"
            )
        ]

    def __str__(self) -> str:
        return _("%(partnership)s — restitution %(year)s") % {
            "partnership": self.partnership,
            "year": self.year,
        }


def _stylesheet_path(instance: "RestitutionVersion", filename: str) -> str:
    restitution = instance.restitution
    return (
        f"restitutions/{restitution.partnership.slug}/{restitution.year}/"
        f"v{instance.number}/{filename}"
    )


class RestitutionVersion(models.Model):
    """One publication of a restitution. Its files are rendered once, in the background."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be rendered")
        RENDERING = "rendering", _("Rendering")
        DONE = "done", _("Published")
        FAILED = "failed", _("Rendering failed")

    restitution = models.ForeignKey(
        Restitution,
        on_delete=models.PROTECT,
        related_name="versions",
        verbose_name=_("restitution"),
    )
    number = models.PositiveIntegerField(_("version number"))
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    task_id = models.CharField(_("background task"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)
    render_seconds = models.FloatField(_("rendering time (s)"), null=True, blank=True)
    # The screen editions' stylesheet as it was when published: the stored HTML links to it,
    # so an old edition keeps its look after report.css changes. Empty for older versions.
    stylesheet = models.FileField(
        _("stylesheet"), upload_to=_stylesheet_path, max_length=255, blank=True
    )
    stylesheet_sha256 = models.CharField(_("stylesheet's SHA-256"), max_length=64, blank=True)
    # What the readiness check listed when this version was published and the publisher
    # acknowledged (empty when nothing was missing).
    acknowledged_gaps = models.JSONField(_("gaps acknowledged"), default=list, blank=True)

    class Meta:
        ordering = ["restitution", "-number"]
        verbose_name = _("published version")
        verbose_name_plural = _("published versions")
        constraints = [
            models.UniqueConstraint(
                fields=["restitution", "number"], name="unique_restitution_version_number"
            )
        ]

    def __str__(self) -> str:
        return _("%(restitution)s, version %(number)s") % {
            "restitution": self.restitution,
            "number": self.number,
        }

    @property
    def is_in_progress(self) -> bool:
        return self.status in {self.Status.PENDING, self.Status.RENDERING}


class Edition(models.TextChoices):
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")
    BILINGUAL = "bilingual", _("Bilingual")


class Format(models.TextChoices):
    HTML = "html", "HTML"
    PDF = "pdf", "PDF"


def _file_path(instance: "RestitutionFile", filename: str) -> str:
    restitution = instance.version.restitution
    return (
        f"restitutions/{restitution.partnership.slug}/{restitution.year}/"
        f"v{instance.version.number}/{filename}"
    )


class RestitutionFile(models.Model):
    """One edition of a published version, stored once: what readers get, byte for byte."""

    version = models.ForeignKey(
        RestitutionVersion,
        on_delete=models.CASCADE,
        related_name="files",
        verbose_name=_("version"),
    )
    edition = models.CharField(_("edition"), max_length=16, choices=Edition.choices)
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    file = models.FileField(_("file"), upload_to=_file_path, max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["version", "edition", "format"]
        verbose_name = _("published file")
        verbose_name_plural = _("published files")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "edition", "format"], name="one_file_per_edition_and_format"
            )
        ]

    def __str__(self) -> str:
        return f"{self.version} — {self.get_edition_display()} {self.get_format_display()}"


def _draft_path(instance: "DraftRendering", filename: str) -> str:
    restitution = instance.restitution
    return f"restitutions/{restitution.partnership.slug}/{restitution.year}/drafts/{filename}"


class DraftRendering(models.Model):
    """A draft's PDF or HTML edition, asked for by an officer and rendered by the task worker
    (it takes too long for a web request). Kept a day after it is done, then removed."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be rendered")
        RENDERING = "rendering", _("Rendering")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Rendering failed")

    IN_PROGRESS = (Status.PENDING, Status.RENDERING)

    restitution = models.ForeignKey(
        Restitution,
        on_delete=models.CASCADE,
        related_name="draft_renderings",
        verbose_name=_("restitution"),
    )
    edition = models.CharField(_("edition"), max_length=16, choices=Edition.choices)
    format = models.CharField(_("format"), max_length=8, choices=Format.choices, default=Format.PDF)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("requested by"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    # Which of the RESTITUTION_RENDERS_AT_ONCE places it holds while in progress: the unique
    # constraint below keeps the limit even when two requests ask at the same instant.
    slot = models.PositiveSmallIntegerField(_("rendering slot"))
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    task_id = models.CharField(_("background task"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), upload_to=_draft_path, max_length=255, blank=True)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("draft rendering")
        verbose_name_plural = _("draft renderings")
        constraints = [
            models.UniqueConstraint(
                fields=["slot"],
                condition=models.Q(status__in=["pending", "rendering"]),
                name="one_draft_rendering_per_slot",
            ),
            models.UniqueConstraint(
                fields=["requested_by"],
                condition=models.Q(status__in=["pending", "rendering"]),
                name="one_draft_rendering_per_user",
            ),
            models.UniqueConstraint(
                fields=["restitution", "edition", "format"],
                condition=models.Q(status__in=["pending", "rendering"]),
                name="one_rendering_per_draft_edition",
            ),
        ]

    def __str__(self) -> str:
        edition, status = self.get_edition_display(), self.get_status_display()
        return f"{self.restitution} — {edition} {self.get_format_display()} ({status})"

    @property
    def is_in_progress(self) -> bool:
        return self.status in self.IN_PROGRESS
