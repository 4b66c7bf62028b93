"""Small screens: on a 360×740 phone the header takes at most a fifth of the height, and the
paired questionings name "Savoie" and "Bignona" for every question once the table stacks; a
Bignona officer finds an establishment among hundreds by typing a few letters, accents or not."""

import pytest
from playwright.sync_api import expect

HEADER_HEIGHT = "document.querySelector('.site-header').getBoundingClientRect().height"


def test_the_header_leaves_the_phone_screen_to_the_page(journey):
    if not journey.is_phone:
        pytest.skip("a phone's screen")
    page = journey.page

    journey.goto("/fr/")
    anonymous = page.evaluate(HEADER_HEIGHT)
    journey.log_in("officer-bignona")
    journey.goto("/fr/")
    journey.step("header-logged-in")
    officer = page.evaluate(HEADER_HEIGHT)

    print(f"\nheader at 360×740: {anonymous:.0f} px anonymous, {officer:.0f} px for an officer")
    assert anonymous <= 740 / 5
    assert officer <= 740 / 5
    journey.open_menu()
    to_write = page.locator("header nav a[href='/fr/exchanges/to-write/']")
    to_write.scroll_into_view_if_needed()
    expect(to_write).to_be_visible()
    expect(page.locator("header button", has_text="Se déconnecter")).to_be_visible()


def test_every_question_names_its_territory_on_a_phone(journey):
    page = journey.page
    journey.goto("/fr/questionings/")
    journey.step("paired-questionings")

    cells = page.locator("table.paired tbody td")
    assert cells.count() > 10
    labels = page.locator("table.paired tbody td .cell-label")
    if journey.is_phone:  # stacked: each cell says whose it is
        for index in range(cells.count()):
            label = labels.nth(index)
            expect(label).to_be_visible()
            assert label.inner_text().strip().lower() in {"savoie", "bignona"}
        expect(labels.first).to_have_text("Savoie")
        expect(labels.nth(1)).to_have_text("Bignona")
    else:  # side by side: the column headers say it
        expect(labels.first).to_be_hidden()
        expect(page.locator("table.paired thead th").nth(1)).to_contain_text("Savoie")


def test_an_officer_finds_an_establishment_by_typing(journey):
    page = journey.page
    journey.log_in("officer-bignona")
    journey.goto("/fr/exchanges/new/")
    establishments = page.locator("fieldset.establishments")
    establishments.locator("summary").click()
    groups = establishments.locator(".choice-group-title")
    expect(groups.first).to_contain_text("Bignona")  # the officer's territory first

    page.fill("#establishment-search", "THIONCK essyl")
    shown = establishments.locator(".choice-list label:visible")
    expect(shown).to_have_count(1)
    expect(shown.first).to_contain_text("Case des tout-petits de Thionck-Essyl")
    journey.step("establishment-search", part=establishments)
    shown.first.locator("input").check()
    page.fill("#establishment-search", "chambery")
    expect(establishments.locator("input:checked:visible")).to_have_count(1)  # ticked: kept
    expect(establishments.locator("[data-choice-status]")).to_contain_text("affichés")


# Every role's menu, in the order it shows (issue 23, item 10): nothing cut at "Re…".
MENUS = {
    None: ["Questionnements croisés", "Année par année"],
    "officer-savoie": ["Échanges", "À rédiger", "Questionnements croisés",
                       "Restitutions annuelles", "Année par année", "Changements"],
    "officer-bignona": ["Échanges", "À rédiger", "Questionnements croisés",
                        "Restitutions annuelles", "Année par année", "Changements"],
    "elu-savoie": ["Restitutions annuelles", "Échanges", "Questionnements croisés",
                   "Année par année", "Changements"],
    "admin": ["Échanges", "Questionnements croisés", "Restitutions annuelles",
              "Année par année", "Changements", "Administration"],
}  # fmt: skip


@pytest.mark.parametrize("username", list(MENUS), ids=lambda name: name or "anonymous")
def test_every_menu_item_is_within_reach_for_every_role(journey, username):
    page = journey.page
    if username:
        journey.log_in(username)
    journey.goto("/fr/")
    journey.open_menu()
    journey.step(f"menu-{username or 'anonymous'}", part=page.locator("header"))

    width = page.viewport_size["width"]
    links = page.locator("header nav .nav a:visible")
    names = [text.split("\n")[0].strip() for text in links.all_inner_texts()]
    if not journey.is_phone:
        names.remove("Accueil")  # on a phone the site's name is the way home
    assert names == MENUS[username]
    for index in range(links.count()):
        link = links.nth(index)
        expect(link).to_be_in_viewport()
        box = link.bounding_box()
        assert box is not None, names[index]
        assert box["x"] >= 0, names[index]
        assert box["x"] + box["width"] <= width, names[index]
        assert box["height"] >= 44 or not journey.is_phone  # a finger's target
