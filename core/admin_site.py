"""The admin site: Django's, with its forms that check a password (its login and its password
change) behind the site login's brake (core.login.password_brake), so an address braked on
one login form is braked on every one. Installed as the default site by config.apps.AdminConfig."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.decorators import method_decorator

from .login import password_brake


class AdminSite(admin.AdminSite):
    @method_decorator(password_brake)
    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        return super().login(request, extra_context)

    @method_decorator(password_brake)
    def password_change(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> TemplateResponse:
        return super().password_change(request, extra_context)
