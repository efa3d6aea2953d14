from django.apps import AppConfig


class CheckConfig(AppConfig):
    name = "kaleidoscope.web.check"
    label = "check"
    verbose_name = "Check"

    def ready(self) -> None:
        from . import services

        services.upload_limit()  # a bad KALEIDOSCOPE_UPLOAD_MAX_BYTES fails at start-up
        services.remove_stale_uploads()
