"""The platform's own settings plus one bare one-INSERT view for comparison (bench only)."""

from duixian.settings import *  # noqa: F403

ROOT_URLCONF = "bench.surge.urls"
