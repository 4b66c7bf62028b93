"""Who may do what is written once: one function per rule, returning the refusal (a translated
sentence) or None; the 403 page shows the very sentence the rule returns."""

import inspect
import types

import pytest
from django.utils import translation
from django.utils.html import escape

from exchanges import permissions as exchange_rules
from reporting import permissions as restitution_rules
from tests.factories import savoie
from tests.reporting_factories import RestitutionFactory

RULE_MODULES = [exchange_rules, restitution_rules]


def _rules(module: types.ModuleType) -> list[tuple[str, object]]:
    return [
        (name, function)
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__ and not name.startswith("_")
    ]


@pytest.mark.parametrize("module", RULE_MODULES, ids=lambda module: module.__name__)
def test_each_rule_is_one_function_that_returns_its_refusal_or_none(module):
    rules = _rules(module)

    assert rules
    for name, function in rules:
        assert name.startswith("refusal_to_"), f"{name}: name it refusal_to_<what is asked>"
        assert inspect.signature(function).return_annotation in ("str | None", str | None), name


@pytest.fixture
def draft(partnership):
    return RestitutionFactory(partnership=partnership, year=2016)


# (who, method, address, the rule that refuses, asked with the user and the visit)
REFUSALS = [
    (
        "elected_official",
        "get",
        "/fr/exchanges/new/",
        lambda user, visit: exchange_rules.refusal_to_create_exchange(user),
    ),
    (
        "elected_official",
        "post",
        "/fr/exchanges/{pk}/edit/",
        lambda user, visit: exchange_rules.refusal_to_edit_exchange(user, visit),
    ),
    (
        "officer_bignona",
        "post",
        "/fr/exchanges/{pk}/cross-views/savoie/",
        lambda user, visit: exchange_rules.refusal_to_write_cross_view(user, visit, savoie()),
    ),
    (
        "elected_official",
        "get",
        "/fr/exchanges/{pk}/attachments/new/",
        lambda user, visit: exchange_rules.refusal_to_add_attachment(user, visit),
    ),
    (
        "elected_official",
        "get",
        "/fr/exchanges/to-write/",
        lambda user, visit: exchange_rules.refusal_to_list_cross_views_to_write(user),
    ),
    (
        "elected_official",
        "get",
        "/fr/restitutions/2016/",
        lambda user, visit: restitution_rules.refusal_to_read_drafts(user),
    ),
    (
        "elected_official",
        "post",
        "/fr/restitutions/start/",
        lambda user, visit: restitution_rules.refusal_to_start_restitution(user),
    ),
    (
        "elected_official",
        "get",
        "/fr/restitutions/2016/edit/",
        lambda user, visit: restitution_rules.refusal_to_edit_restitution(user),
    ),
    (
        "officer_savoie",
        "get",
        "/fr/restitutions/2016/publish/",
        lambda user, visit: restitution_rules.refusal_to_publish_restitution(user),
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "method", "address", "rule"), REFUSALS, ids=[row[2] for row in REFUSALS]
)
def test_the_403_page_says_the_sentence_the_rule_returns(
    client, request, visit, draft, who, method, address, rule
):
    user = request.getfixturevalue(who)
    client.force_login(user)

    response = getattr(client, method)(address.format(pk=visit.pk))

    with translation.override("fr"):
        refusal = rule(user, visit)
    assert refusal
    assert response.status_code == 403
    assert escape(refusal) in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("address", "rule"),
    [
        ("/fr/exchanges/", exchange_rules.refusal_to_read_exchanges),
        ("/fr/restitutions/", restitution_rules.refusal_to_read_restitutions),
    ],
)
def test_an_account_without_a_role_reads_the_rules_refusal(
    client, django_user_model, partnership, address, rule
):
    nobody = django_user_model.objects.create_user("nobody", password="x" * 12)
    client.force_login(nobody)

    response = client.get(address)

    with translation.override("fr"):
        refusal = rule(nobody)
    assert response.status_code == 403
    assert escape(refusal) in response.content.decode()
