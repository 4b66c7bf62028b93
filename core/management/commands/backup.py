"""`python manage.py backup [--output FILE]`: the whole site in one file (core/backup.py)."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from core.backup import BackupError, backup_create, backups_pruned, scheduled_name


class Command(BaseCommand):
    @property  # read in the language active when argparse asks
    def help(self) -> str:  # type: ignore[override]  # Django declares a plain str
        return _(
            "Write the database (dumped with the engine's own tool by django-dbbackup) and every "
            "stored file into one .tar file, with a manifest of their SHA-256. Without "
            "--output, the file goes into BACKUP_DIR and only the BACKUP_KEEP newest backups "
            "there are kept (run it daily from cron). Restore it with `restore`."
        )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help=_(
                "Where to write the backup (default: BACKUP_DIR/regard-croise-YYYYMMDD-HHMMSS.tar,"
                " older ones beyond BACKUP_KEEP removed). It holds personal data: only its owner "
                "can read it."
            ),
        )

    def handle(self, *args: str, output: Path | None, verbosity: int = 1, **options: Any) -> None:
        scheduled = output is None
        if output is None:
            output = Path(settings.BACKUP_DIR) / scheduled_name()
        try:
            summary = backup_create(output=output)
        except BackupError as error:
            raise CommandError(str(error)) from None
        if not verbosity:  # cron mails what a command prints: failures only
            if scheduled:
                backups_pruned(output.parent, settings.BACKUP_KEEP)
            return
        self.stdout.write(
            self.style.SUCCESS(
                _("Backed up the %(engine)s database and %(files)d files into %(archive)s.")
                % {"engine": summary.engine, "files": summary.files, "archive": summary.archive}
            )
        )
        if scheduled:
            for removed in backups_pruned(output.parent, settings.BACKUP_KEEP):
                self.stdout.write(_("Removed the older backup %(name)s.") % {"name": removed})
