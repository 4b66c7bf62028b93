"""What a restitution says: everything computed from one year's data, read once in a fixed
number of queries whatever the number of exchanges. Every edition (French, English, bilingual;
HTML and PDF) is written from this one read by `reporting.document`."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q

from exchanges.change_selectors import changes_of
from exchanges.models import Attachment, CrossView, Exchange, PolicyChange
from exchanges.selectors import KeyFigures, exchanges_of, key_figures, restitution_photos
from observatory.models import (
    CrossTheme,
    Lesson,
    Questioning,
    Recommendation,
    RecommendationGroup,
    Strand,
    SustainableDevelopmentGoal,
    Topic,
    WorkTrack,
)
from observatory.selectors import paired_questionings
from partners.models import Contact, Currency, FundingLine, Partnership, PartnershipRole, Territory
from partners.selectors import partnership_roles, partnership_territories

from .models import Restitution
from .objectives import ObjectiveResult, objective_results
from .progress import ProgressYear, programme


@dataclass(frozen=True)
class Side:
    """One territory's side of an exchange's cross view (`position`: 1 for the first
    territory, 2 for the second, for their colours)."""

    territory: Territory
    view: CrossView
    position: int


@dataclass(frozen=True)
class TimelineEntry:
    """One action of the year, told once: its strands, the sides that gave their view (a
    missing view is for the readiness check, never printed) and its photos."""

    exchange: Exchange
    strands: list[Strand]
    sides_with_view: list[Side]
    photos: list[Attachment] = field(default_factory=list)  # chosen for the restitution


@dataclass(frozen=True)
class TrackAtYearEnd:
    track: WorkTrack
    moved: bool  # recorded during the year (new, or its status changed)
    previous: WorkTrack | None  # the questioning's last track before the year


@dataclass(frozen=True)
class QuestioningCell:
    questioning: Questioning
    tracks: list[TrackAtYearEnd]
    exchanges: list[Exchange]  # the year's exchanges that worked on this questioning

    @property
    def moved(self) -> bool:
        return bool(self.exchanges) or any(track.moved for track in self.tracks)


@dataclass(frozen=True)
class QuestioningRow:
    topic: Topic
    cells: list[QuestioningCell | None]


@dataclass(frozen=True)
class QuestioningTheme:
    theme: CrossTheme
    rows: list[QuestioningRow]


@dataclass(frozen=True)
class ServedRecommendation:
    recommendation: Recommendation
    exchanges: list[Exchange]


@dataclass(frozen=True)
class ServedGroup:
    group: RecommendationGroup
    recommendations: list[ServedRecommendation]


@dataclass(frozen=True)
class RoleGroup:
    role: str
    label: str
    roles: list[PartnershipRole]


@dataclass(frozen=True)
class LessonGroup:
    kind: str
    lessons: list[Lesson]


@dataclass(frozen=True)
class NextStep:
    """A work track planned for the year after the restitution's, with its questioning."""

    territory: Territory
    tracks: list[WorkTrack]


# The fixed parity of the CFA franc: 1 € = 655,957 F CFA.
XOF_PER_EUR = Decimal("655.957")


def in_euros(amount: Decimal, currency: str) -> Decimal:
    if currency == Currency.XOF:
        return (amount / XOF_PER_EUR).quantize(Decimal("1"))
    return amount


@dataclass(frozen=True)
class Funding:
    """Funding lines with their totals in euros (F CFA converted at the fixed parity), pledged
    and received apart; the funders in the lines' order."""

    lines: list[FundingLine]

    def _total(self, status: str | None = None) -> Decimal:
        return sum(
            (
                in_euros(line.amount, line.currency)
                for line in self.lines
                if status is None or line.status == status
            ),
            Decimal(0),
        )

    @property
    def total(self) -> Decimal:
        return self._total()

    @property
    def pledged(self) -> Decimal:
        return self._total(FundingLine.Status.PLEDGED)

    @property
    def received(self) -> Decimal:
        return self._total(FundingLine.Status.RECEIVED)

    @property
    def converted(self) -> bool:
        return any(line.currency != Currency.EUR for line in self.lines)

    @property
    def by_currency(self) -> list["CurrencyTotals"]:
        """The budget's totals, one currency at a time (euros first): euros and CFA francs are
        never added together in the restitution's budget table."""
        order = [value for value, _label in Currency.choices]
        currencies = sorted({line.currency for line in self.lines}, key=order.index)
        return [
            CurrencyTotals(currency, [line for line in self.lines if line.currency == currency])
            for currency in currencies
        ]

    @property
    def has_in_kind(self) -> bool:
        return any(line.nature == FundingLine.Nature.IN_KIND for line in self.lines)


@dataclass(frozen=True)
class CurrencyTotals:
    """Planned and spent in one currency; what is given in kind counted apart too."""

    currency: str
    lines: list[FundingLine]

    @property
    def planned(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal(0))

    @property
    def spent(self) -> Decimal | None:
        """None while any line's amount spent is not known: a partial sum would read as the
        year's whole spending."""
        if any(line.spent is None for line in self.lines):
            return None
        return sum((line.spent or Decimal(0) for line in self.lines), Decimal(0))

    @property
    def spent_illustrative(self) -> bool:
        return any(line.spent_illustrative for line in self.lines)

    @property
    def in_kind(self) -> Decimal:
        return sum(
            (line.amount for line in self.lines if line.nature == FundingLine.Nature.IN_KIND),
            Decimal(0),
        )

    @property
    def financial(self) -> Decimal:
        """What is given as money: the source's own budget (30 000 € in 2016) when the total
        also counts contributions in kind."""
        return self.planned - self.in_kind

    @property
    def funders(self):
        return list({line.funder_id: line.funder for line in self.lines}.values())


#: The programme's length in years: « un programme d'activité … pour les trois années à venir »
#: (the source's conclusion), starting with the year of the partnership's first restitution.
PROGRAMME_LENGTH = 3


@dataclass(frozen=True)
class FocusSide:
    """One territory's changes of the year, with the exchanges that led to each."""

    territory: Territory
    position: int
    changes: list[PolicyChange]

    @property
    def thanks_to_the_other(self) -> int:
        return sum(1 for change in self.changes if change.thanks_to_the_other)


@dataclass(frozen=True)
class Since:
    """A key figure against the year before: `delta` more (or fewer) than in `year`."""

    delta: int
    year: int

    @property
    def signed(self) -> str:
        """+3, −1 (a true minus sign), 0."""
        if self.delta > 0:
            return f"+{self.delta}"
        if self.delta < 0:
            return f"\u2212{-self.delta}"
        return "0"


@dataclass(frozen=True)
class CrossViewYears:
    """The reciprocity index of the year and of the years before (as the progress page
    computes it: reporting.progress), the key figures against the year before, and, in the
    programme's last year, every year of the programme."""

    year: int
    programme_years: list[int]  # the years of the programme (PROGRAMME_LENGTH from the first)
    trend: list[ProgressYear]  # every year with exchanges up to the restitution's, oldest first
    since: dict[str, Since]  # key figure -> against the year before (none the first year)
    three_years: list[ProgressYear]  # the programme's years, in its last year only

    @property
    def this_year(self) -> ProgressYear | None:
        last = self.trend[-1] if self.trend else None
        return last if last is not None and last.year == self.year else None


@dataclass(frozen=True)
class RestitutionContent:
    restitution: Restitution
    partnership: Partnership
    year: int
    territories: list[Territory]
    roles: list[RoleGroup]
    funding: Funding
    figures: KeyFigures
    timeline: list[TimelineEntry]
    questionings: list[QuestioningTheme]
    recommendations: list[ServedGroup]
    sdgs: list[SustainableDevelopmentGoal]
    exchanges: list[Exchange] = field(default_factory=list)
    lessons: list[LessonGroup] = field(default_factory=list)
    next_steps: list[NextStep] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    photos: list[Attachment] = field(default_factory=list)
    focus: list[FocusSide] = field(default_factory=list)
    objectives: list[ObjectiveResult] = field(default_factory=list)
    cross_view: CrossViewYears | None = None

    @property
    def focus_changes(self) -> int:
        return sum(len(side.changes) for side in self.focus)

    @property
    def photo_credits(self) -> str:
        """Who took the photos printed: those credited on the photos, each named once in the
        order of the photos, then the restitution's own line; "" when no photo is printed (a
        credit line in a document without photos says nothing)."""
        if not self.photos:
            return ""
        on_photos = dict.fromkeys(p.credit.strip() for p in self.photos if p.credit.strip())
        own = self.restitution.photo_credits.strip()
        return " · ".join(part for part in (", ".join(on_photos), own) if part)

    @property
    def counts_illustrative(self) -> bool:
        """The year's counts of exchanges, of officials and of who went where come from
        illustrative exchanges (the demo's): the editions mark them so."""
        return any(exchange.illustrative for exchange in self.exchanges)


def restitution_content(restitution: Restitution) -> RestitutionContent:
    """Everything a restitution shows, computed from the data of its year. Every edition (French,
    English, bilingual; HTML and PDF) renders from this one read."""
    partnership = restitution.partnership
    year = restitution.year
    territories = partnership_territories(partnership)
    figures = key_figures(partnership, year, territories=territories)
    exchanges = _exchanges_of_year(partnership, year)
    told = {exchange.pk for exchange in exchanges}
    photos = [p for p in restitution_photos(partnership, year) if p.exchange_id in told]
    return RestitutionContent(
        restitution=restitution,
        partnership=partnership,
        year=year,
        territories=territories,
        roles=_role_groups(partnership_roles(partnership)),
        funding=funding_of_year(partnership, year),
        figures=figures,
        timeline=_timeline(exchanges, territories, photos),
        questionings=_questionings_at_year_end(partnership, territories, year, exchanges),
        recommendations=_served_recommendations(exchanges),
        sdgs=list(partnership.sdgs.all()),
        exchanges=exchanges,
        lessons=lessons_of_year(partnership, year),
        next_steps=_next_steps(partnership, territories, year),
        contacts=public_contacts(partnership),
        photos=photos,
        focus=focus_of_year(partnership, territories, year),
        objectives=objective_results(partnership, territories, year, figures),
        cross_view=cross_view_years(partnership, year),
    )


def focus_of_year(
    partnership: Partnership, territories: list[Territory], year: int
) -> list[FocusSide]:
    """The changes each territory made during the year (every origin: where the idea came from
    is printed beside each), oldest first, with the exchanges that led to them. Two queries."""
    changes = list(
        changes_of(partnership)
        .filter(date__year=year)
        .prefetch_related(
            Prefetch("exchanges", queryset=Exchange.objects.active().order_by("start_date", "pk"))
        )
        .order_by("date", "pk")
    )
    return [
        FocusSide(territory, position, [c for c in changes if c.territory_id == territory.pk])
        for position, territory in enumerate(territories, start=1)
    ]


def programme_years(partnership: Partnership) -> list[int]:
    """The programme's years: PROGRAMME_LENGTH years from the year of the partnership's first
    restitution (none without one). One query."""
    first = partnership.restitutions.order_by("year").values_list("year", flat=True).first()
    return [] if first is None else list(range(first, first + PROGRAMME_LENGTH))


KEY_FIGURES = ("professionals_met", "establishments_visited", "exchanges", "elected_officials")


def cross_view_years(partnership: Partnership, year: int) -> CrossViewYears:
    """The index of the year with its parts and its trend, "since last year" for each key
    figure (nothing in the programme's first year, nor when the year before had no exchange),
    and the three-year view in the programme's last year. The same reads as the progress page,
    whatever the number of years, exchanges or changes."""
    years = programme_years(partnership)
    every = programme(partnership, published_only=False).years
    trend = [y for y in every if y.year <= year]
    before = next((y for y in trend if y.year == year - 1), None)
    since: dict[str, Since] = {}
    if before is not None and year - 1 in years:
        now = trend[-1].figures if trend and trend[-1].year == year else None
        for name in KEY_FIGURES:
            now_value = getattr(now, name) if now is not None else 0
            since[name] = Since(now_value - getattr(before.figures, name), before.year)
    three_years = [y for y in trend if y.year in years] if years and year == years[-1] else []
    return CrossViewYears(year, years, trend, since, three_years)


def lessons_of_year(partnership: Partnership, year: int) -> list[LessonGroup]:
    """The lessons of the year (and those drawn for every year), by kind in the order a reader
    follows them: what helped, what stood in the way, what is at stake."""
    lessons = list(
        partnership.lessons.filter(Q(year=year) | Q(year__isnull=True)).order_by("order", "pk")
    )
    order = [Lesson.Kind.FACILITATING_FACTOR, Lesson.Kind.STAKE, Lesson.Kind.OBSTACLE]
    groups = [LessonGroup(kind, [x for x in lessons if x.kind == kind]) for kind in order]
    return [group for group in groups if group.lessons]


def _next_steps(
    partnership: Partnership, territories: list[Territory], year: int
) -> list[NextStep]:
    """The work tracks planned for the following year, by territory."""
    tracks = list(
        WorkTrack.objects.filter(questioning__topic__theme__partnership=partnership, year=year + 1)
        .select_related("questioning__topic__theme")
        .order_by("questioning__topic__theme__order", "questioning__topic__order", "pk")
    )
    steps = [
        NextStep(territory, [t for t in tracks if t.territory_id == territory.pk])
        for territory in territories
    ]
    return [step for step in steps if step.tracks]


def public_contacts(partnership: Partnership) -> list[Contact]:
    """The contacts printed in the restitution: those marked public, of the organisations
    taking part in the partnership or of a national body (no territory)."""
    return list(
        Contact.objects.filter(public=True)
        .filter(Q(organisation__roles__partnership=partnership) | Q(organisation__territory=None))
        .distinct()
        .select_related("organisation")
        .order_by("order", "full_name", "pk")
    )


def funding_of_year(partnership: Partnership, year: int | None) -> Funding:
    """The funding lines whose period covers the year (None: every line of the partnership)."""
    lines = partnership.funding_lines.select_related("funder")
    if year is not None:
        lines = lines.filter(period_start__year__lte=year, period_end__year__gte=year)
    return Funding(list(lines))


def _exchanges_of_year(partnership: Partnership, year: int) -> list[Exchange]:
    return list(
        exchanges_of(partnership, year)
        .select_related("host_territory", "visiting_territory")
        .prefetch_related(
            "strands",
            "questionings",
            Prefetch("cross_views", queryset=CrossView.objects.select_related("territory")),
            Prefetch(
                "recommendations",
                queryset=Recommendation.objects.select_related("group").order_by(
                    "group__order", "order", "pk"
                ),
            ),
        )
        .order_by("start_date", "pk")
    )


def _role_groups(roles: list[PartnershipRole]) -> list[RoleGroup]:
    """Who takes part, by role, in the roles' order; funders are told with the funding."""
    by_role: dict[str, list[PartnershipRole]] = defaultdict(list)
    for role in roles:
        by_role[role.role].append(role)
    return [
        RoleGroup(role=value, label=label, roles=by_role[value])
        for value, label in PartnershipRole.Role.choices
        if by_role[value] and value != PartnershipRole.Role.FUNDER
    ]


def _timeline(
    exchanges: list[Exchange], territories: list[Territory], photos: list[Attachment]
) -> list[TimelineEntry]:
    """The year's exchanges in the order they took place (`exchanges` is read so), each once."""
    photos_of = defaultdict(list)
    for photo in photos:
        photos_of[photo.exchange_id].append(photo)
    timeline = []
    for exchange in exchanges:
        views = {view.territory_id: view for view in exchange.cross_views.all()}
        sides = [
            Side(territory, views[territory.pk], position)
            for position, territory in enumerate(territories, start=1)
            if territory.pk in views
        ]
        strands = sorted(exchange.strands.all(), key=lambda strand: (strand.order, strand.pk))
        timeline.append(TimelineEntry(exchange, strands, sides, photos_of[exchange.pk]))
    return timeline


def _questionings_at_year_end(
    partnership: Partnership, territories: list[Territory], year: int, exchanges: list[Exchange]
) -> list[QuestioningTheme]:
    worked_on: dict[int, list[Exchange]] = defaultdict(list)
    for exchange in exchanges:
        for questioning in exchange.questionings.all():
            worked_on[questioning.pk].append(exchange)

    def cell(questioning: Questioning | None) -> QuestioningCell | None:
        if questioning is None:
            return None
        return QuestioningCell(
            questioning=questioning,
            tracks=_tracks_at_year_end(list(questioning.work_tracks.all()), year),
            exchanges=worked_on.get(questioning.pk, []),
        )

    return [
        QuestioningTheme(
            theme=table.theme,
            rows=[
                QuestioningRow(topic=row.topic, cells=[cell(q) for q in row.cells])
                for row in table.rows
            ],
        )
        for table in paired_questionings(partnership, territories)
    ]


def _tracks_at_year_end(tracks: list[WorkTrack], year: int) -> list[TrackAtYearEnd]:
    """The tracks recorded during the year (each with the one before it), or else the last
    one recorded before the year, unchanged. Tracks of later years are not known yet."""
    before = [t for t in tracks if t.year < year]
    previous = max(before, key=lambda t: (t.year, t.pk), default=None)
    during = [t for t in tracks if t.year == year]
    if during:
        return [TrackAtYearEnd(track=t, moved=True, previous=previous) for t in during]
    if previous is not None:
        return [TrackAtYearEnd(track=previous, moved=False, previous=None)]
    return []


def _served_recommendations(exchanges: list[Exchange]) -> list[ServedGroup]:
    """The recommendations the year's exchanges served, grouped, in the groups' order."""
    served: dict[int, ServedRecommendation] = {}
    for exchange in exchanges:
        for recommendation in exchange.recommendations.all():
            entry = served.setdefault(
                recommendation.pk, ServedRecommendation(recommendation, exchanges=[])
            )
            entry.exchanges.append(exchange)
    groups: dict[int, ServedGroup] = {}
    ordered = sorted(
        served.values(),
        key=lambda s: (
            s.recommendation.group.order,
            s.recommendation.group.pk,
            s.recommendation.order,
            s.recommendation.pk,
        ),
    )
    for entry in ordered:
        group = entry.recommendation.group
        groups.setdefault(group.pk, ServedGroup(group, recommendations=[]))
        groups[group.pk].recommendations.append(entry)
    return list(groups.values())
