"""The restore drill's two steps that need Django (scripts/restore-drill.sh runs them):

- `seed`: an officer uploads a photo and a PDF document to the demo's first exchange, through
  the same service as the site's form (the demo already holds published restitutions);
- `export FOLDER`: every row of the site's data (dumpdata, natural keys, sorted) into
  FOLDER/data.json and every stored file (disk or bucket, read through Django's storage) under
  FOLDER/files/, so that `diff -r` compares two sites byte for byte. Fails if a row names a
  file the storage does not hold.
"""

import io
import json
import os
import random
import re
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import translation  # noqa: E402
from PIL import Image  # noqa: E402

from core.backup import file_names  # noqa: E402

SITE_DATA = ["partners", "observatory", "exchanges", "reporting", "auth", "admin.logentry"]


def seed() -> None:
    from exchanges.models import Exchange
    from exchanges.services import attachment_add

    officer = get_user_model().objects.get(username="officer-savoie")
    exchange = Exchange.objects.order_by("pk").first()
    noise = random.Random(20).randbytes(64 * 48 * 3)  # noqa: S311 (test data)
    photo, document = io.BytesIO(), io.BytesIO()
    Image.frombytes("RGB", (64, 48), noise).save(photo, format="JPEG")
    Image.frombytes("RGB", (64, 48), noise).save(document, format="PDF")
    for name, data, kind in [
        ("visite.jpg", photo.getvalue(), "image/jpeg"),
        ("compte-rendu.pdf", document.getvalue(), "application/pdf"),
    ]:
        attachment_add(
            exchange=exchange,
            author=officer,
            file=SimpleUploadedFile(name, data, content_type=kind),
            caption_fr=f"Exercice de restauration : {name}",
        )
    print(f"Seeded 2 uploads on exchange {exchange.pk}.")


def stored(path: str = ""):
    folders, files = default_storage.listdir(path)
    for name in files:
        yield f"{path}{name}"
    for folder in folders:
        yield from stored(f"{path}{folder}/")


def export(folder: Path) -> None:
    out = io.StringIO()
    with translation.override("fr"):
        call_command(
            "dumpdata", *SITE_DATA, natural_foreign=True, use_base_manager=True, stdout=out
        )
    rows = sorted(json.loads(out.getvalue()), key=lambda row: (row["model"], str(row["pk"])))
    (folder / "files").mkdir(parents=True)
    text = json.dumps(rows, indent=1, sort_keys=True)
    # dumpdata writes times to the millisecond: a time whose milliseconds are 0 reads ".000Z"
    # when the database keeps microseconds under them (SQLite kept .000412) and "Z" when it
    # keeps none (the same time moved through dumpdata): one instant, one spelling here.
    text = re.sub(r'(T\d\d:\d\d:\d\d)\.000Z"', r'\1Z"', text)
    (folder / "data.json").write_text(text)
    names = sorted(stored())
    for name in names:
        target = folder / "files" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as source:
            target.write_bytes(source.read())
    missing = sorted(set(file_names()) - set(names))
    if missing:
        sys.exit(f"Rows name files the storage does not hold: {', '.join(missing)}")
    print(f"Exported {len(rows)} rows and {len(names)} files into {folder}.")


if __name__ == "__main__":
    if sys.argv[1:] == ["seed"]:
        seed()
    elif len(sys.argv) == 3 and sys.argv[1] == "export":
        export(Path(sys.argv[2]))
    else:
        sys.exit("usage: restore_drill.py seed | export FOLDER")
