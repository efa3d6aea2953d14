from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kaleidoscope.web.core"
    label = "core"
    verbose_name = "Kaleidoscope"
