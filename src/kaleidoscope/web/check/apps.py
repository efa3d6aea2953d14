import logging

from django.apps import AppConfig


class CheckConfig(AppConfig):
    name = "kaleidoscope.web.check"
    label = "check"
    verbose_name = "Check"

    def ready(self) -> None:
        from . import jobs, services

        services.upload_limit()  # a bad KALEIDOSCOPE_UPLOAD_MAX_BYTES fails at start-up
        try:
            jobs.sweep_leftovers()  # uploads a crashed process left behind
        except Exception as exc:  # the cache is not up yet: the next sweep will do it
            logging.getLogger(__name__).warning("upload sweep skipped: %s", type(exc).__name__)
