import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# Load the URL patterns now, not in a worker's first request: the first submission of a cold worker resolved them
# while holding the day's case-number row, stalling every other submission of the region for about a second.
from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018
