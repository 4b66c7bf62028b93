"""Before publishing: what the edition would still lack (missing cross views, parts not yet
translated, no introduction or conclusion, exchanges on no strand). An administrator may still
publish, but only after acknowledging the list (`reporting.versions.restitution_publish`)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from partners.models import territory_sentence

from .content import RestitutionContent


@dataclass(frozen=True)
class Gap:
    key: str  # stable whatever the language: "cross_view:<exchange>:<territory>", …
    text: str  # what is missing, in the active language


def readiness_gaps(content: RestitutionContent) -> list[Gap]:
    """What the edition of `content` lacks, exchange by exchange and side by side. Reads
    nothing more than `content` holds."""
    gaps: list[Gap] = []
    restitution = content.restitution
    editorial = (
        (
            "introduction",
            _("The introduction is empty."),
            _("The introduction is not yet translated into English."),
        ),
        (
            "conclusion",
            _("The conclusion is empty."),
            _("The conclusion is not yet translated into English."),
        ),
    )
    for field, empty, untranslated in editorial:
        if not (getattr(restitution, f"{field}_fr") or "").strip():
            gaps.append(Gap(f"editorial:{field}", empty))
        elif not (getattr(restitution, f"{field}_en") or "").strip():
            gaps.append(Gap(f"translation:restitution:{field}", untranslated))
    for exchange in content.exchanges:
        title = exchange.title  # in the page's language, French when not translated
        views = {view.territory_id: view for view in exchange.cross_views.all()}
        for territory in content.territories:
            view = views.get(territory.pk)
            if view is None:
                gaps.append(
                    Gap(
                        f"cross_view:{exchange.pk}:{territory.pk}",
                        territory_sentence(
                            _("« %(exchange)s »: no cross view from %(territory)s."),
                            exchange=title,
                            territory=territory,
                        ),
                    )
                )
            elif (view.text_fr or "").strip() and not (view.text_en or "").strip():
                gaps.append(
                    Gap(
                        f"translation:cross_view:{view.pk}",
                        territory_sentence(
                            _(
                                "« %(exchange)s »: %(territory)s's cross view is not yet "
                                "translated."
                            ),
                            exchange=title,
                            territory=territory,
                        ),
                    )
                )
        untranslated = [
            field
            for field in ("title", "summary", "follow_up")
            if (getattr(exchange, f"{field}_fr") or "").strip()
            and not (getattr(exchange, f"{field}_en") or "").strip()
        ]
        if untranslated:
            gaps.append(
                Gap(
                    f"translation:exchange:{exchange.pk}",
                    _("« %(exchange)s »: not yet translated into English.") % {"exchange": title},
                )
            )
        if not exchange.strands.all():
            gaps.append(
                Gap(
                    f"strand:{exchange.pk}",
                    _("« %(exchange)s »: on no strand.") % {"exchange": title},
                )
            )
    for group in content.lessons:
        for lesson in group.lessons:
            if (lesson.title_fr or "").strip() and not (lesson.title_en or "").strip():
                gaps.append(
                    Gap(
                        f"translation:lesson:{lesson.pk}",
                        _("Lesson « %(lesson)s »: not yet translated into English.")
                        % {"lesson": lesson.title_fr},
                    )
                )
    return gaps


class ReadinessNotAcknowledged(Exception):
    """Publishing was asked without acknowledging every gap the edition has now."""

    def __init__(self, gaps: list[Gap]):
        super().__init__(", ".join(gap.key for gap in gaps))
        self.gaps = gaps
