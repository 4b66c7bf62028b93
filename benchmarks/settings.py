"""What `make bench` serves: the production settings of `make serve`, unchanged, plus the
framework floor's address (benchmarks/urls.py). Production never loads this module."""

from config.settings import *  # noqa: F403 (the very settings `make serve` runs with)

ROOT_URLCONF = "benchmarks.urls"

# The synthetic data generator (`generate_synthetic_data`) is the benchmark's own.
INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks"]  # noqa: F405
