#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # A machine without a secret key is a development one: `python manage.py …` works there
    # as it is. A production machine always has DJANGO_SECRET_KEY (config/settings.py refuses
    # to start without it), so DEBUG stays off there unless asked; gunicorn never comes here.
    if "DJANGO_SECRET_KEY" not in os.environ:
        os.environ.setdefault("DJANGO_DEBUG", "1")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    # Read the settings now: a setting refused (DJANGO_DEBUG=0 without a secret key, a bad
    # DATABASE_URL) stops here with its own message, which Django's command line would hide
    # behind an unrelated traceback.
    settings.INSTALLED_APPS  # noqa: B018
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
