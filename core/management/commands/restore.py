"""`python manage.py restore ARCHIVE`: rebuild an empty database from a backup."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.backup import BackupError, backup_restore, backup_verify


class Command(BaseCommand):
    @property
    def help(self) -> str:  # at run time, in the language then active (argparse wants str)
        return _(
            "Rebuild the data, the uploaded files and the published restitutions from an archive "
            "made by `backup`. The database must be migrated and empty: this command refuses one "
            "that already holds data (there is no --force; create a new database and run "
            "`migrate`, or empty this one with `flush`). Every SHA-256 of the archive is checked "
            "before anything is written; files go into the file storage (MEDIA_ROOT, or the "
            "DJANGO_S3_BUCKET bucket)."
        )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help=_("The backup archive."))
        parser.add_argument(
            "--check",
            action="store_true",
            help=_("Only check the archive's SHA-256 sums; write nothing."),
        )

    def handle(self, *args, archive: Path, check: bool, **options):
        try:
            if check:
                manifest = backup_verify(archive=archive)
                message = _("%(archive)s is intact: %(members)d members match their SHA-256.") % {
                    "archive": archive,
                    "members": len(manifest["members"]),
                }
            else:
                summary = backup_restore(archive=archive)
                message = _("Restored %(objects)d rows and %(files)d files from %(archive)s.") % {
                    "objects": summary.objects,
                    "files": summary.files,
                    "archive": summary.archive,
                }
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(message))
