"""A large synthetic observatory for the benchmark (`make bench`): partnerships, establishments
and years of exchanges with their strands, questionings, recommendations and cross views.

Rows are written with bulk inserts in batches, so 100 000 exchanges take well under a minute.
The same seed gives the same data. Existing rows (the demo data) are kept and counted: the
partnerships and establishments asked for are totals, and the interface's partnership (the
first one) gets `main_share` of the exchanges, with a restitution year holding exactly
`restitution_exchanges` of them."""

import datetime
import io
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from core.caching import forget_everything
from exchanges.models import CrossView, Establishment, EstablishmentKind, Exchange
from observatory.models import (
    CrossTheme,
    Questioning,
    Recommendation,
    RecommendationGroup,
    Strand,
    SustainableDevelopmentGoal,
    Topic,
    WorkTrack,
)
from partners.models import FundingLine, Organisation, Partnership, PartnershipRole, Territory

BATCH = 2000
SLUG = "synthetic"

FRENCH_PLACES = [
    "Ain", "Allier", "Ardèche", "Aude", "Cantal", "Corrèze", "Creuse", "Drôme", "Gers", "Isère",
    "Jura", "Landes", "Loire", "Lot", "Lozère", "Nièvre", "Orne", "Tarn", "Vienne", "Vosges",
]  # fmt: skip
PARTNER_PLACES = [
    "Bakel", "Bignona", "Bounkiling", "Dagana", "Fatick", "Goudiry", "Kaffrine", "Kolda",
    "Linguère", "Matam", "Mbour", "Nioro", "Oussouye", "Podor", "Sédhiou", "Tambacounda",
    "Tivaouane", "Vélingara", "Ziguinchor", "Kédougou",
]  # fmt: skip
STRANDS = [
    ("elderly", "Personnes âgées", "Elderly people"),
    ("disability", "Handicap", "Disability"),
    ("youth", "Jeunesse en difficulté", "Youth in difficulty"),
    ("cohesion", "Cohésion sociale", "Social cohesion"),
]
WORDS_FR = (  # noqa: SIM905 (a sentence reads better than 33 quoted words)
    "accompagnement aidants autonomie cohésion coopération diagnostic dignité école entraide "
    "famille formation habitat inclusion insertion jeunesse lien maison médiation mobilité "
    "participation partage prévention proximité quartier réseau santé savoir solidarité "
    "territoire transmission village visite vieillissement"
).split()
WORDS_EN = (  # noqa: SIM905
    "support carers autonomy cohesion cooperation diagnosis dignity school mutual-aid family "
    "training housing inclusion integration youth bond home mediation mobility participation "
    "sharing prevention proximity neighbourhood network health knowledge solidarity territory "
    "transmission village visit ageing"
).split()
SENTENCES_FR = [
    "Les équipes ont présenté leur manière d'accompagner les personnes au quotidien.",
    "La délégation a visité deux structures et rencontré les professionnels de terrain.",
    "Les échanges ont porté sur la place des familles dans l'accompagnement.",
    "Un temps de travail commun a permis de comparer les pratiques des deux territoires.",
    "Les élus ont insisté sur la participation des habitants aux décisions.",
    "La question de la transmission entre générations est revenue à plusieurs reprises.",
    "Les professionnels souhaitent poursuivre le travail à distance avant la prochaine visite.",
    "Un atelier a réuni des bénévoles, des agents et des personnes accompagnées.",
    "Le regard de l'autre territoire a interrogé nos habitudes de travail en établissement.",
    "Les partenaires ont convenu d'un calendrier et d'un document de synthèse partagé.",
]
SENTENCES_EN = [
    "The teams showed how they support people from day to day.",
    "The delegation visited two establishments and met the professionals on the ground.",
    "The exchange dealt with the place of families in the support given.",
    "A joint working session compared the practices of both territories.",
    "The elected officials stressed the inhabitants' part in decisions.",
    "The passing on of knowledge between generations came up several times.",
    "The professionals wish to carry on working remotely before the next visit.",
    "A workshop brought volunteers, staff and the people supported together.",
    "The other territory's view questioned our habits of work in establishments.",
    "The partners agreed on a schedule and a shared summary document.",
]
KIND_WEIGHTS = {
    Exchange.Kind.FIELD_VISIT: 40,
    Exchange.Kind.WORKSHOP: 25,
    Exchange.Kind.REMOTE_MEETING: 15,
    Exchange.Kind.TERRITORIAL_DIAGNOSTIC: 8,
    Exchange.Kind.AWARENESS_SESSION: 7,
    Exchange.Kind.RESTITUTION_EVENT: 5,
}


@dataclass
class Plan:
    """What to generate. `years` run from `first_year`; the restitution year is in them."""

    seed: int = 1
    exchanges: int = 100_000
    partnerships: int = 20
    establishments: int = 2_000
    first_year: int = 2015
    years: int = 10
    main_share: float = 0.5
    restitution_year: int | None = None
    restitution_exchanges: int = 500

    def __post_init__(self) -> None:
        if self.restitution_year is None:
            self.restitution_year = self.first_year + self.years // 2
        if not self.first_year <= self.restitution_year < self.first_year + self.years:
            raise ValueError("The restitution year must be one of the generated years.")


@dataclass
class Side:
    """One partnership and what its exchanges refer to."""

    partnership: Partnership
    territories: list[Territory]
    strands: list[Strand]
    questionings: list[Questioning]
    recommendations: list[Recommendation]
    establishments: dict[int, list[Establishment]] = field(default_factory=dict)


@dataclass
class Report:
    partnerships_created: int = 0
    establishments_created: int = 0
    exchanges_created: int = 0
    links_created: int = 0
    cross_views_created: int = 0
    main_partnership: str = ""
    restitution_year: int = 0
    restitution_exchanges: int = 0


def generate(plan: Plan, log: Callable[[str], None] = lambda message: None) -> Report:
    """Generate the data of `plan` in one transaction."""
    rng = random.Random(plan.seed)
    report = Report(restitution_year=plan.restitution_year)
    with transaction.atomic():
        recommendations = _recommendations()
        sides = _partnerships(plan, rng, recommendations, report)
        report.main_partnership = sides[0].partnership.slug
        log(f"{len(sides)} partnerships ({report.partnerships_created} created)")
        _establishments(plan, rng, sides, report)
        log(f"{plan.establishments} establishments ({report.establishments_created} created)")
        counts = _exchange_counts(plan, rng, sides)
        report.restitution_exchanges = plan.restitution_exchanges
        users = list(get_user_model().objects.values_list("pk", flat=True)[:20]) or [None]
        for side, per_year in zip(sides, counts, strict=True):
            _exchanges(plan, rng, side, per_year, users, report)
        log(
            f"{report.exchanges_created} exchanges, {report.links_created} links to strands, "
            f"questionings, recommendations and establishments, "
            f"{report.cross_views_created} cross views"
        )
        forget_everything()  # every partnership's figures change: forget them all
    return report


# --- Partnerships and what they observe ------------------------------------------------------


def _recommendations() -> list[Recommendation]:
    recommendations = list(Recommendation.objects.all())
    if recommendations:
        return recommendations
    for g in range(3):
        group = RecommendationGroup.objects.create(
            slug=f"{SLUG}-group-{g}", name_fr=f"Préconisations {g + 1}", order=g
        )
        for r in range(3):
            Recommendation.objects.create(
                group=group, text_fr=f"Préconisation {g + 1}.{r + 1}", order=r
            )
    return list(Recommendation.objects.all())


def _partnerships(
    plan: Plan, rng: random.Random, recommendations: list[Recommendation], report: Report
) -> list[Side]:
    existing = list(Partnership.objects.order_by("pk"))
    for n in range(len(existing), plan.partnerships):
        existing.append(_new_partnership(n, rng))
        report.partnerships_created += 1
    groups = list(RecommendationGroup.objects.all())
    sdgs = list(SustainableDevelopmentGoal.objects.all())
    sides = []
    for partnership in existing[: plan.partnerships]:
        if not partnership.strands.exists():
            _observatory_of(partnership, rng)
        for group in groups:
            group.partnerships.add(partnership)
        if sdgs:
            partnership.sdgs.add(*rng.sample(sdgs, min(3, len(sdgs))))
        sides.append(
            Side(
                partnership=partnership,
                territories=list(partnership.territories.order_by("pk")),
                strands=list(partnership.strands.all()),
                questionings=list(
                    Questioning.objects.filter(topic__theme__partnership=partnership)
                ),
                recommendations=recommendations,
            )
        )
    return sides


def _new_partnership(n: int, rng: random.Random) -> Partnership:
    french_name = FRENCH_PLACES[n % len(FRENCH_PLACES)]
    partner_name = PARTNER_PLACES[n % len(PARTNER_PLACES)]
    french = Territory.objects.create(
        slug=f"{SLUG}-fr-{n:02}", name_fr=french_name, country_fr="France"
    )
    partner = Territory.objects.create(
        slug=f"{SLUG}-sn-{n:02}", name_fr=partner_name, country_fr="Sénégal"
    )
    partnership = Partnership.objects.create(
        slug=f"{SLUG}-{n:02}",
        name_fr=f"{french_name} – {partner_name}",
        since_year=1990 + n,
        project_title_fr=f"Regards croisés {french_name} – {partner_name}",
        project_subtitle_fr="L'action sociale de l'autre, vue des deux territoires.",
    )
    partnership.territories.set([french, partner])
    for territory, role in ((french, "carrier"), (partner, "partner")):
        organisation = Organisation.objects.create(
            slug=f"{SLUG}-{territory.slug}", name_fr=f"Département {territory.name_fr}",
            territory=territory,
        )  # fmt: skip
        PartnershipRole.objects.create(
            partnership=partnership, organisation=organisation, role=role
        )
    funder = Organisation.objects.create(
        slug=f"{SLUG}-funder-{n:02}", name_fr="Fonds de coopération"
    )
    PartnershipRole.objects.create(partnership=partnership, organisation=funder, role="funder")
    FundingLine.objects.create(
        partnership=partnership,
        funder=funder,
        amount=Decimal(rng.randrange(10_000, 90_000, 500)),
        period_start=datetime.date(2015, 1, 1),
        period_end=datetime.date(2024, 12, 31),
    )
    return partnership


def _observatory_of(partnership: Partnership, rng: random.Random) -> None:
    """Four strands; three cross themes of three topics, each with one questioning per
    territory and a work track or two."""
    for order, (slug, name_fr, name_en) in enumerate(STRANDS):
        Strand.objects.create(
            partnership=partnership, slug=slug, name_fr=name_fr, name_en=name_en,
            short_name_fr=name_fr, short_name_en=name_en, order=order,
        )  # fmt: skip
    territories = list(partnership.territories.all())
    for t in range(3):
        theme = CrossTheme.objects.create(
            partnership=partnership, slug=f"theme-{t}", name_fr=f"Thème {t + 1}", order=t
        )
        for p in range(3):
            topic = Topic.objects.create(
                theme=theme, slug=f"topic-{p}", name_fr=f"Sujet {t + 1}.{p + 1}", order=p
            )
            for territory in territories:
                questioning = Questioning.objects.create(
                    topic=topic,
                    territory=territory,
                    question_fr=f"Comment {rng.choice(WORDS_FR)} et {rng.choice(WORDS_FR)} ?",
                )
                for year in rng.sample(range(2015, 2025), 2):
                    WorkTrack.objects.create(
                        questioning=questioning, territory=territory, year=year,
                        title_fr=f"Piste {rng.choice(WORDS_FR)}", status="in_progress",
                    )  # fmt: skip


# --- Establishments ---------------------------------------------------------------------------


def _establishments(plan: Plan, rng: random.Random, sides: list[Side], report: Report) -> None:
    """Up to `plan.establishments` in all, the main partnership's territories getting their
    share of them like of the exchanges."""
    territories = [(side, t) for side in sides for t in side.territories]
    missing = plan.establishments - Establishment.objects.count()
    weights = [
        plan.main_share if side is sides[0] else (1 - plan.main_share) / max(len(sides) - 1, 1)
        for side, _territory in territories
    ]
    kinds = list(EstablishmentKind.objects.all()) or [
        EstablishmentKind.objects.create(slug="service", name_fr="Service social")
    ]
    new = []
    for n in range(max(missing, 0)):
        side, territory = rng.choices(territories, weights)[0]
        new.append(
            (
                Establishment(
                    name_fr=f"{rng.choice(['Maison', 'Foyer', 'Centre', 'Service'])} "
                    f"{rng.choice(WORDS_FR)} {n}",
                    kind=rng.choice(kinds),
                    territory=territory,
                    town=territory.name_fr,
                ),
                rng.sample(side.strands, min(2, len(side.strands))),
            )
        )
    Establishment.objects.bulk_create([e for e, _s in new], batch_size=BATCH)
    through = Establishment.strands.through
    through.objects.bulk_create(
        [through(establishment=e, strand=s) for e, strands in new for s in strands],
        batch_size=BATCH * 5,
    )
    report.establishments_created = len(new)
    by_territory: dict[int, list[Establishment]] = defaultdict(list)
    for establishment in Establishment.objects.only("pk", "territory_id"):
        by_territory[establishment.territory_id].append(establishment)
    for side in sides:
        side.establishments = {t.pk: by_territory.get(t.pk, []) for t in side.territories}


# --- Exchanges --------------------------------------------------------------------------------


def _exchange_counts(plan: Plan, rng: random.Random, sides: list[Side]) -> list[dict[int, int]]:
    """How many exchanges to create per partnership and year, so that there are
    `plan.exchanges` in all. The main partnership's restitution year ends with exactly
    `restitution_exchanges` active ones."""
    years = list(range(plan.first_year, plan.first_year + plan.years))
    existing = Exchange.objects.filter(partnership__in=[side.partnership for side in sides])
    wanted = plan.exchanges - existing.count()
    main = round(plan.exchanges * plan.main_share) if len(sides) > 1 else plan.exchanges
    main -= existing.filter(partnership=sides[0].partnership).count()
    others = len(sides) - 1
    totals = [main] + [
        (wanted - main) // others + (1 if i < (wanted - main) % others else 0)
        for i in range(others)
    ]
    already = (
        Exchange.objects.active()
        .filter(partnership=sides[0].partnership, start_date__year=plan.restitution_year)
        .count()
    )
    in_restitution_year = plan.restitution_exchanges - already
    other_years = [y for y in years if y != plan.restitution_year]
    if in_restitution_year < 0 or main - in_restitution_year < len(other_years):
        raise ValueError(
            f"{main} exchanges for the main partnership cannot hold "
            f"{plan.restitution_exchanges} in {plan.restitution_year} and some in other years."
        )
    counts = [_spread(main - in_restitution_year, other_years)]
    counts[0][plan.restitution_year] = in_restitution_year
    counts += [_spread(total, years) for total in totals[1:]]
    return counts


def _spread(total: int, years: list[int]) -> dict[int, int]:
    return {
        y: total // len(years) + (1 if i < total % len(years) else 0) for i, y in enumerate(years)
    }


class RowWriter:
    """Rows written straight into a model's table, without building model instances: COPY on
    PostgreSQL, executemany elsewhere. Each row is a dict of column names to Python values;
    the columns left out take their database default (the id of link rows, for instance)."""

    def __init__(self, model: type[models.Model], columns: list[str]):
        self.table = model._meta.db_table
        self.columns = columns
        self.rows: list[tuple] = []

    def add(self, row: dict) -> None:
        self.rows.append(tuple(row[column] for column in self.columns))

    def flush(self) -> int:
        written, rows, self.rows = len(self.rows), self.rows, []
        if not rows:
            return 0
        quote = connection.ops.quote_name
        names = ", ".join(quote(column) for column in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                lines = "".join("\t".join(map(_copy_text, row)) + "\n" for row in rows)
                sql = f"COPY {quote(self.table)} ({names}) FROM STDIN"
                raw = cursor.cursor
                if hasattr(raw, "copy_expert"):  # psycopg2
                    raw.copy_expert(sql, io.StringIO(lines))
                else:  # psycopg 3
                    with raw.copy(sql) as copy:
                        copy.write(lines)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                sql = f"INSERT INTO {quote(self.table)} ({names}) VALUES ({marks})"
                cursor.executemany(sql, [tuple(map(_adapt, row)) for row in rows])
        return written


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    text = value if isinstance(value, str) else str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _adapt(value):
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return connection.ops.adapt_datefield_value(value)
    return value


def _columns(model: type[models.Model], *, with_id: bool) -> list[str]:
    return [f.column for f in model._meta.concrete_fields if with_id or not f.primary_key]


def _exchanges(
    plan: Plan,
    rng: random.Random,
    side: Side,
    per_year: dict[int, int],
    users: list[int | None],
    report: Report,
) -> None:
    is_main = side.partnership.slug == report.main_partnership
    jobs = [year for year, count in per_year.items() for _n in range(count)]
    now = timezone.now()
    kinds = {value: str(label) for value, label in Exchange.Kind.choices}  # in French
    exchanges = RowWriter(Exchange, _columns(Exchange, with_id=True))
    views = RowWriter(CrossView, _columns(CrossView, with_id=False))
    links = {
        name: RowWriter(field_.remote_field.through, ["exchange_id", f"{target}_id"])
        for name in ("strands", "questionings", "recommendations", "establishments")
        for field_ in [Exchange._meta.get_field(name)]
        for target in [field_.m2m_reverse_field_name()]
    }
    next_id = (Exchange.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
    for start in range(0, len(jobs), BATCH):
        for year in jobs[start : start + BATCH]:
            may_be_deleted = not is_main or year != plan.restitution_year
            row, related = _exchange(rng, side, year, kinds, users, now, may_be_deleted)
            row["id"] = next_id
            next_id += 1
            exchanges.add(row)
            for name, targets in related.items():
                for target in targets:
                    links[name].add({"exchange_id": row["id"], links[name].columns[1]: target.pk})
            for view in _cross_views(rng, side, row, now):
                views.add(view)
        report.exchanges_created += exchanges.flush()  # before the rows that refer to them
        report.links_created += sum(writer.flush() for writer in links.values())
        report.cross_views_created += views.flush()
    with connection.cursor() as cursor:  # the ids were given here: the sequence moves past them
        for sql in connection.ops.sequence_reset_sql(no_style(), [Exchange]):
            cursor.execute(sql)


def _sentences(rng: random.Random, pool: list[str], low: int, high: int) -> str:
    return " ".join(rng.sample(pool, rng.randint(low, high)))


def _translated(name: str, french: str, english: str) -> dict[str, str]:
    """modeltranslation's columns: the original one holds the default language (French)."""
    return {name: french, f"{name}_fr": french, f"{name}_en": english}


def _exchange(
    rng: random.Random,
    side: Side,
    year: int,
    kinds: dict[str, str],
    users: list[int | None],
    now: datetime.datetime,
    may_be_deleted: bool,
) -> tuple[dict, dict[str, list]]:
    kind = rng.choices(list(KIND_WEIGHTS), list(KIND_WEIGHTS.values()))[0]
    if len(side.territories) > 1:
        host, other = rng.sample(side.territories, 2)
    else:
        host, other = side.territories[0], None
    roll = rng.random()
    visiting = other if roll < 0.65 else (None if roll < 0.95 else host)
    start = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))
    words = rng.sample(range(len(WORDS_FR)), 2)
    author = rng.choice(users)
    deleted = may_be_deleted and rng.random() < 0.01
    row = {
        "partnership_id": side.partnership.pk,
        "kind": kind,
        **_translated(
            "title",
            f"{kinds[kind]} : {WORDS_FR[words[0]]} et {WORDS_FR[words[1]]}",
            f"{WORDS_EN[words[0]]} and {WORDS_EN[words[1]]}".capitalize(),
        ),
        **_translated(
            "summary",
            _sentences(rng, SENTENCES_FR, 2, 4),
            _sentences(rng, SENTENCES_EN, 2, 4) if rng.random() < 0.6 else "",
        ),
        **_translated(
            "follow_up", _sentences(rng, SENTENCES_FR, 1, 2) if rng.random() < 0.3 else "", ""
        ),
        "start_date": start,
        "end_date": start + datetime.timedelta(days=rng.choice([0, 0, 0, 1, 2, 4])),
        "place": host.name_fr,
        "host_territory_id": host.pk,
        "visiting_territory_id": visiting.pk if visiting else None,
        "elected_officials_count": rng.randint(0, 5),
        "technical_staff_count": rng.randint(0, 8),
        "professionals_met_count": rng.randint(0, 40),
        "illustrative": True,  # generated: invented, like the demo's
        "version": 1,
        "created_by_id": author,
        "updated_by_id": author,
        "created_at": now,
        "updated_at": now,
        "deleted_at": now if deleted else None,
        "deleted_by_id": author if deleted else None,
    }
    places = side.establishments.get(host.pk, [])
    related = {
        "strands": rng.sample(side.strands, min(rng.choice([0, 1, 1, 1, 2, 2]), len(side.strands))),
        "questionings": rng.sample(
            side.questionings, min(rng.randint(0, 2), len(side.questionings))
        ),
        "recommendations": rng.sample(
            side.recommendations, min(rng.randint(0, 2), len(side.recommendations))
        ),
        "establishments": rng.sample(places, min(rng.randint(0, 3), len(places))),
    }
    return row, related


def _cross_views(
    rng: random.Random, side: Side, exchange: dict, now: datetime.datetime
) -> list[dict]:
    views = []
    for territory in side.territories:
        chance = 0.85 if territory.pk == exchange["host_territory_id"] else 0.6
        if rng.random() < chance:
            text_en = _sentences(rng, SENTENCES_EN, 2, 4) if rng.random() < 0.5 else ""
            views.append(
                {
                    "exchange_id": exchange["id"],
                    "territory_id": territory.pk,
                    **_translated("text", _sentences(rng, SENTENCES_FR, 2, 4), text_en),
                    "version": 1,
                    "updated_by_id": exchange["created_by_id"],
                    "updated_at": now,
                }
            )
    return views
