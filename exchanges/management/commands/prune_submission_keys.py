"""`manage.py prune_submission_keys`: forget the submission keys older than 30 days (run daily,
beside the backup: see the README's "Running it")."""

from django.core.management.base import BaseCommand

from exchanges.submissions import KEPT_FOR, prune_submission_keys


class Command(BaseCommand):
    help = "Forget the submission keys of forms sent more than 30 days ago."

    def handle(self, *args, **options):
        removed = prune_submission_keys()
        self.stdout.write(f"{removed} submission key(s) older than {KEPT_FOR.days} days removed.")
