"""`python manage.py load_demo`: load (or refresh) the Savoie–Bignona demo data.

Every installed app with a `demo` module loads its own TOML file of the fixtures folder
(`<app>.toml`) with `demo.load(path)`, in the order of INSTALLED_APPS (lower apps first), all in
one transaction; an app's `demo.report(path)` may add lines to what is printed at the end.
Loading again changes nothing. The apps are found at run time, so this lower app imports none.
"""

from collections.abc import Iterator
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from types import ModuleType
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import translation

from core.caching import forget_everything


def demo_modules() -> Iterator[tuple[str, ModuleType]]:
    """(app label, demo module) of every installed app that has one, lower apps first."""
    for config in apps.get_app_configs():
        if find_spec(f"{config.name}.demo") is not None:
            yield config.label, import_module(f"{config.name}.demo")


class Command(BaseCommand):
    help = "Load or refresh the demo data and the demo accounts (idempotent). Demo only."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--fixtures",
            type=Path,
            default=settings.BASE_DIR / "fixtures",
            help="Folder holding the demo TOML files (default: %(default)s).",
        )

    def handle(self, *args: Any, fixtures: Path, **options: Any) -> None:
        if not settings.ALLOW_DEMO_DATA:
            raise CommandError(
                "Refusing to load the demo data: DJANGO_DEBUG is off, so this looks like a "
                "production server, and the demo accounts have a public password. Set "
                "DJANGO_ALLOW_DEMO_DATA=1 if this database really is a throwaway one."
            )
        loaded = list(demo_modules())
        # The default language, so that modeltranslation's original columns hold French.
        with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
            for label, demo in loaded:
                demo.load(fixtures / f"{label}.toml")
                self.stdout.write(f"Loaded {label}.toml")
        forget_everything()  # what was kept was counted from the data before
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        for label, demo in loaded:
            if hasattr(demo, "report"):
                for line in demo.report(fixtures / f"{label}.toml"):
                    self.stdout.write(line)
