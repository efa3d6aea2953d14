from django.apps import AppConfig


class LmsConfig(AppConfig):
    name = "kaleidoscope.web.lms"
    label = "lms"
    verbose_name = "Learning platforms (LTI, xAPI)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals  # noqa: F401  # connects the play-move receiver
