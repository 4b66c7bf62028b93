"""`manage.py prune_upload_sessions`: forget the documents whose sending in pieces stopped more
than UPLOAD_SESSION_HOURS ago, with their pieces (run daily, beside prune_submission_keys)."""

from django.core.management.base import BaseCommand

from exchanges.uploads import kept_for, prune_upload_sessions


class Command(BaseCommand):
    help = "Forget the documents sent in pieces whose sending stopped long ago."

    def handle(self, *args, **options):
        removed = prune_upload_sessions()
        hours = int(kept_for().total_seconds() // 3600)
        self.stdout.write(f"{removed} unfinished upload(s) older than {hours} hours removed.")
