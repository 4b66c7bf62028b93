"""The bases of the admin pages: translated fields side by side in tabs, every script served by
the site itself, and date fields without a misleading time-zone note.

django-modeltranslation's `TabbedTranslationAdmin` loads jQuery UI from a CDN
(`MODELTRANSLATION_JQUERY_UI_URL`, code.jquery.com by default), which the site's
Content-Security-Policy (script-src 'self') blocks: the tabs never appear and both languages
are stacked unlabelled. `TranslatedAdmin` lists the same files, with jQuery UI 1.13.3 vendored
under static/vendor/jquery-ui/ (`dist/jquery-ui.min.js` of the npm package `jquery-ui`, with
its licence). The tabs' look is modeltranslation's own stylesheet: no jQuery UI theme is needed.

Inlines (`TranslationTabularInline`, `TranslationStackedInline`) have no media of their own:
the page they sit on, an admin built on `TranslatedAdmin`, brings the tabs to them too.
"""

from collections.abc import Mapping
from typing import Any

from django.contrib.admin.widgets import AdminDateWidget
from django.db import models
from django.forms.renderers import BaseRenderer
from django.utils.html import format_html
from django.utils.safestring import SafeString
from modeltranslation.admin import TranslationAdmin

TABS_JS = (
    "admin/js/jquery.init.js",  # Django's own jQuery, as django.jQuery
    "modeltranslation/js/force_jquery.js",  # … made the global jQuery that jQuery UI extends
    "vendor/jquery-ui/jquery-ui.min.js",
    "modeltranslation/js/tabbed_translation_fields.js",
)
TABS_CSS = {"all": ("modeltranslation/css/tabbed_translation_fields.css",)}


class DateWidget(AdminDateWidget):
    """Django's admin date field (calendar, "Today"), without the time-zone note.

    DateTimeShortcuts.js writes "Note: You are N hours behind server time" under every date
    input when the browser's UTC offset differs from the server's (Europe/Paris, in
    <body data-admin-utc-offset>). An administrator in Bignona (UTC+0) would read it under the
    date of a visit or of a funding period, where it is false: a date is the same date in
    Bignona and in Chambéry. The script leaves the note out when the input's parent already
    holds an element of class "timezonewarning": this widget puts an empty, hidden one there.
    (A template would be simpler, but the form renderer does not read the project's templates/.)

    Date-and-time fields keep Django's widget and its note, which is true there (the time typed
    is read in the server's time zone); none is editable in this admin: each is stamped by the
    server and shown read only (the users' last login and date joined too, see partners/admin.py).
    """

    template_name = "django/forms/widgets/date.html"  # the input alone: wrapped below

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        field = super().render(name, value, attrs, renderer)
        return format_html(
            '<p class="date">{}<span class="timezonewarning" hidden></span></p>', field
        )


class DateFieldsAdminMixin:
    """Every date field of the admin page (or inline) in a `DateWidget`."""

    formfield_overrides: Mapping[type[models.Field[Any, Any]], Mapping[str, Any]] = {
        models.DateField: {"widget": DateWidget}
    }


class TranslatedAdmin(DateFieldsAdminMixin, TranslationAdmin):  # type: ignore[type-arg]
    """`TabbedTranslationAdmin` without the CDN. Built on `TranslationAdmin`, which has no
    media, because a subclass's `Media` adds to its parent's rather than replacing it."""

    class Media:
        js = TABS_JS
        css = TABS_CSS
