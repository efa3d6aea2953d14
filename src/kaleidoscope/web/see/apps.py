from django.apps import AppConfig


class SeeConfig(AppConfig):
    name = "kaleidoscope.web.see"
    label = "see"
    verbose_name = "See"
