from django.http import Http404
from django.shortcuts import render

from partners.selectors import default_partnership, partnership_of, partnership_territories

from .selectors import paired_questionings


def questionings(request):
    # The member's own partnership, as on the home page (reporting.views.home).
    partnership = partnership_of(request.user) or default_partnership()
    if partnership is None:
        raise Http404
    territories = partnership_territories(partnership)
    context = {
        "partnership": partnership,
        "territories": territories,
        "tables": paired_questionings(partnership, territories),
        "lessons": partnership.lessons.all(),
    }
    return render(request, "observatory/questionings.html", context)
