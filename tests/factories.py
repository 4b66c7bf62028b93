"""factory_boy factories, one per model, with the Savoie–Bignona partnership as default."""

import datetime

import factory
from django.contrib.auth import get_user_model

from exchanges.models import CrossView, Establishment, Exchange
from observatory.models import CrossTheme, Questioning, Strand, Topic, WorkTrack
from partners.models import FundingLine, Organisation, Partnership, Profile, Territory


class TerritoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory
        django_get_or_create = ("slug",)

    slug = "savoie"
    name_fr = factory.LazyAttribute(lambda o: o.slug.capitalize())
    country_fr = "France"


def savoie() -> Territory:
    return TerritoryFactory(slug="savoie", name_fr="Savoie", country_fr="France")


def bignona() -> Territory:
    return TerritoryFactory(slug="bignona", name_fr="Bignona", country_fr="Sénégal")


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    slug = "savoie-bignona"
    name_fr = "Savoie – Bignona"
    since_year = 1988
    project_title_fr = "L'action sociale de l'autre"

    @factory.post_generation
    def territories(self, create, extracted, **kwargs):
        if create:
            self.territories.set(extracted if extracted is not None else [savoie(), bignona()])


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    slug = factory.Sequence(lambda n: f"organisation-{n}")
    name_fr = factory.Sequence(lambda n: f"Organisation {n}")


class FundingLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingLine

    partnership = factory.SubFactory(PartnershipFactory)
    funder = factory.SubFactory(OrganisationFactory)
    amount = 1000
    period_start = datetime.date(2016, 1, 1)
    period_end = datetime.date(2016, 12, 31)


class StrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strand

    partnership = factory.SubFactory(PartnershipFactory)
    slug = factory.Sequence(lambda n: f"strand-{n}")
    name_fr = factory.Sequence(lambda n: f"Volet {n}")
    short_name_fr = factory.Sequence(lambda n: f"Volet {n}")


class CrossThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CrossTheme

    partnership = factory.SubFactory(PartnershipFactory)
    slug = factory.Sequence(lambda n: f"theme-{n}")
    name_fr = factory.Sequence(lambda n: f"Thème {n}")


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    theme = factory.SubFactory(CrossThemeFactory)
    slug = factory.Sequence(lambda n: f"topic-{n}")
    name_fr = factory.Sequence(lambda n: f"Sujet {n}")


class QuestioningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Questioning

    topic = factory.SubFactory(TopicFactory)
    territory = factory.LazyFunction(savoie)
    question_fr = factory.Sequence(lambda n: f"Comment faire {n} ?")


class WorkTrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkTrack

    questioning = factory.SubFactory(QuestioningFactory)
    territory = factory.SelfAttribute("questioning.territory")
    title_fr = factory.Sequence(lambda n: f"Piste {n}")
    year = 2016


class EstablishmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Establishment

    name_fr = factory.Sequence(lambda n: f"Établissement {n}")
    kind = Establishment.Kind.EHPAD
    territory = factory.LazyFunction(savoie)


class ExchangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exchange
        skip_postgeneration_save = True

    partnership = factory.SubFactory(PartnershipFactory)
    kind = Exchange.Kind.FIELD_VISIT
    title_fr = factory.Sequence(lambda n: f"Visite {n}")
    start_date = datetime.date(2016, 5, 10)
    end_date = factory.SelfAttribute("start_date")
    place = "Chambéry"
    host_territory = factory.LazyFunction(savoie)
    visiting_territory = factory.LazyFunction(bignona)

    @factory.post_generation
    def strands(self, create, extracted, **kwargs):
        if create and extracted:
            self.strands.set(extracted)

    @factory.post_generation
    def establishments(self, create, extracted, **kwargs):
        if create and extracted:
            self.establishments.set(extracted)


class CrossViewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CrossView

    exchange = factory.SubFactory(ExchangeFactory)
    territory = factory.LazyFunction(savoie)
    text_fr = "Ce que nous en retenons."


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user-{n}")
    password = factory.django.Password("correct horse battery staple")


def user_with_role(username: str, role: str, territory: Territory | None, **extra):
    user = UserFactory(username=username, **extra)
    Profile.objects.update_or_create(user=user, defaults={"role": role, "territory": territory})
    return user
