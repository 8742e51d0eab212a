"""WSGI entry point for gunicorn and friends."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duixian.settings")
application = get_wsgi_application()

# gunicorn forks its workers from this process (preload_app): each starts with the views imported
# and the templates compiled instead of making its first applicants wait for them.
from duixian.core.warmup import freeze_long_lived, warm  # noqa: E402 - needs the settings configured above

warm()
freeze_long_lived()
