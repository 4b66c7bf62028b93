"""A developer runs `manage.py load_demo`: the source document's facts are there, in French
word for word and in English, the 2016 figures come out, and loading again changes nothing."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.utils import translation

from exchanges.models import CrossView, Establishment, EstablishmentKind, Exchange
from observatory.models import (
    Lesson,
    Questioning,
    RecommendationGroup,
    Strand,
    SustainableDevelopmentGoal,
    Topic,
    WorkTrack,
)
from partners.models import Contact, FundingLine, Partnership, PartnershipRole, Profile
from tests.reporting_factories import IMMEDIATE_TASKS

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "regard-croise-demo"

# The document's paired table: (theme, topic) -> (question for Savoie, question for Bignona).
PAIRED_TABLE = {
    ("support-posture", "Réseautage"): (
        "Comment développer des stratégies de réseautage en matière d'action sociale sur les "
        "différents territoires d'action sociale du Département ?",
        "Comment développer le réseau d'action concertée (RAC) à l'échelle départementale, et "
        "l'élargir aux questions d'action sociale ?",
    ),
    ("support-posture", "Approche globale"): (
        "Comment remettre la question de l'isolement social au cœur de l'accompagnement ?",
        "Comment mieux garantir l'accès aux droits des populations défavorisées ?",
    ),
    ("support-posture", "Approche par les droits / par les besoins"): (
        "Comment trouver une meilleure complémentarité entre l'approche française par les "
        "droits et l'approche sénégalaise par les besoins ?",
        None,
    ),
    ("social-utility", "Pouvoir d'agir"): (
        "Comment développer le pouvoir d'agir des personnes suivies par les services sociaux ?",
        "Comment accompagner les plus défavorisées vers l'auto-emploi ?",
    ),
    ("social-utility", "Utilité des personnes"): (
        "Comment changer de regard sur l'utilité des personnes dépendantes et défavorisées ?",
        "Comment améliorer la vie quotidienne des personnes âgées et handicapées ?",
    ),
    ("social-ties", "Relations et liens sociaux"): (
        "Comment redévelopper l'intelligence relationnelle dans la société française ?",
        "Comment mettre en place un cadre départemental de l'ensemble des acteurs de l'action "
        "sociale ?",
    ),
    ("social-ties", "Transversalité de l'action sociale"): (
        "Comment le Département implique-t-il davantage les réseaux d'acteurs sociaux ?",
        "Comment mettre l'action sociale au cœur des politiques départementales ?",
    ),
}

RECOMMENDATIONS = {
    "Partenariat et participation": [
        "Identifier et réunir les acteurs locaux dans leur multiplicité d'engagements, "
        "d'actions et d'expertises.",
        "Accompagner et animer le dialogue pluri-acteurs.",
        "Mobiliser des compétences diverses et valoriser leur implication dans le temps.",
    ],
    "Temporalité": [
        "Inscrire le projet dans un accord de coopération décentralisée, pour tirer profit de "
        "son inscription dans le temps, des possibilités d'adaptation et de révision et des "
        "expertises disponibles dans les collectivités.",
    ],
    "Partage des enjeux et réciprocité": [
        "Penser enjeux partagés.",
        "Travailler sur les mentalités pour entrer dans une logique d'échanges et "
        "d'apprentissages.",
        "Mettre en avant le regard croisé.",
        "Valoriser l'apport du projet pour chaque territoire et ses acteurs impliqués.",
    ],
}


@pytest.fixture
def demo(demo_data):
    return Partnership.objects.get(slug="savoie-bignona")


def test_the_demo_speaks_french_and_english(demo):
    elderly = Strand.objects.get(partnership=demo, slug="elderly")
    restitution = Exchange.objects.get(kind=Exchange.Kind.RESTITUTION_EVENT, start_date__year=2016)

    with translation.override("fr"):
        assert demo.project_title == "L'action sociale de l'autre"
        assert elderly.name == "Le rôle social des personnes âgées dépendantes"
        assert elderly.short_name == "Personnes âgées"
        assert restitution.title == "Temps fort de restitution du regard croisé"
    with translation.override("en"):
        assert demo.project_title == "L'action sociale de l'autre"  # a name: kept in French
        assert elderly.name == "The social role of dependent elderly people"
        assert elderly.short_name == "Elderly people"
        assert restitution.title == "Feedback event on the cross-perspective"


def test_every_translated_demo_text_has_its_english(demo):
    untranslated = [
        f"{model.__name__}.{field}_en #{pk}"
        for model, fields in [
            (Strand, ["name", "short_name"]),
            (Topic, ["name"]),
            (Questioning, ["question"]),
            (Lesson, ["title", "body"]),
            (WorkTrack, ["title", "description"]),
            (Exchange, ["title", "summary", "follow_up"]),
            (CrossView, ["text"]),
            (Establishment, ["name"]),
        ]
        for field in fields
        for pk, fr, en in model.objects.values_list("pk", f"{field}_fr", f"{field}_en")
        if fr and not en
    ]
    assert untranslated == []


def test_english_falls_back_to_french_where_the_translation_is_empty(demo):
    Strand.objects.filter(partnership=demo, slug="cohesion").update(short_name_en="")
    Questioning.objects.filter(topic__slug="networking", territory__slug="savoie").update(
        question_en=None
    )
    cohesion = Strand.objects.get(partnership=demo, slug="cohesion")
    networking = Questioning.objects.get(topic__slug="networking", territory__slug="savoie")

    with translation.override("en"):
        assert cohesion.short_name == "Cohésion sociale"
        assert networking.question.startswith("Comment développer des stratégies de réseautage")


def test_the_partnership_is_the_documents(demo):
    assert demo.since_year == 1988
    assert [t.slug for t in demo.territories.order_by("slug")] == ["bignona", "savoie"]
    assert demo.project_subtitle_fr == (
        "Regard croisé sur l'action sociale entre élus et techniciens français et sénégalais, "
        "vecteur de renforcement des politiques sociales sur les deux territoires en coopération."
    )
    assert "Fin 2013, une réforme territoriale au Sénégal a supprimé les conseils régionaux" in (
        demo.framework_agreement_fr
    )
    assert "en juin 2015, un échange d'expériences sur le bien vieillir" in demo.context_fr
    assert "pour Bignona, de développer une action sociale de proximité" in demo.objectives_fr
    assert (
        "« La possibilité de mener des expérimentations de nouvelles démarches d'inclusion "
        "économique et sociale en partenariat avec d'autres acteurs sur d'autres territoires "
        "permet aux élus et techniciens impliqués dans les projets de se décentrer et d'aborder "
        "les solutions autrement »"
    ) in demo.pilot_rationale_fr

    roles = {(r.organisation.slug, r.role) for r in demo.roles.select_related("organisation")}
    assert roles == {
        ("departement-savoie", PartnershipRole.Role.CARRIER),
        ("pays-de-savoie-solidaires", PartnershipRole.Role.SUPPORT_ASSOCIATION),
        ("departement-bignona", PartnershipRole.Role.PARTNER),
        ("departement-savoie", PartnershipRole.Role.FUNDER),
        ("maedi", PartnershipRole.Role.FUNDER),
        ("etablissements-sociaux-savoie", PartnershipRole.Role.FUNDER),
    }
    support = demo.roles.get(role=PartnershipRole.Role.SUPPORT_ASSOCIATION).organisation
    assert support.founded_year == 1988


def test_the_funding_table_totals_30_000_euros(demo):
    # The source's plan, as facts; Bignona's own and the in-kind lines are the demo's
    # (illustrative), as are the amounts spent.
    source = demo.funding_lines.filter(illustrative=False).select_related("funder")
    lines = [(line.funder.name_fr, line.amount, line.currency, line.nature) for line in source]
    assert lines == [
        ("Département de la Savoie", Decimal("20000"), "EUR", FundingLine.Nature.FINANCIAL),
        (
            "Ministère des Affaires étrangères et du Développement international",
            Decimal("5000"),
            "EUR",
            FundingLine.Nature.FINANCIAL,
        ),
        ("Établissements sociaux de Savoie", Decimal("5000"), "EUR", FundingLine.Nature.FINANCIAL),
    ]
    totals = dict(source.order_by().values_list("currency").annotate(total=Sum("amount")))
    assert totals == {"EUR": Decimal("30000")}
    assert set(demo.funding_lines.values_list("period_start", "period_end")) == {
        (datetime.date(2016, 1, 1), datetime.date(2016, 12, 31))
    }
    assert all(line.spent_illustrative for line in demo.funding_lines.exclude(spent=None))


def test_the_paired_table_is_the_documents_word_for_word(demo):
    table = {
        (q.topic.theme.slug, q.topic.name_fr, q.territory.slug): q.question_fr
        for q in Questioning.objects.filter(topic__theme__partnership=demo).select_related(
            "topic__theme", "territory"
        )
    }
    expected = {}
    for (theme, topic), (savoie, bignona) in PAIRED_TABLE.items():
        expected[(theme, topic, "savoie")] = savoie
        if bignona is not None:
            expected[(theme, topic, "bignona")] = bignona
    assert table == expected

    rights_needs = Topic.objects.get(name_fr="Approche par les droits / par les besoins")
    assert [q.territory.slug for q in rights_needs.questionings.all()] == ["savoie"]
    themes = list(demo.cross_themes.values_list("name_fr", flat=True))
    assert themes == ["La posture d'accompagnement", "L'utilité sociale", "Les liens sociaux"]


def test_the_strands_are_the_four_volets(demo):
    strands = list(demo.strands.values_list("slug", "name_fr", "short_name_fr"))
    assert strands == [
        ("elderly", "Le rôle social des personnes âgées dépendantes", "Personnes âgées"),
        (
            "disability",
            "L'inclusion sociale des personnes en situation de handicap",
            "Personnes handicapées",
        ),
        ("youth", "La réinsertion sociale des jeunes en difficulté", "Jeunesse"),
        (
            "cohesion",
            "La cohésion sociale en faveur des personnes défavorisées",
            "Cohésion sociale",
        ),
    ]


def test_the_recommendations_and_sdgs_are_the_documents(demo):
    groups = {
        group.name_fr: [r.text_fr for r in group.recommendations.all()]
        for group in RecommendationGroup.objects.filter(partnerships=demo)
    }
    assert groups == RECOMMENDATIONS

    sdgs = list(demo.sdgs.values_list("number", "name_fr", "name_en"))
    assert sdgs == [
        (3, "Bonne santé et bien-être", "Good health and well-being"),
        (10, "Inégalités réduites", "Reduced inequalities"),
    ]
    assert set(SustainableDevelopmentGoal.objects.values_list("number", flat=True)) == {3, 10}


def test_the_lessons_are_the_focus_section(demo):
    def titles(kind):
        return list(demo.lessons.filter(kind=kind).values_list("title_fr", flat=True))

    factors = titles(Lesson.Kind.FACILITATING_FACTOR)
    assert len(factors) == 6
    assert factors[0] == "Un partenariat à long terme, qui permet une interconnaissance."
    assert factors[-1] == (
        "Des qualités relationnelles et interculturelles des interlocuteurs à Bignona et en Savoie."
    )
    assert titles(Lesson.Kind.OBSTACLE) == [
        "La force des habitudes et l'inertie des systèmes organisés et rassurants.",
        "Les représentations mentales traditionnelles.",
        "Les capacités financières des partenaires.",
    ]
    cash_register = demo.lessons.get(title_fr="Les représentations mentales traditionnelles.")
    assert "comme un tiroir-caisse" in cash_register.body_fr
    stakes = demo.lessons.filter(kind=Lesson.Kind.STAKE)
    assert stakes.count() == 2  # the source's two headings, its paragraphs in their bodies
    view = stakes.get(title_fr__startswith="Regard des partenaires de TERRINCLUS")
    assert "qui ne doit pas se positionner en tant que « sachant »" in view.body_fr
    assert "proposer son analyse et des pistes de solutions." in view.body_fr


def test_2016_gives_50_professionals_met_and_18_establishments_visited(demo):
    exchanges_2016 = Exchange.objects.filter(partnership=demo, start_date__year=2016)

    met = exchanges_2016.aggregate(total=Sum("professionals_met_count"))["total"]
    visited = Establishment.objects.filter(exchanges__in=exchanges_2016).distinct().count()

    assert met == 50
    assert visited == 18
    assert set(
        Establishment.objects.filter(exchanges__in=exchanges_2016).values_list(
            "territory__slug", flat=True
        )
    ) == {"savoie"}
    kinds = set(
        Establishment.objects.filter(territory__slug="savoie").values_list("kind__slug", flat=True)
    )
    assert kinds == {"ehpad", "foyer", "ime", "esat", "child_protection", "service"}
    strands_covered = set(Establishment.objects.values_list("strands__slug", flat=True))
    assert strands_covered == {"elderly", "disability", "youth", "cohesion"}


def test_the_exchanges_are_those_the_document_tells(demo):
    june_2015 = Exchange.objects.get(partnership=demo, start_date__year=2015)
    assert june_2015.start_date.month == 6
    assert set(june_2015.strands.values_list("slug", flat=True)) == {"elderly", "disability"}
    with translation.override("fr"):
        takeaways = {v.territory.slug: v.text for v in june_2015.cross_views.all()}
    assert "valeur du lien social à Bignona" in takeaways["savoie"]
    assert "qualité de la prise en charge individualisée" in takeaways["bignona"]

    kinds_2016 = sorted(
        Exchange.objects.filter(start_date__year=2016).values_list("kind", flat=True)
    )
    assert kinds_2016 == sorted(
        [
            "territorial_diagnostic",
            "territorial_diagnostic",
            "awareness_session",
            "workshop",
            "field_visit",
            "field_visit",
            "restitution_event",
        ]
    )
    for visit in Exchange.objects.filter(kind=Exchange.Kind.FIELD_VISIT, start_date__year=2016):
        assert (visit.visiting_territory.slug, visit.host_territory.slug) == ("bignona", "savoie")
        assert visit.created_by.username == "officer-savoie"
        assert visit.cross_views.count() == 2
    restitution = Exchange.objects.get(kind=Exchange.Kind.RESTITUTION_EVENT, start_date__year=2016)
    assert restitution.questionings.count() == 13
    # The three-year programme is told once, in the conclusion, not here as well.
    assert "avec une restitution annuelle des avancées" not in restitution.follow_up_fr


def test_work_tracks_follow_the_questionings_over_2016_to_2018(demo):
    tracks = WorkTrack.objects.filter(questioning__topic__theme__partnership=demo)

    # Each question has its line of action identified in 2016 (as the source says); the later
    # records move its status.
    assert set(tracks.filter(year=2016).values_list("questioning", flat=True)) == set(
        Questioning.objects.values_list("pk", flat=True)
    )
    assert {t.territory_id == t.questioning.territory_id for t in tracks} == {True}
    assert set(tracks.values_list("year", flat=True)) == {2016, 2017, 2018}
    assert set(tracks.values_list("territory__slug", flat=True)) == {"savoie", "bignona"}


def test_the_documents_contacts_are_loaded(demo):
    contacts = set(
        Contact.objects.values_list("organisation__slug", "full_name", "job_title", "email")
    )
    assert contacts == {
        (
            "assemblee-departements-france",
            "Simon Letonturier",
            "conseiller Relations internationales",
            "simon.letonturier@departements.fr",
        ),
        (
            "departement-savoie",
            "Isabelle Robert",
            "secrétaire générale",
            "isabelle.robert@savoie.fr",
        ),
        (
            "pays-de-savoie-solidaires",
            "Magali Agosti",
            "directrice",
            "magali.agosti@paysdesavoiesolidaires.org",
        ),
    }


def _snapshot() -> dict[str, list[dict]]:
    """Every row of the demo's tables (M2M links included), as plain values."""
    models = [get_user_model()]
    for label in ("partners", "observatory", "exchanges"):
        models += apps.get_app_config(label).get_models()
    tables = {}
    for model in models:
        for related in [model, *(f.remote_field.through for f in model._meta.many_to_many)]:
            tables[related._meta.db_table] = list(related.objects.order_by("pk").values())
    return tables


def test_loading_twice_changes_nothing(demo):
    before = _snapshot()

    call_command("load_demo", stdout=StringIO())

    after = _snapshot()
    assert {t: len(rows) for t, rows in after.items()} == {
        t: len(rows) for t, rows in before.items()
    }
    assert after == before


def test_loading_again_restores_a_changed_value_and_bumps_its_version(demo):
    exchange = Exchange.objects.get(kind=Exchange.Kind.RESTITUTION_EVENT, start_date__year=2016)
    Exchange.objects.filter(pk=exchange.pk).update(professionals_met_count=99)

    call_command("load_demo", stdout=StringIO())

    exchange.refresh_from_db()
    assert exchange.professionals_met_count == 6
    assert exchange.version == 2


@pytest.mark.parametrize(
    ("username", "role", "territory"),
    [
        ("officer-savoie", Profile.Role.OFFICER, "savoie"),
        ("officer-bignona", Profile.Role.OFFICER, "bignona"),
        ("elu-savoie", Profile.Role.ELECTED_OFFICIAL, "savoie"),
        ("elu-bignona", Profile.Role.ELECTED_OFFICIAL, "bignona"),
        ("admin", Profile.Role.ADMINISTRATOR, None),
    ],
)
def test_the_demo_users_log_in_with_the_demo_password(demo, client, username, role, territory):
    response = client.post("/fr/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, "the login page should accept the demo password"

    user = get_user_model().objects.get(username=username)
    assert user.profile.role == role
    assert (user.profile.territory.slug if user.profile.territory else None) == territory
    assert user.is_superuser == user.is_staff == (username == "admin")


def test_the_demo_accounts_have_example_addresses_to_try_a_password_reset(demo, client, settings):
    settings.TASKS = IMMEDIATE_TASKS
    users = get_user_model().objects.order_by("username")

    client.post("/fr/accounts/password/reset/", {"email": "officer-savoie@example.org"})

    assert {user.username: user.email for user in users} == {
        name: f"{name}@example.org"
        for name in ("admin", "elu-bignona", "elu-savoie", "officer-bignona", "officer-savoie")
    }
    assert [message.to for message in mail.outbox] == [["officer-savoie@example.org"]]


def test_the_command_prints_the_demo_accounts_and_password(db):
    out = StringIO()

    call_command("load_demo", stdout=out)

    output = out.getvalue()
    for username in ("officer-savoie", "officer-bignona", "elu-savoie", "elu-bignona", "admin"):
        assert username in output
    assert DEMO_PASSWORD in output
    assert "DEMO ONLY" in output


def test_a_production_server_refuses_to_load_the_demo_accounts(db, settings):
    settings.ALLOW_DEMO_DATA = False
    get_user_model().objects.filter(username="admin").delete()

    with pytest.raises(CommandError, match="public password"):
        call_command("load_demo")

    assert not get_user_model().objects.filter(username="admin").exists()


def test_bignona_has_illustrative_establishments_of_senegalese_kinds(demo):
    bignona = Establishment.objects.filter(territory__slug="bignona").select_related("kind")

    assert bignona.count() == 8
    for establishment in bignona:  # marked as demo data, like those of Savoie
        assert "de démonstration)" in establishment.name_fr
        assert "(demo " in establishment.name_en
    assert {"cprs", "early_childhood", "community_rehabilitation"} <= {
        establishment.kind.slug for establishment in bignona
    }


def test_every_kind_of_establishment_is_named_in_french_and_english(demo):
    kinds = EstablishmentKind.objects.all()

    assert kinds.count() >= 12
    for kind in kinds:
        assert kind.name_fr
        assert kind.name_en
    with translation.override("en"):
        assert EstablishmentKind.objects.get(slug="cprs").name == (
            "Social promotion and reintegration centre (CPRS)"
        )
    with translation.override("fr"):
        assert EstablishmentKind.objects.get(slug="cprs").name == (
            "Centre de promotion et de réinsertion sociale (CPRS)"
        )
