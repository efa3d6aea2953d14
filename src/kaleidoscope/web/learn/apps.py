from django.apps import AppConfig


class LearnConfig(AppConfig):
    name = "kaleidoscope.web.learn"
    label = "learn"
    verbose_name = "Learn"
    default_auto_field = "django.db.models.BigAutoField"
