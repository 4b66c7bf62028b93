"""Demo data of the reporting app (fixtures/reporting.toml): the annual restitutions.

Needs the other apps' demo data first. A restitution is found again by (partnership, year).
One marked `published` is published once, rendered right away (no worker needed): loading
again leaves its published version alone, so there is never a second one.
"""

from pathlib import Path

from django.contrib.auth import get_user_model

from core.toml import read_toml, translated, upsert
from partners.models import Partnership

from .models import Restitution, RestitutionVersion
from .services import restitution_publish


def load(path: Path) -> None:
    _load_file(path)
    # The programme's later years, each in a file of its own beside this one.
    for extra in sorted(path.parent.glob(f"{path.stem}-*.toml")):
        _load_file(extra)


def _load_file(path: Path) -> None:
    data = read_toml(path)
    partnership = Partnership.objects.get(slug=data["partnership"])
    publisher = get_user_model().objects.filter(username=data.get("published_by", "")).first()
    for item in data["restitutions"]:
        restitution, _ = upsert(
            Restitution,
            {"partnership": partnership, "year": item["year"]},
            {
                **translated(
                    item,
                    "introduction",
                    "conclusion",
                    "data_notice",
                    "foreword",
                    "foreword_signature",
                    "focus_title",
                    "factors_lead",
                    "obstacles_lead",
                ),
                "foreword_illustrative": item.get("foreword_illustrative", False),
                "photo_credits": item.get("photo_credits", ""),
            },
        )
        if (
            item.get("published")
            and not restitution.versions.filter(status=RestitutionVersion.Status.DONE).exists()
        ):
            restitution_publish(restitution=restitution, user=publisher, background=False)
