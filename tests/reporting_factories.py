"""Factories and a small year of data for the annual restitution's stories."""

import datetime

import factory

from exchanges.models import Exchange
from observatory.models import WorkTrack
from partners.models import Partnership
from reporting.models import Restitution

from .factories import (
    CrossViewFactory,
    EstablishmentFactory,
    ExchangeFactory,
    FundingLineFactory,
    OrganisationFactory,
    PartnershipFactory,
    QuestioningFactory,
    StrandFactory,
    WorkTrackFactory,
    bignona,
    savoie,
)

try:  # Django 6.0+: the tasks framework is built in; on 5.2 the django-tasks backport
    import django.tasks  # noqa: F401

    TASKS_PACKAGE = "django.tasks"
except ImportError:
    TASKS_PACKAGE = "django_tasks"
IMMEDIATE_BACKEND = f"{TASKS_PACKAGE}.backends.immediate.ImmediateBackend"
# Publishing renders in the request in tests (the site uses the database backend + a worker).
IMMEDIATE_TASKS = {"default": {"BACKEND": IMMEDIATE_BACKEND}}
# Tasks enqueued and never run: a rendering caught half-way.
DUMMY_TASKS = {
    "default": {
        "BACKEND": IMMEDIATE_BACKEND.replace("immediate.ImmediateBackend", "dummy.DummyBackend")
    }
}


def isolate_publishing(settings, tmp_path) -> None:
    """Published files go to a temporary folder; publishing renders at once."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = IMMEDIATE_TASKS


def isolate_draft_renderings(settings, tmp_path) -> None:
    """Files go to a temporary folder; drafts are enqueued only (each test runs the worker's
    task itself); two renderings at once on the site."""
    isolate_publishing(settings, tmp_path)
    settings.TASKS = DUMMY_TASKS
    settings.RESTITUTION_RENDERS_AT_ONCE = 2


class RestitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Restitution
        django_get_or_create = ("partnership", "year")

    partnership = factory.SubFactory(PartnershipFactory)
    year = 2016
    introduction_fr = "En 2016, le regard croisé a pris corps des deux côtés."
    introduction_en = "In 2016, the cross view took shape on both sides."
    conclusion_fr = "Les pistes de travail continuent en 2017."
    conclusion_en = "The work tracks go on in 2017."


def year_of_exchanges(partnership: Partnership, *, exchanges: int = 3) -> list[Exchange]:
    """A small 2016: two strands, funding, a paired questioning with work tracks, and
    `exchanges` field visits with both sides' cross views."""
    elderly = StrandFactory(
        partnership=partnership,
        name_fr="Le rôle social des personnes âgées",
        name_en="The social role of elderly people",
        short_name_fr="Personnes âgées",
        short_name_en="Elderly people",
        order=1,
    )
    youth = StrandFactory(
        partnership=partnership,
        name_fr="La réinsertion sociale des jeunes",
        name_en="The social reintegration of young people",
        short_name_fr="Jeunesse",
        short_name_en="Youth",
        order=2,
    )
    FundingLineFactory(
        partnership=partnership,
        funder=OrganisationFactory(name_fr="Département de la Savoie"),
        amount=20000,
    )
    FundingLineFactory(
        partnership=partnership,
        funder=OrganisationFactory(
            name_fr="Ministère des Affaires étrangères",
            name_en="Ministry of Foreign Affairs",
        ),
        amount=5000,
    )
    question = QuestioningFactory(
        territory=savoie(),
        question_fr="Comment développer le pouvoir d'agir des personnes ?",
        question_en="How can the power to act of people be developed?",
    )
    question.topic.name_fr = "Pouvoir d'agir"
    question.topic.name_en = "Power to act"
    question.topic.save()
    WorkTrackFactory(
        questioning=question,
        year=2015,
        status=WorkTrack.Status.PLANNED,
        title_fr="Écouter les personnes suivies",
        title_en="Listen to people",
    )
    WorkTrackFactory(
        questioning=question,
        year=2016,
        status=WorkTrack.Status.IN_PROGRESS,
        title_fr="Écouter les personnes suivies",
        title_en="Listen to people",
    )
    made = []
    for number in range(exchanges):
        exchange = ExchangeFactory(
            partnership=partnership,
            title_fr=f"Visite d'un EHPAD n° {number + 1}",
            title_en=f"Visit of a nursing home no. {number + 1}",
            start_date=datetime.date(2016, 3, 1) + datetime.timedelta(days=number),
            professionals_met_count=5,
            strands=[elderly, youth] if number == 0 else [elderly],
            establishments=[EstablishmentFactory()],
            host_territory=savoie(),
            visiting_territory=bignona(),
        )
        exchange.questionings.add(question)
        CrossViewFactory(
            exchange=exchange,
            territory=savoie(),
            text_fr="La Savoie retient la force du lien social.",
            text_en="Savoie takes away the strength of social ties.",
        )
        CrossViewFactory(
            exchange=exchange,
            territory=bignona(),
            text_fr="Bignona retient la prise en charge individualisée.",
            text_en="Bignona takes away individualised care.",
        )
        made.append(exchange)
    return made


def pdf_text(pdf: bytes) -> str:
    """The text a reader copies out of a PDF (poppler's pdftotext), spaces normalised."""
    import re
    import shutil
    import subprocess

    import pytest

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is needed to read the PDF back")
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    # A line may break after a word's own hyphen ("auto-emploi"): join it back.
    text = re.sub(r"(?<=\w)-\n(?=\w)", "-", text)
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def html_text(html: bytes) -> str:
    """The visible text of an HTML edition, spaces normalised."""
    import html as html_module
    import re

    text = re.sub(r"<[^>]+>", " ", html.decode())
    text = html_module.unescape(text)
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def download_draft_pdf(client, url: str = "/fr/restitutions/2016/pdf/") -> bytes:
    """What an officer does for a draft's PDF: ask for it (the task worker renders it; with
    IMMEDIATE_TASKS, before the request returns), open the page that tells how far it is,
    then download the file it offers."""
    asked = client.get(url)
    assert asked.status_code == 302, asked.status_code
    page = client.get(asked["Location"])
    assert page.status_code == 200
    rendering = page.context["rendering"]
    assert rendering.status == "done", rendering.error
    download = asked["Location"] + "download/"
    assert f'href="{download}"' in page.content.decode()
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.getvalue()
