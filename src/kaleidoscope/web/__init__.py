"""Kaleidoscope's web app: a Django project kept thin over the domain packages."""
