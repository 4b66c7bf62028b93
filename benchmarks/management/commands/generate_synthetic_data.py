"""`python manage.py generate_synthetic_data`: a large synthetic observatory for the benchmark.

Never on a production database: it adds thousands of made-up exchanges."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import translation

from benchmarks.synthetic import Plan, generate


class Command(BaseCommand):
    help = (
        "Generate synthetic partnerships, establishments and exchanges (bulk inserts, seeded) "
        "for the benchmark. Existing rows are kept and counted in the totals."
    )

    def add_arguments(self, parser):
        defaults = Plan()
        parser.add_argument("--seed", type=int, default=defaults.seed)
        parser.add_argument("--exchanges", type=int, default=defaults.exchanges)
        parser.add_argument("--partnerships", type=int, default=defaults.partnerships)
        parser.add_argument("--establishments", type=int, default=defaults.establishments)
        parser.add_argument("--first-year", type=int, default=defaults.first_year)
        parser.add_argument("--years", type=int, default=defaults.years)
        parser.add_argument(
            "--main-share",
            type=float,
            default=defaults.main_share,
            help="Share of the exchanges in the interface's (first) partnership.",
        )
        parser.add_argument(
            "--restitution-year",
            type=int,
            default=None,
            help="The year of the first partnership that holds exactly --restitution-exchanges "
            "(default: the middle year).",
        )
        parser.add_argument(
            "--restitution-exchanges", type=int, default=defaults.restitution_exchanges
        )

    def handle(self, *args, **options):
        if not settings.ALLOW_DEMO_DATA:
            raise CommandError(
                "Refusing to add synthetic data: DJANGO_DEBUG is off, so this looks like a "
                "production server. Set DJANGO_ALLOW_DEMO_DATA=1 for a throwaway database."
            )
        try:
            plan = Plan(**{name: options[name] for name in Plan.__dataclass_fields__})
        except ValueError as error:
            raise CommandError(str(error)) from error
        started = time.monotonic()
        with translation.override(settings.LANGUAGE_CODE):
            try:
                report = generate(plan, log=self.stdout.write)
            except ValueError as error:
                raise CommandError(str(error)) from error
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # fresh statistics for the planner
                cursor.execute("VACUUM ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated in {time.monotonic() - started:.1f} s. The first partnership "
                f"({report.main_partnership}) has {report.restitution_exchanges} exchanges in "
                f"{report.restitution_year}."
            )
        )
