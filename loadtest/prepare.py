"""Accounts for the load test, on its throwaway database (after migrate and load_demo).

Each simulated officer gets an account of their own and an exchange of their own territory to
edit, so that optimistic locking never has two of them saving the same exchange; each
simulated elected official gets an account too. Writes what locustfile.py needs as JSON.

    DATABASE_URL=… python loadtest/prepare.py --users 50 --out accounts.json
"""

import argparse
import datetime
import json
import os
import secrets
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, required=True, help="accounts of each kind")
    parser.add_argument("--out", type=Path, required=True)
    options = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from exchanges.models import Exchange
    from partners.models import Profile, Territory
    from partners.selectors import default_partnership

    partnership = default_partnership()
    if partnership is None:
        sys.exit("No partnership: run load_demo first.")
    savoie, bignona = Territory.objects.get(slug="savoie"), Territory.objects.get(slug="bignona")
    password = secrets.token_urlsafe(16)
    hashed = make_password(password)  # one hash for all: it costs half a second by design
    officers, officials = [], []
    with transaction.atomic():
        for number in range(1, options.users + 1):
            own, other = (savoie, bignona) if number % 2 else (bignona, savoie)
            officer = _account(get_user_model(), f"load-officer-{number:03}", hashed)
            Profile.objects.update_or_create(
                user=officer, defaults={"role": Profile.Role.OFFICER, "territory": own}
            )
            day = datetime.date(2016, 6, 1) + datetime.timedelta(days=number % 28)
            exchange = Exchange.objects.create(
                partnership=partnership,
                kind=Exchange.Kind.WORKSHOP,
                title_fr=f"Atelier de charge n° {number}",
                start_date=day,
                end_date=day,
                place=own.name,
                host_territory=own,
                visiting_territory=other,
                created_by=officer,
                updated_by=officer,
            )
            officers.append(
                {
                    "username": officer.username,
                    "email": officer.email,
                    "territory": own.slug,
                    "exchange": exchange.pk,
                    "form": {
                        "kind": exchange.kind,
                        "title_fr": exchange.title_fr,
                        "start_date": day.isoformat(),
                        "end_date": day.isoformat(),
                        "place": exchange.place,
                        "host_territory": own.pk,
                        "visiting_territory": other.pk,
                        "professionals_met_count": "0",
                        "elected_officials_count": "0",
                        "technical_staff_count": "0",
                    },
                }
            )
            official = _account(get_user_model(), f"load-official-{number:03}", hashed)
            Profile.objects.update_or_create(
                user=official,
                defaults={"role": Profile.Role.ELECTED_OFFICIAL, "territory": own},
            )
            officials.append({"username": official.username})
    accounts = {
        "password": password,
        "officers": officers,
        "officials": officials,
        "exchange_ids": list(
            Exchange.objects.active().filter(partnership=partnership).values_list("pk", flat=True)
        ),
    }
    options.out.write_text(json.dumps(accounts, indent=1))
    print(f"{len(officers)} officers with an exchange each, {len(officials)} elected officials")


def _account(User, username: str, hashed: str):
    # An address of a reserved domain (RFC 2606): the reset flood's emails go nowhere.
    user, _ = User.objects.update_or_create(
        username=username,
        defaults={"password": hashed, "email": f"{username}@loadtest.example"},
    )
    return user


if __name__ == "__main__":
    main()
