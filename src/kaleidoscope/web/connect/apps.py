from django.apps import AppConfig


class ConnectConfig(AppConfig):
    name = "kaleidoscope.web.connect"
    label = "connect"
    verbose_name = "Connect"
    default_auto_field = "django.db.models.BigAutoField"
