"""WSGI entry point, for hosts that prefer a WSGI server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaleidoscope.web.settings")
application = get_wsgi_application()
