"""The suite's settings: the site's own (config/settings.py, from the same environment), with a
cache in each test process's memory. xdist's workers each have their own database, so a cache
shared between them (the file or Redis cache of CACHE_URL) would mix their rows;
test_cache_backends.py tests the shared backends themselves."""

import os

# DEBUG is off unless asked (config/settings.py): the suite runs as a development machine.
os.environ.setdefault("DJANGO_DEBUG", "1")

from config.settings import *  # noqa: F403

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "brakes": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "brakes"},
}

# The suite runs task workers in its own process (call_command): it keeps its priority.
TASK_WORKER_NICENESS = 0
