"""factory_boy factories, one per model, with the Savoie–Bignona partnership as default."""

import datetime
import io

import factory
from django.contrib.auth import get_user_model
from PIL import Image

from exchanges.models import CrossView, Establishment, EstablishmentKind, Exchange
from observatory.models import CrossTheme, Questioning, Strand, Topic, WorkTrack
from partners.models import FundingLine, Organisation, Partnership, Profile, Territory
from tests.pdfs import PLAIN_PDF


class TerritoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory
        django_get_or_create = ("slug",)

    slug = "savoie"
    name_fr = factory.LazyAttribute(lambda o: o.slug.capitalize())
    country_fr = "France"


def savoie() -> Territory:
    # French names it with its article, as the demo does: « accueilli par la Savoie ».
    return TerritoryFactory(slug="savoie", name_fr="Savoie", country_fr="France", article_fr="la")


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


class EstablishmentKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EstablishmentKind
        django_get_or_create = ("slug",)

    slug = "ehpad"
    name_fr = "Établissement d'hébergement pour personnes âgées dépendantes (EHPAD)"
    name_en = "Nursing home for dependent elderly people (EHPAD)"


class EstablishmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Establishment

    name_fr = factory.Sequence(lambda n: f"Établissement {n}")
    kind = factory.SubFactory(EstablishmentKindFactory)
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


# ---- exchanges: attachments and the exchange form ----


def _small_jpeg() -> bytes:
    """A real 8×6 JPEG: uploads are opened with Pillow, so a fake header no longer passes."""
    output = io.BytesIO()
    Image.new("RGB", (8, 6), (11, 92, 122)).save(output, format="JPEG")
    return output.getvalue()


JPEG_BYTES = _small_jpeg()
PDF_BYTES = PLAIN_PDF  # a one-page PDF a parser reads


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "exchanges.Attachment"

    exchange = factory.SubFactory(ExchangeFactory)
    file = factory.django.FileField(filename="photo.jpg", data=JPEG_BYTES)
    caption_fr = factory.Sequence(lambda n: f"Photo {n}")
    credit = "Département de la Savoie"
    original_name = "photo.jpg"
    content_type = "image/jpeg"
    size = len(JPEG_BYTES)

    class Params:
        # A photo as the service stores it: with its thumbnail (exchanges/photos.py).
        with_thumbnail = factory.Trait(
            thumbnail=factory.django.FileField(filename="thumbnail.jpg", data=JPEG_BYTES)
        )


def exchange_form_data(exchange: Exchange | None = None, **changes) -> dict:
    """What the exchange form posts: the exchange's current values (or a new Savoie visit
    from Bignona), with `changes` applied. Many-to-many values are lists of ids."""
    if exchange is None:
        data = {
            "kind": Exchange.Kind.FIELD_VISIT,
            "title_fr": "Visite des EHPAD de Chambéry",
            "title_en": "",
            "summary_fr": "La délégation de Bignona découvre les EHPAD.",
            "summary_en": "",
            "start_date": "2016-05-10",
            "end_date": "2016-05-12",
            "place": "Chambéry",
            "host_territory": savoie().pk,
            "visiting_territory": bignona().pk,
            "professionals_met_count": "12",
            "elected_officials_count": "2",
            "technical_staff_count": "3",
            "follow_up_fr": "",
            "follow_up_en": "",
            "version": "",
        }
    else:
        data = {
            "kind": exchange.kind,
            "title_fr": exchange.title_fr or "",
            "title_en": exchange.title_en or "",
            "summary_fr": exchange.summary_fr or "",
            "summary_en": exchange.summary_en or "",
            "start_date": exchange.start_date.isoformat(),
            "end_date": exchange.end_date.isoformat(),
            "place": exchange.place,
            "host_territory": exchange.host_territory_id,
            "visiting_territory": exchange.visiting_territory_id or "",
            "professionals_met_count": str(exchange.professionals_met_count),
            "elected_officials_count": str(exchange.elected_officials_count),
            "technical_staff_count": str(exchange.technical_staff_count),
            "follow_up_fr": exchange.follow_up_fr or "",
            "follow_up_en": exchange.follow_up_en or "",
            "version": str(exchange.version),
            "strands": [s.pk for s in exchange.strands.all()],
            "establishments": [e.pk for e in exchange.establishments.all()],
        }
    data.update(changes)
    return data
