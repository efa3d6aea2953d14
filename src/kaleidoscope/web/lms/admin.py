"""Admin for what the LMS integration adds (django-lti registers registrations itself)."""

from django.contrib import admin

from .models import OutboxItem, PlatformSettings


@admin.register(PlatformSettings)
class PlatformSettingsAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("registration", "send_grades", "send_xapi", "frame_origins")


@admin.register(OutboxItem)
class OutboxItemAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Rejected items stay here for inspection (the receiver's answer is in last_error)."""

    list_display = ("id", "kind", "state", "attempts", "created_at", "sent_at")
    list_filter = ("kind", "state")
    readonly_fields = ("kind", "key", "payload", "target", "attempts", "last_error", "created_at")
