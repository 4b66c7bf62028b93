"""Thin views: check who may, call a selector or a service, render or redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.permissions import require
from partners.models import Partnership
from partners.roles import is_administrator, is_officer, territory_of
from partners.selectors import partnership_of, partnership_territories

from . import conflicts, permissions, selectors, services
from .export import exchanges_csv
from .forms import AttachmentForm, CrossViewForm, EstablishmentForm, ExchangeForm, OwnCrossViewForm
from .models import CrossView, Exchange, SubmissionKey
from .pagination import keyset_page
from .submissions import target
from .validators import download_name
from .writes import Saved, Submission, draft_saved, saved_drafts, submit

PAGE_SIZE = 20
Kind = SubmissionKey.Kind


def _partnership(request) -> Partnership:
    """The user's partnership (`partners.selectors.partnership_of`): lists, the export and the
    forms show its exchanges only."""
    partnership = partnership_of(request.user)
    require(permissions.refusal_to_list_exchanges(request.user, partnership))
    if partnership is None:  # refused above; says so to the type checker
        raise Http404
    return partnership


def _require_member(user) -> None:
    require(permissions.refusal_to_read_exchanges(user))


@login_required
def exchange_list(request):
    _require_member(request.user)
    partnership = _partnership(request)
    context = {
        **_list_results(request, partnership),
        "can_create": permissions.refusal_to_create_exchange(request.user) is None,
        "saved_drafts": saved_drafts(request),
    }
    return render(request, "exchanges/list.html", context)


def _list_results(request, partnership: Partnership) -> dict:
    filterset = selectors.exchange_filter(partnership, request.GET)
    page = keyset_page(
        filterset.qs,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        size=PAGE_SIZE,
    )
    return {
        "filterset": filterset,
        "page": page,
        "is_filtered": any(request.GET.get(name) for name in filterset.filters),
    }


@login_required
def exchange_export(request):
    _require_member(request.user)
    filterset = selectors.exchange_filter(_partnership(request), request.GET)
    return exchanges_csv(
        selectors.exchanges_for_export(filterset),
        territories=filterset.territories,
        link=lambda exchange: request.build_absolute_uri(
            reverse("exchange_detail", kwargs={"pk": exchange.pk})
        ),
    )


@login_required
def exchange_detail(request, pk: int):
    _require_member(request.user)
    try:
        exchange, territories = selectors.exchange_detail(pk, user=request.user)
    except Exchange.DoesNotExist:
        raise Http404 from None
    sides = selectors.cross_view_sides(exchange, territories)
    user = request.user
    context = {
        "exchange": exchange,
        "sides": sides,
        "can_edit": permissions.refusal_to_edit_exchange(user, exchange) is None,
        "writable_sides": [
            side.territory.pk
            for side in sides
            if permissions.refusal_to_write_cross_view(user, exchange, side.territory) is None
        ],
        "can_add_attachment": permissions.refusal_to_add_attachment(user, exchange) is None,
        "saved_drafts": saved_drafts(request),
    }
    return render(request, "exchanges/detail.html", context)


def _creation_form(request, form_class):
    """Who may log an exchange (or add an establishment) in their partnership, and its form."""
    _require_member(request.user)
    require(permissions.refusal_to_create_exchange(request.user))
    partnership = _partnership(request)
    territories = partnership_territories(partnership)
    form = form_class(
        request.POST or None, partnership=partnership, user=request.user, territories=territories
    )
    return partnership, form


@login_required
@require_http_methods(["GET", "POST"])
def exchange_create(request):
    partnership, form = _creation_form(request, ExchangeForm)
    own_view = OwnCrossViewForm(request.POST or None) if territory_of(request.user) else None

    def save(key) -> Saved:
        exchange = services.exchange_log(
            author=request.user,
            partnership=partnership,
            values=form.cleaned_data,
            cross_view_fr=own_view.cleaned_data["text_fr"] if own_view else "",
            cross_view_en=own_view.cleaned_data["text_en"] if own_view else "",
            submission_key=key,
        )
        return Saved(exchange.pk, exchange.pk, _("The exchange is logged."))

    submission = Submission([form, own_view], Kind.EXCHANGE_CREATE, target(partnership), save)
    return submit(
        request, submission, "exchanges/form.html", {"own_view": own_view, "exchange": None}
    )


def _editable_exchange(request, pk: int, *related: str) -> Exchange:
    """The exchange the user may change (or delete), with its territories (and `related`)."""
    _require_member(request.user)
    exchange = get_object_or_404(
        selectors.visible_exchanges(request.user).select_related(
            "host_territory", "visiting_territory", *related
        ),
        pk=pk,
    )
    require(permissions.refusal_to_edit_exchange(request.user, exchange))
    return exchange


@login_required
@require_http_methods(["GET", "POST"])
def exchange_edit(request, pk: int):
    exchange = _editable_exchange(request, pk, "partnership")
    form_kwargs = {
        "partnership": exchange.partnership,
        "user": request.user,
        "territories": partnership_territories(exchange.partnership),
    }
    saved_title = exchange.title  # the form writes what is typed onto `exchange`
    form = ExchangeForm(request.POST or None, instance=exchange, **form_kwargs)

    def save(key) -> Saved:
        services.exchange_update(
            exchange=exchange,
            author=request.user,
            expected_version=form.cleaned_data["version"],
            values=form.cleaned_data,
            submission_key=key,
        )
        return Saved(exchange.pk, exchange.pk, _("Your changes are saved."))

    def reopen(current):
        conflict = conflicts.exchange_conflict(form, current)
        return conflict, conflicts.reopened(
            ExchangeForm,
            request.POST,
            version=current.version,
            conflict=conflict,
            instance=current,
            **form_kwargs,
        )

    submission = Submission([form], Kind.EXCHANGE_UPDATE, target(exchange), save, reopen=reopen)
    return submit(
        request, submission, "exchanges/form.html", {"exchange": exchange, "title": saved_title}
    )


@login_required
@require_http_methods(["GET", "POST"])
def exchange_delete(request, pk: int):
    """A confirmation page, then a soft delete that an administrator can undo."""
    exchange = _editable_exchange(request, pk)
    if request.method == "POST":
        services.exchange_delete(exchange=exchange, author=request.user)
        messages.success(
            request,
            _("The exchange “%(title)s” is deleted. An administrator can bring it back.")
            % {"title": exchange.title},
        )
        return redirect("exchange_list")
    return render(request, "exchanges/delete.html", {"exchange": exchange})


@login_required
@require_http_methods(["GET", "POST"])
def cross_view_edit(request, pk: int, territory: str):
    _require_member(request.user)
    exchange = get_object_or_404(
        selectors.visible_exchanges(request.user).select_related("partnership"), pk=pk
    )
    side = get_object_or_404(exchange.partnership.territories, slug=territory)
    require(permissions.refusal_to_write_cross_view(request.user, exchange, side))
    saved = CrossView.objects.filter(exchange=exchange, territory=side).first()
    initial = {}
    if saved:
        initial = {"text_fr": saved.text_fr, "text_en": saved.text_en, "version": saved.version}
    form = CrossViewForm(request.POST or None, initial=initial)

    def save(key) -> Saved:
        view = services.cross_view_save(
            exchange=exchange,
            territory=side,
            author=request.user,
            text_fr=form.cleaned_data["text_fr"],
            text_en=form.cleaned_data["text_en"],
            expected_version=form.cleaned_data["version"],
            submission_key=key,
        )
        message = _("The cross view of %(territory)s is saved.") % {"territory": side.name}
        return Saved(exchange.pk, view.pk, message)

    def reopen(current):
        conflict = conflicts.cross_view_conflict(form, current)
        return conflict, conflicts.reopened(
            CrossViewForm, request.POST, version=current.version, conflict=conflict
        )

    submission = Submission([form], Kind.CROSS_VIEW, target(exchange, side), save, reopen=reopen)
    return submit(
        request,
        submission,
        "exchanges/cross_view_form.html",
        {"exchange": exchange, "territory": side},
    )


@login_required
@require_http_methods(["GET", "POST"])
def attachment_create(request, pk: int):
    return _attachment_submission(request, pk, request.FILES or None)


def _attachment_submission(request, pk: int, files):
    """The attachment form's page and sending, for a file posted at once (`request.FILES`) or
    put together from its pieces (exchanges/uploads.py): the same checks, the same answer."""
    _require_member(request.user)
    exchange = get_object_or_404(selectors.visible_exchanges(request.user), pk=pk)
    require(permissions.refusal_to_add_attachment(request.user, exchange))
    form = AttachmentForm(request.POST or None, files)

    def save(key) -> Saved:
        values = {**form.cleaned_data, "submission_key": key}
        attachment = services.attachment_add(exchange=exchange, author=request.user, **values)
        return Saved(exchange.pk, attachment.pk, _("The file is added to the exchange."))

    submission = Submission([form], Kind.ATTACHMENT, target(exchange), save)
    return submit(request, submission, "exchanges/attachment_form.html", {"exchange": exchange})


@login_required
def attachment_file(request, pk: int):
    """Attachments are served to members only, with the type checked at upload."""
    _require_member(request.user)
    attachment = get_object_or_404(selectors.visible_attachments(request.user), pk=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        content_type=attachment.content_type,
        as_attachment=not attachment.is_image,  # documents are downloaded, never shown here
        filename=download_name(attachment.original_name, attachment.content_type),
    )
    response["X-Content-Type-Options"] = "nosniff"  # the checked type, never a guessed one
    return response


@login_required
@require_POST
def attachment_delete(request, pk: int):
    _require_member(request.user)
    attachment = get_object_or_404(
        selectors.visible_attachments(request.user).select_related("exchange"), pk=pk
    )
    services.attachment_delete(attachment=attachment, author=request.user)
    messages.success(request, _("The file is removed."))
    return redirect("exchange_detail", pk=attachment.exchange_id)


@login_required
@require_http_methods(["GET", "POST"])
def establishment_create(request):
    _partnership, form = _creation_form(request, EstablishmentForm)
    if request.method == "POST" and form.is_valid():
        try:
            establishment = services.establishment_create(author=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            draft_saved(request)
            messages.success(
                request,
                _("%(name)s is added: you can now tick it in an exchange's form.")
                % {"name": establishment.name},
            )
            return redirect(_safe_next(request) or "exchange_list")
    context = {"form": form, "next": _safe_next(request)}
    return render(request, "exchanges/establishment_form.html", context)


def _safe_next(request) -> str | None:
    """Where to go back after adding an establishment: the exchange form it was needed in."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@login_required
def exchange_to_write(request):
    """The exchanges whose cross view the officer's territory has not written yet, newest
    first. Administrators pick the territory (`?territory=`)."""
    _require_member(request.user)
    user = request.user
    require(permissions.refusal_to_list_cross_views_to_write(user))
    territories = partnership_territories(_partnership(request))
    own = territory_of(user)
    if own is not None and is_officer(user):
        territory = own
    else:
        wanted = request.GET.get("territory")
        territory = next((t for t in territories if t.slug == wanted), None) or (
            territories[0] if territories else None
        )
        if territory is None:
            raise Http404
    page = keyset_page(
        selectors.exchanges_to_write(territory),
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        size=PAGE_SIZE,
    )
    context = {
        "territory": territory,
        "territories": territories if is_administrator(user) else [],
        "page": page,
    }
    return render(request, "exchanges/to_write.html", context)


@login_required
def outbox(request):
    """What this device keeps for sending (filled in by static/js/outbox.js from the browser's
    IndexedDB) and the exchanges recently opened on it. Kept by the service worker, it is the
    page a phone shows when it has no connection."""
    _require_member(request.user)
    return render(request, "exchanges/outbox.html", {"saved_drafts": saved_drafts(request)})


@never_cache
@require_GET
def outbox_account(request):
    """Whose session this browser holds now (`{"user": id}`, or null when it ended): the
    outbox sends an item only when it is its author's, and asks to log in again otherwise,
    even from a page kept before the session ended."""
    user = request.user
    return JsonResponse({"user": user.pk if user.is_authenticated else None})


@login_required
def attachment_thumbnail(request, pk: int):
    """A photo's small version, for the exchange's page (members only, like the photo)."""
    _require_member(request.user)
    attachment = get_object_or_404(selectors.visible_attachments(request.user), pk=pk)
    if not attachment.thumbnail:
        raise Http404
    try:
        handle = attachment.thumbnail.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=31536000, immutable"  # never changes
    return response
