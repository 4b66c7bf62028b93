"""`python manage.py backup [--output PATH]`: the whole site in one archive.

What it holds and leaves out: reporting/backup.py.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.backup import BackupError, backup_create


class Command(BaseCommand):
    @property
    def help(self) -> str:  # at run time, in the language then active (argparse wants str)
        return _(
            "Write the data, the uploaded files and the published restitutions into one .tar.gz "
            "archive, with a manifest of the SHA-256 of every member. Restore it with `restore`."
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help=_(
                "Where to write the archive (default: regard-croise-YYYYMMDD-HHMMSS.tar.gz in "
                "the current folder). It holds personal data: only its owner can read it."
            ),
        )

    def handle(self, *args, output: Path | None, **options):
        if output is None:
            output = Path(f"regard-croise-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz")
        try:
            summary = backup_create(output=output)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                _("Backed up %(objects)d rows and %(files)d files into %(archive)s.")
                % {"objects": summary.objects, "files": summary.files, "archive": summary.archive}
            )
        )
