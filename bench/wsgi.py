"""The site plus the bench's empty page, for gunicorn in `make bench-load`."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lotsen.settings")
application = get_wsgi_application()
settings.ROOT_URLCONF = "bench.urls"
