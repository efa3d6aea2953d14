from django.apps import AppConfig


class OrganiseConfig(AppConfig):
    name = "kaleidoscope.web.organise"
    label = "organise"
    verbose_name = "Organise"
    default_auto_field = "django.db.models.BigAutoField"
