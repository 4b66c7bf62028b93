"""The reciprocity index's properties (docs/reciprocity.md), for any counts: it reads the same
both ways, a year balanced in every respect gives 1, a year where one side alone acts gives 0,
and a Bignona→Savoie visit added to a Savoie-heavy year raises it."""

from hypothesis import given
from hypothesis import strategies as st

from exchanges.reciprocity import YearFacts, reciprocity

counts = st.integers(min_value=0, max_value=40)
pairs = st.tuples(counts, counts)


@st.composite
def years(draw) -> YearFacts:
    delegations = draw(pairs)
    exchanges = sum(delegations) + draw(counts)  # the delegations, and local exchanges
    return YearFacts(
        delegations=delegations,
        exchanges=exchanges,
        both_views=draw(st.integers(min_value=0, max_value=exchanges)),
        changes=draw(pairs),
        moving=draw(pairs),
    )


@given(years())
def test_swapping_the_two_territories_leaves_the_index_unchanged(facts):
    assert reciprocity(facts).index == reciprocity(facts.swapped()).index


@given(years())
def test_the_index_is_between_0_and_1(facts):
    index = reciprocity(facts).index
    assert index is None or 0 <= index <= 1


@given(
    st.integers(min_value=1, max_value=40),
    st.integers(min_value=1, max_value=40),
    st.integers(min_value=1, max_value=40),
    st.integers(min_value=0, max_value=40),
)
def test_a_perfectly_balanced_year_gives_1(delegations, changes, moving, local):
    facts = YearFacts(
        delegations=(delegations, delegations),
        exchanges=2 * delegations + local,
        both_views=2 * delegations + local,
        changes=(changes, changes),
        moving=(moving, moving),
    )
    assert reciprocity(facts).index == 1


@given(
    st.integers(min_value=1, max_value=40),
    st.integers(min_value=0, max_value=40),
    st.integers(min_value=0, max_value=40),
    st.integers(min_value=0, max_value=40),
    st.booleans(),
)
def test_a_year_where_only_one_side_visits_writes_and_changes_gives_0(
    visits, local, changes, moving, savoie_acts
):
    facts = YearFacts(
        delegations=(visits, 0),
        exchanges=visits + local,
        both_views=0,  # only one side wrote its view
        changes=(changes, 0),
        moving=(moving, 0),
    )
    if not savoie_acts:
        facts = facts.swapped()
    assert reciprocity(facts).index == 0


@given(years(), st.booleans())
def test_a_bignona_to_savoie_visit_raises_a_savoie_heavy_year(facts, with_both_views):
    savoie_sent, bignona_sent = facts.delegations
    # Savoie-heavy: Savoie's delegations outnumber Bignona's.
    if savoie_sent <= bignona_sent:
        facts = YearFacts(
            delegations=(bignona_sent + 1, savoie_sent),
            exchanges=facts.exchanges + 1,
            both_views=facts.both_views,
            changes=facts.changes,
            moving=facts.moving,
        )
    savoie_sent, bignona_sent = facts.delegations
    visited = YearFacts(
        delegations=(savoie_sent, bignona_sent + 1),
        exchanges=facts.exchanges + 1,
        both_views=facts.both_views + (1 if with_both_views else 0),
        changes=facts.changes,
        moving=facts.moving,
    )
    assert reciprocity(visited).index > reciprocity(facts).index
