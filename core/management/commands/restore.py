"""`python manage.py restore FILE [--force]`: the site rebuilt from a backup (core/backup.py)."""

import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from core.backup import BackupError, backup_restore, backup_verify


class Command(BaseCommand):
    @property  # read in the language active when argparse asks
    def help(self) -> str:  # type: ignore[override]  # Django declares a plain str
        return _(
            "Rebuild the database and the stored files from a file made by `backup`. Every "
            "SHA-256 is checked before anything is written. The database should be new (made "
            "by `migrate`): one that holds data of its own (accounts other than superusers, "
            "exchanges…) is refused unless --force, which replaces it."
        )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help=_("The backup file."))
        parser.add_argument(
            "--check",
            action="store_true",
            help=_("Only check the backup's SHA-256 sums and names; write nothing."),
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help=_(
                "Replace the data this database holds and the stored files with the backup's names."
            ),
        )

    def handle(self, *args: str, archive: Path, check: bool, force: bool, **options: Any) -> None:
        try:
            if check:
                with tempfile.TemporaryDirectory() as scratch:
                    manifest = backup_verify(archive=archive, into=Path(scratch))
                message = _("%(archive)s is intact: %(members)d members match their SHA-256.") % {
                    "archive": archive,
                    "members": len(manifest["members"]),
                }
            else:
                summary = backup_restore(archive=archive, force=force)
                message = _(
                    "Restored the %(engine)s database and %(files)d files from %(archive)s."
                ) % {"engine": summary.engine, "files": summary.files, "archive": summary.archive}
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(message))
