from django.http import Http404
from django.shortcuts import render

from exchanges.selectors import exchange_years, key_figures
from partners.selectors import (
    default_partnership,
    funding_summary,
    partnership_roles,
    partnership_territories,
)


def home(request):
    """The partnership at a glance, with the key figures of a year (the latest by default)."""
    partnership = default_partnership()
    if partnership is None:
        raise Http404
    years = exchange_years(partnership)
    year = _chosen_year(request.GET.get("year"), years)
    context = {
        "partnership": partnership,
        "territories": partnership_territories(partnership),
        "roles": partnership_roles(partnership),
        "funding": funding_summary(partnership),
        "sdgs": partnership.sdgs.all(),
        "years": years,
        "figures": key_figures(partnership, year),
    }
    return render(request, "reporting/home.html", context)


def _chosen_year(raw: str | None, years: list[int]) -> int | None:
    """?year=2016 if it has exchanges, ?year=all for the whole partnership, else the latest."""
    if raw == "all":
        return None
    if raw and raw.isdigit() and int(raw) in years:
        return int(raw)
    return years[-1] if years else None
