"""The pages of the changes on the territories: thin views that ask change_permissions, call a
selector or a service, and render. The form works with the phone's outbox (static/js/outbox.js)
as the exchange form does: sent with `X-Outbox: 1`, it is answered in JSON
(exchanges/answers.py's states)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.permissions import require
from partners.models import Partnership
from partners.selectors import partnership_of, partnership_territories

from . import answers
from . import change_permissions as permissions
from . import change_selectors as selectors
from . import change_services as services
from .change_forms import PolicyChangeForm
from .models import ChangeSubmission, PolicyChange
from .submissions import parse_key
from .validators import download_name


def _partnership(request) -> Partnership:
    partnership = partnership_of(request.user)
    if partnership is None:
        raise Http404
    return partnership


def _visible(request, pk: int) -> PolicyChange:
    return get_object_or_404(
        selectors.visible_changes(request.user).select_related("territory", "partnership"), pk=pk
    )


def _saved(request, change_id: int, message: str):
    """The change's page, or for the outbox the JSON of a sent item."""
    url = reverse("change_detail", args=[change_id])
    if not answers.from_outbox(request):
        messages.success(request, message)
        return redirect(url)
    if request.headers.get(answers.OUTBOX_SHOWN_HEADER):
        messages.success(request, message)
    return JsonResponse({"state": "sent", "url": url, "change": change_id, "object": change_id})


def _already_saved(request, previous: ChangeSubmission):
    return _saved(request, previous.change_id, _("This was already saved, once: here it is."))


def _previous(request) -> ChangeSubmission | None:
    if request.method != "POST":
        return None
    return services.previous_submission(parse_key(request.POST.get("submission_key")), request.user)


@login_required
def change_list(request):
    """Both sides' changes, newest first, by year; each side writes its own."""
    require(permissions.refusal_to_read_changes(request.user))
    partnership = _partnership(request)
    territories = partnership_territories(partnership)
    changes = list(selectors.changes_of(partnership))
    wanted = request.GET.get("territory")
    if wanted:
        changes = [c for c in changes if c.territory.slug == wanted]
    years: dict[int, list[PolicyChange]] = {}
    for change in changes:
        years.setdefault(change.date.year, []).append(change)
    context = {
        "partnership": partnership,
        "territories": territories,
        "wanted": wanted,
        "years": sorted(years.items(), reverse=True),
        "can_record": permissions.refusal_to_record_change(request.user) is None,
    }
    return render(request, "exchanges/changes/list.html", context)


@login_required
def change_detail(request, pk: int):
    require(permissions.refusal_to_read_changes(request.user))
    change = _visible(request, pk)
    context = {
        "change": change,
        "questionings": change.questionings.select_related("topic", "territory"),
        "work_tracks": change.work_tracks.select_related("territory"),
        "exchanges": change.exchanges.filter(deleted_at__isnull=True),
        "can_edit": permissions.refusal_to_edit_change(request.user, change) is None,
    }
    return render(request, "exchanges/changes/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def change_create(request):
    require(permissions.refusal_to_read_changes(request.user))
    require(permissions.refusal_to_record_change(request.user))
    partnership = _partnership(request)
    form = PolicyChangeForm(
        request.POST or None,
        request.FILES or None,
        partnership=partnership,
        user=request.user,
        territories=partnership_territories(partnership),
    )
    if previous := _previous(request):
        return _already_saved(request, previous)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.change_create(
                author=request.user,
                partnership=partnership,
                values=form.cleaned_data,
                evidence=form.cleaned_data.get("evidence"),
                submission_key=form.cleaned_data["submission_key"],
            )
        except services.AlreadySaved as error:
            return _already_saved(request, error.previous)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _saved(request, change.pk, _("The change is recorded."))
    if request.method == "POST" and answers.from_outbox(request):
        return answers.refused(form)
    return render(request, "exchanges/changes/form.html", {"form": form, "change": None})


@login_required
@require_http_methods(["GET", "POST"])
def change_edit(request, pk: int):
    require(permissions.refusal_to_read_changes(request.user))
    change = _visible(request, pk)
    require(permissions.refusal_to_edit_change(request.user, change))
    saved_title = change.title
    form = PolicyChangeForm(
        request.POST or None,
        request.FILES or None,
        instance=change,
        partnership=change.partnership,
        user=request.user,
        territories=partnership_territories(change.partnership),
    )
    conflict = None
    if previous := _previous(request):
        return _already_saved(request, previous)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_update(
                change=change,
                author=request.user,
                expected_version=form.cleaned_data["version"],
                values=form.cleaned_data,
                evidence=form.cleaned_data.get("evidence"),
                remove_evidence=form.cleaned_data.get("remove_evidence", False),
                submission_key=form.cleaned_data["submission_key"],
            )
        except services.AlreadySaved as error:
            return _already_saved(request, error.previous)
        except services.EditConflict as error:
            if error.current is None:
                raise Http404 from None
            if answers.from_outbox(request):
                return answers.conflict()
            conflict = error.current
            data = request.POST.copy()
            data["version"] = str(error.current.version)  # saving again replaces it, knowingly
            form = PolicyChangeForm(
                data,
                instance=error.current,
                partnership=change.partnership,
                user=request.user,
                territories=partnership_territories(change.partnership),
            )
            form.is_valid()
            form.add_error(
                None,
                _(
                    "Someone saved this change while you were editing it. Here is what you "
                    "typed; the saved version is below. Save again to replace it."
                ),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _saved(request, change.pk, _("Your changes are saved."))
    if request.method == "POST" and answers.from_outbox(request):
        return answers.refused(form)
    context = {"form": form, "change": change, "title": saved_title, "conflict": conflict}
    return render(request, "exchanges/changes/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def change_delete(request, pk: int):
    require(permissions.refusal_to_read_changes(request.user))
    change = _visible(request, pk)
    require(permissions.refusal_to_edit_change(request.user, change))
    if request.method == "POST":
        services.change_delete(change=change, author=request.user)
        messages.success(request, _("The change “%(title)s” is deleted.") % {"title": change.title})
        return redirect("change_list")
    return render(request, "exchanges/changes/delete.html", {"change": change})


@login_required
def change_evidence(request, pk: int):
    """The evidence file, to members only, with the type checked when it was added."""
    require(permissions.refusal_to_read_changes(request.user))
    change = _visible(request, pk)
    if not change.evidence:
        raise Http404
    try:
        handle = change.evidence.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = change.evidence_content_type
    return FileResponse(
        handle,
        content_type=content_type,
        as_attachment=not content_type.startswith("image/"),
        filename=download_name(change.evidence_name, content_type),
    )
