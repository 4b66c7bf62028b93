from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from core.login import LoginView, LogoutView
from partners.forms import LoginForm

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
]

urlpatterns += i18n_patterns(
    path(
        "accounts/login/",
        LoginView.as_view(authentication_form=LoginForm),
        name="login",
    ),
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("observatory.urls")),
    path("exchanges/", include("exchanges.urls")),
    path("", include("reporting.urls")),
    prefix_default_language=True,
)

# No /media/ address, not even in development: uploaded attachments and published
# restitutions are for members only, so each is served by a view that checks who asks.
