from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from core.accounts import QueuedPasswordResetForm
from core.login import LoginView, LogoutView
from core.webapp import favicon, manifest, service_worker
from partners.forms import LoginForm

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    # The service worker, at the root so that its scope covers /fr/ and /en/ (core/webapp.py).
    path("sw.js", service_worker, name="service_worker"),
    path("favicon.ico", favicon, name="favicon"),
]

urlpatterns += i18n_patterns(
    path(
        "accounts/login/",
        LoginView.as_view(authentication_form=LoginForm),
        name="login",
    ),
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
    # A forgotten password, or an invitation's link: Django's own views, translated.
    path(
        "accounts/password/reset/",
        auth_views.PasswordResetView.as_view(form_class=QueuedPasswordResetForm),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("manifest.webmanifest", manifest, name="webmanifest"),
    path("admin/", admin.site.urls),
    path("", include("observatory.urls")),
    path("exchanges/", include("exchanges.urls")),
    path("changes/", include("exchanges.change_urls")),
    path("", include("reporting.urls")),
    prefix_default_language=True,
)

# No /media/ address, not even in development: uploaded attachments and published
# restitutions are for members only, so each is served by a view that checks who asks.
