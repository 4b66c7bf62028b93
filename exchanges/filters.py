"""The exchanges' filters, shared by the list page and the CSV export (through the selectors).

Every filter lives in the query string, so a filtered list can be bookmarked or shared:
/fr/exchanges/?territory=bignona&direction=savoie.bignona&kind=field_visit&year=2016&q=EHPAD
"""

import django_filters
from django import forms
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.search import Mentions, search_words
from observatory.models import Strand
from partners.models import Territory

from .models import CrossView, Establishment, Exchange

LOCAL = "local"


def direction_choices(territories: list[Territory]) -> list[tuple[str, str]]:
    """'savoie.bignona' for the Savoie delegation visiting Bignona, for every ordered pair of
    the partnership's territories, then the local exchanges."""
    travels = [
        (
            f"{visiting.slug}.{host.slug}",
            _("%(visiting)s → %(host)s") % {"visiting": visiting.name, "host": host.name},
        )
        for visiting in territories
        for host in territories
        if visiting != host
    ]
    return [*travels, (LOCAL, pgettext_lazy("direction", "Local"))]


def exchanges_mentioning(word: str) -> QuerySet:
    """The ids of the exchanges whose own text, cross views or establishments hold `word` (a
    word of `search_words`). A union of three look-ups of the tables' search documents on
    PostgreSQL (core/search.py), one per table."""
    own = Exchange.objects.filter(
        Mentions(("title_fr", "title_en", "summary_fr", "summary_en", "place"), word)
    )
    views = CrossView.objects.filter(Mentions(("text_fr", "text_en"), word))
    places = Exchange.establishments.through.objects.filter(
        establishment__in=Establishment.objects.filter(
            Mentions(("name_fr", "name_en", "town"), word)
        )
    )
    return (
        own.order_by()
        .values("pk")
        .union(
            views.order_by().values("exchange_id"),
            places.order_by().values("exchange_id"),
        )
    )


class ExchangeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        help_text=_(
            "Words of a title, a place, an establishment or a cross view; accents and capitals "
            "do not matter."
        ),
        method="filter_text",
        widget=forms.TextInput(attrs={"type": "search"}),
        max_length=200,  # longer makes SQLite's LIKE fail and costs PostgreSQL for nothing
    )
    territory = django_filters.ChoiceFilter(
        label=_("Territory"), method="filter_territory", empty_label=_("All territories")
    )
    direction = django_filters.ChoiceFilter(
        label=_("Direction"), method="filter_direction", empty_label=_("All directions")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Exchange.Kind.choices, empty_label=_("All kinds")
    )
    strand = django_filters.ChoiceFilter(
        label=_("Strand"), method="filter_strand", empty_label=_("All strands")
    )
    year = django_filters.ChoiceFilter(
        label=_("Year"), field_name="start_date__year", empty_label=_("All years")
    )

    class Meta:
        model = Exchange
        fields: list[str] = []

    def __init__(
        self,
        data=None,
        queryset=None,
        *,
        territories: list[Territory],
        strands: list[Strand],
        years: list[int],
        **kwargs,
    ):
        super().__init__(data, queryset, **kwargs)
        self.territories = territories  # in the partnership's order (the CSV's columns)
        self._territories = {t.slug: t for t in territories}
        self._strands = {s.slug: s for s in strands}
        fields = self.filters
        fields["territory"].extra["choices"] = [(t.slug, t.name) for t in territories]
        fields["strand"].extra["choices"] = [(s.slug, s.short_name) for s in strands]
        fields["direction"].extra["choices"] = direction_choices(territories)
        fields["year"].extra["choices"] = [(year, str(year)) for year in reversed(years)]

    def filter_text(self, queryset: QuerySet[Exchange], name: str, value: str):
        """Every word, accents and case ignored, in the exchange's title, summary or place, in
        one of its cross views or in the name or town of an establishment it visited. The
        words looked for are `search_words`' few: one query, its cost bounded whatever is
        typed. Typed text without any word (only "%", say) finds nothing."""
        words = search_words(value)
        if not words:
            return queryset.none()
        for word in words:
            queryset = queryset.filter(pk__in=exchanges_mentioning(word))
        return queryset

    def filter_territory(self, queryset: QuerySet[Exchange], name: str, value: str):
        """The exchanges a territory took part in, as host or as visitor."""
        territory = self._territories[value]
        return queryset.filter(Q(host_territory=territory) | Q(visiting_territory=territory))

    def filter_strand(self, queryset: QuerySet[Exchange], name: str, value: str):
        return queryset.filter(strands=self._strands[value])

    def filter_direction(self, queryset: QuerySet[Exchange], name: str, value: str):
        if value == LOCAL:
            return queryset.filter(
                Q(visiting_territory__isnull=True) | Q(visiting_territory=F("host_territory"))
            )
        visiting_slug, _dot, host_slug = value.partition(".")
        visiting = self._territories[visiting_slug]
        host = self._territories[host_slug]
        return queryset.filter(visiting_territory=visiting, host_territory=host)
