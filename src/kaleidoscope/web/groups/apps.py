from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "kaleidoscope.web.groups"
    label = "groups"
    verbose_name = "Group sessions"
    default_auto_field = "django.db.models.BigAutoField"
