"""`python manage.py load_demo`: load (or refresh) the Savoie–Bignona demo data.

Each app's loader upserts its own TOML file of settings.BASE_DIR / "fixtures", lower apps
first, all in one transaction. Loading again changes nothing.
"""

from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation

from exchanges import demo as exchanges_demo
from observatory import demo as observatory_demo
from partners import demo as partners_demo
from partners.models import Profile
from reporting import demo as reporting_demo

# (file in the fixtures folder, loader), in dependency order. To load another app's demo
# data, add its line here.
LOADERS: list[tuple[str, Callable[[Path], None]]] = [
    ("partners.toml", partners_demo.load),
    ("observatory.toml", observatory_demo.load),
    ("exchanges.toml", exchanges_demo.load),
    ("reporting.toml", reporting_demo.load),
]


class Command(BaseCommand):
    help = "Load or refresh the demo data and the demo accounts (idempotent). Demo only."

    def add_arguments(self, parser):
        parser.add_argument(
            "--fixtures",
            type=Path,
            default=settings.BASE_DIR / "fixtures",
            help="Folder holding the demo TOML files (default: %(default)s).",
        )

    def handle(self, *args, fixtures: Path, **options):
        if not settings.ALLOW_DEMO_DATA:
            raise CommandError(
                "Refusing to load the demo data: DJANGO_DEBUG is off, so this looks like a "
                "production server, and the demo accounts have a public password. Set "
                "DJANGO_ALLOW_DEMO_DATA=1 if this database really is a throwaway one."
            )
        # The default language, so that modeltranslation's original columns hold French.
        with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
            for filename, load in LOADERS:
                load(fixtures / filename)
                self.stdout.write(f"Loaded {filename}")
        self._print_accounts(partners_demo.demo_accounts(fixtures / "partners.toml"))

    def _print_accounts(self, demo: partners_demo.DemoAccounts) -> None:
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write("Demo accounts (DEMO ONLY: never keep them on a public server):")
        for account in demo.accounts:
            role = Profile.Role(account.role).label
            where = f", {account.territory}" if account.territory else ""
            self.stdout.write(f"  {account.username:<16} {role}{where}")
        self.stdout.write(f"Password of every demo account: {demo.password}")
