"""The CSV export carries both sides' cross views, the follow-up, the questionings worked on,
an id and a link, and still opens cleanly (and safely) in a French spreadsheet."""

import csv
import io

import pytest

from tests.factories import CrossViewFactory, ExchangeFactory, QuestioningFactory, bignona, savoie

pytestmark = pytest.mark.django_db


def read_csv(response) -> list[list[str]]:
    raw = response.getvalue()  # streamed
    assert raw.startswith(b"\xef\xbb\xbf")  # the byte order mark: Excel reads UTF-8
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def test_each_row_has_both_cross_views_the_follow_up_the_questionings_an_id_and_a_link(
    client, officer_savoie, partnership
):
    exchange = ExchangeFactory(title_fr="Visite", follow_up_fr="Une restitution en 2017.")
    exchange.questionings.set(
        [QuestioningFactory(question_fr="Comment travailler en réseau ?", topic__name_fr="Réseau")]
    )
    CrossViewFactory(exchange=exchange, territory=savoie(), text_fr="Le lien social.")
    CrossViewFactory(exchange=exchange, territory=bignona(), text_fr="=1+1 la prise en charge")
    ExchangeFactory(title_fr="Sans regard")
    client.force_login(officer_savoie)

    header, *rows = read_csv(client.get("/fr/exchanges/export.csv"))

    assert header[-7:-4] == ["Résumé", "Suites à donner", "Questionnements croisés travaillés"]
    # one column a territory, in the partnership's order (the carrier's first, then by name)
    assert set(header[-4:-2]) == {"Regard croisé de la Savoie", "Regard croisé de Bignona"}
    assert header[-2:] == ["Identifiant", "Lien"]
    by_title = {row[3]: dict(zip(header, row, strict=True)) for row in rows}
    visit = by_title["Visite"]
    assert visit["Regard croisé de la Savoie"] == "Le lien social."
    assert visit["Regard croisé de Bignona"] == "'=1+1 la prise en charge"  # not a formula
    assert visit["Suites à donner"] == "Une restitution en 2017."
    assert (
        visit["Questionnements croisés travaillés"]
        == "Savoie — Réseau — Comment travailler en réseau ?"
    )
    assert visit["Identifiant"] == str(exchange.pk)
    assert visit["Lien"] == f"http://testserver/fr/exchanges/{exchange.pk}/"
    assert by_title["Sans regard"]["Regard croisé de Bignona"] == ""
