from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.permissions import require
from core.typography import typeset_html
from exchanges.selectors import exchange_years, key_figures
from observatory.selectors import partnership_sdgs
from partners.models import Partnership, PartnershipRole
from partners.selectors import (
    default_partnership,
    partnership_of,
    partnership_roles,
    partnership_territories,
)

from . import services
from .content import funding_of_year, restitution_content
from .document import render_edition
from .drafts import draft_html_is_small
from .forms import PublishForm, RestitutionStartForm, RestitutionTextForm
from .models import (
    DraftRendering,
    Edition,
    Format,
    Restitution,
    RestitutionFile,
    RestitutionVersion,
)
from .permissions import (
    refusal_to_edit_restitution,
    refusal_to_list_restitutions,
    refusal_to_publish_restitution,
    refusal_to_read_drafts,
    refusal_to_read_restitutions,
    refusal_to_start_restitution,
)
from .readiness import ReadinessNotAcknowledged, readiness_gaps
from .responses import bytes_response, stored_response
from .selectors import (
    done_version,
    latest_done_version,
    latest_published_restitution,
    restitution_of_year,
    restitutions_of,
    version_file,
    versions_with_files,
    years_without_restitution,
)


def home(request):
    """The partnership at a glance, with the key figures and the funding of a year (by default
    the latest year with a published restitution, else the latest with exchanges): the
    member's own partnership, the first one for anonymous visitors."""
    partnership = partnership_of(request.user) or default_partnership()
    if partnership is None:
        raise Http404
    years = exchange_years(partnership)
    published = latest_published_restitution(partnership)
    year = _chosen_year(request.GET.get("year"), years, default=published and published.year)
    territories = partnership_territories(partnership)
    context = {
        "partnership": partnership,
        "territories": territories,
        "roles": [
            role
            for role in partnership_roles(partnership)
            if role.role != PartnershipRole.Role.FUNDER  # the funders come from the lines
        ],
        "funding": funding_of_year(partnership, year),
        "sdgs": partnership_sdgs(partnership),
        "years": years,
        "figures": key_figures(partnership, year, territories=territories),
        # Restitutions are for members only.
        "latest_restitution": published
        if refusal_to_read_restitutions(request.user) is None
        else None,
    }
    response = render(request, "reporting/home.html", context)
    response.content = typeset_html(response.content.decode(), language=get_language()).encode()
    return response


def _chosen_year(raw: str | None, years: list[int], default: int | None = None) -> int | None:
    """?year=2016 if it has exchanges, ?year=all for the whole partnership, else `default`
    (the latest published year) or the latest year."""
    if raw == "all":
        return None
    # Compared as text: int() refuses some str.isdigit() strings ("²") and very long ones.
    by_text = {str(year): year for year in years}
    if raw in by_text:
        return by_text[raw]
    if default in years:
        return default
    return years[-1] if years else None


# --- Annual restitutions ----------------------------------------------------------------------


def _partnership(request) -> Partnership:
    """The user's partnership (`partners.selectors.partnership_of`): the restitutions reached
    by year are its own, so another partnership's are not found."""
    partnership = partnership_of(request.user)
    require(refusal_to_list_restitutions(request.user, partnership))
    if partnership is None:  # refused above; says so to the type checker
        raise Http404
    return partnership


def _readable_restitution(request, year: int) -> Restitution:
    require(refusal_to_read_restitutions(request.user))
    try:
        return restitution_of_year(_partnership(request), year)
    except Restitution.DoesNotExist:
        raise Http404(_("No restitution for this year.")) from None


def _edition(request) -> str:
    """?edition=bilingual, or else the language of the address (/fr/ or /en/)."""
    if request.GET.get("edition") == Edition.BILINGUAL:
        return Edition.BILINGUAL
    return Edition.ENGLISH if get_language() == "en" else Edition.FRENCH


@login_required
def restitution_list(request):
    require(refusal_to_read_restitutions(request.user))
    partnership = _partnership(request)
    restitutions = restitutions_of(partnership)
    drafts_visible = refusal_to_read_drafts(request.user) is None
    rows = []
    for restitution in restitutions:
        versions = list(restitution.versions.all())
        published = latest_done_version(versions)
        if published is None and not drafts_visible:
            continue
        in_progress = next((v for v in versions if v.is_in_progress), None)
        rows.append({"restitution": restitution, "published": published, "rendering": in_progress})
    context = {
        "partnership": partnership,
        "rows": rows,
        "drafts_visible": drafts_visible,
        "start_form": RestitutionStartForm(
            years=years_without_restitution(partnership, restitutions)
        )
        if refusal_to_start_restitution(request.user) is None
        else None,
    }
    return render(request, "reporting/restitution_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def restitution_start(request):
    if request.method == "GET":
        # An address typed or bookmarked: the start form is on the list of restitutions.
        return redirect("restitution_list")
    require(refusal_to_start_restitution(request.user))
    partnership = _partnership(request)
    form = RestitutionStartForm(
        request.POST, years=years_without_restitution(partnership, restitutions_of(partnership))
    )
    if not form.is_valid():
        messages.error(request, _("Choose a year that has exchanges and no restitution yet."))
        return redirect("restitution_list")
    restitution = services.restitution_create(
        partnership=partnership, year=int(form.cleaned_data["year"]), user=request.user
    )
    messages.success(request, _("The draft restitution is started: write its introduction."))
    return redirect("restitution_edit", year=restitution.year)


@login_required
def restitution_detail(request, year: int):
    """The HTML edition: the published bytes, or the live draft for officers and admins."""
    return _edition_response(request, year, Format.HTML)


@login_required
def restitution_pdf(request, year: int):
    return _edition_response(request, year, Format.PDF)


def _edition_response(request, year: int, format: str) -> HttpResponse:
    restitution = _readable_restitution(request, year)
    edition = _edition(request)
    if request.GET.get("draft") != "1":
        stored = version_file(restitution, number=None, edition=edition, format=format)
        if stored is not None:
            return _stored_response(stored, restitution)
    require(refusal_to_read_drafts(request.user))
    if format == Format.HTML and draft_html_is_small(restitution):
        # A small year's HTML takes well under a second (bounded by one aggregate query, see
        # reporting/drafts.py): rendered here, from the data as it is. A larger one, and every
        # PDF, by the task worker.
        data = render_edition(restitution_content(restitution), edition=edition, format=format)
        response = bytes_response(data, format, f"{_file_stem(restitution, edition)}-draft")
        response["Cache-Control"] = "private, no-store"
        return response
    return _draft_rendering_request(request, restitution, edition, format)


def _draft_rendering_request(
    request, restitution: Restitution, edition: str, format: str
) -> HttpResponse:
    """A draft's PDF, or a large year's HTML, is rendered by the task worker: ask for it (or
    find the rendering of it in progress), then show how far it is."""
    try:
        rendering = services.draft_rendering_request(
            restitution=restitution, edition=edition, user=request.user, format=format
        )
    except services.DraftRenderingRefused as refusal:
        response = render(
            request,
            "reporting/draft_pdf_busy.html",
            {"restitution": restitution, "message": refusal.message, "format": format},
            status=429,
        )
        response["Retry-After"] = str(refusal.retry_after)
        response["Cache-Control"] = "private, no-store"
        return response
    return redirect("restitution_draft_pdf", year=restitution.year, pk=rendering.pk)


def _draft_rendering(request, year: int, pk: int) -> DraftRendering:
    restitution = _readable_restitution(request, year)
    require(refusal_to_read_drafts(request.user))
    rendering = get_object_or_404(DraftRendering, pk=pk, restitution=restitution)
    rendering.restitution = restitution
    return rendering


@login_required
def restitution_draft_pdf(request, year: int, pk: int):
    """How far a draft's PDF (or a large year's HTML) is: refreshes itself until it is ready,
    then offers the PDF; a ready HTML edition is shown at once."""
    rendering = _draft_rendering(request, year, pk)
    if rendering.format == Format.HTML and rendering.status == DraftRendering.Status.DONE:
        return redirect("restitution_draft_pdf_file", year=year, pk=pk)
    page = "restitution_pdf" if rendering.format == Format.PDF else "restitution_detail"
    again = reverse(page, args=[year]) + "?draft=1"
    if rendering.edition == Edition.BILINGUAL:
        again += "&edition=bilingual"
    elif rendering.edition != get_language():
        with translation.override(rendering.edition):
            again = reverse(page, args=[year]) + "?draft=1"
    context = {"rendering": rendering, "again_url": again}
    response = render(request, "reporting/draft_pdf.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def restitution_draft_pdf_file(request, year: int, pk: int):
    rendering = _draft_rendering(request, year, pk)
    if rendering.status != DraftRendering.Status.DONE or not rendering.file:
        raise Http404(_("This PDF is not ready."))
    stem = f"{_file_stem(rendering.restitution, rendering.edition)}-draft"
    response = stored_response(rendering.file, sha256=None, format=rendering.format, stem=stem)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def restitution_file(request, year: int, number: int, edition: str, format: str):
    """A file of any published version, old ones included, exactly as it was stored."""
    restitution = _readable_restitution(request, year)
    if edition not in Edition.values or format not in Format.values:
        raise Http404
    stored = version_file(restitution, number=number, edition=edition, format=format)
    if stored is None:
        raise Http404(_("No such published file."))
    return _stored_response(stored, restitution)


@login_required
def restitution_stylesheet(request, year: int, number: int):
    """The screen stylesheet a published version was stored with: its HTML links here."""
    restitution = _readable_restitution(request, year)
    version = done_version(restitution, number=number)
    if version is None or not version.stylesheet:
        raise Http404(_("No such published file."))
    stem = f"{restitution.partnership.slug}-{restitution.year}-v{number}-report"
    return stored_response(
        version.stylesheet, sha256=version.stylesheet_sha256, format="css", stem=stem
    )


def _file_stem(restitution: Restitution, edition: str) -> str:
    return f"{restitution.partnership.slug}-{restitution.year}-{edition}"


def _stored_response(stored: RestitutionFile, restitution: Restitution) -> HttpResponse:
    stem = f"{_file_stem(restitution, stored.edition)}-v{stored.version.number}"
    return stored_response(stored.file, sha256=stored.sha256, format=stored.format, stem=stem)


@login_required
def restitution_versions(request, year: int):
    """The publication page: status, progress of a rendering, every version's files."""
    restitution = _readable_restitution(request, year)
    versions = versions_with_files(restitution)
    draft_refusal = refusal_to_read_drafts(request.user)
    drafts_visible = draft_refusal is None
    if not drafts_visible:
        versions = [v for v in versions if v.status == RestitutionVersion.Status.DONE]
        if not versions:
            require(draft_refusal)
    context = {
        "restitution": restitution,
        "versions": versions,
        "published": latest_done_version(versions),
        "rendering": next((v for v in versions if v.is_in_progress), None),
        "drafts_visible": drafts_visible,
        "may_edit": refusal_to_edit_restitution(request.user) is None,
        "may_publish": refusal_to_publish_restitution(request.user) is None,
        "editions": Edition.choices,
    }
    return render(request, "reporting/restitution_versions.html", context)


@login_required
def restitution_publish(request, year: int):
    """The readiness check, then publishing: what the edition still lacks is listed (by
    exchange and side); with anything listed, publishing needs it acknowledged."""
    require(refusal_to_publish_restitution(request.user))
    restitution = _readable_restitution(request, year)
    gaps = readiness_gaps(restitution_content(restitution))
    form = PublishForm(request.POST if request.method == "POST" else None, gaps=gaps)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.restitution_publish(
                restitution=restitution, user=request.user, acknowledged=form.acknowledged_keys
            )
        except ReadinessNotAcknowledged:
            messages.error(
                request, _("The data changed since the check: read the list again, then publish.")
            )
            return redirect("restitution_publish", year=year)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Version %(number)s is being rendered; elected officials read it once done.")
                % {"number": version.number},
            )
        return redirect("restitution_versions", year=year)
    context = {"restitution": restitution, "gaps": gaps, "form": form}
    return render(request, "reporting/restitution_publish.html", context)


@login_required
def restitution_edit(request, year: int):
    require(refusal_to_edit_restitution(request.user))
    restitution = _readable_restitution(request, year)
    form = RestitutionTextForm(request.POST or None, instance=restitution)
    if request.method == "POST" and form.is_valid():
        services.restitution_update(restitution=restitution, user=request.user, **form.cleaned_data)
        messages.success(
            request, _("Saved. The draft shows it now; publish again for elected officials.")
        )
        return redirect("restitution_versions", year=year)
    return render(
        request, "reporting/restitution_edit.html", {"restitution": restitution, "form": form}
    )
