"""The Check pages' forms (Django forms; their messages come from text.yaml)."""

from __future__ import annotations

from typing import Any

from django import forms

from . import services
from .services import MAX_DRAFT_CHARS, text


class DraftForm(forms.Form):
    """A draft post, where it will go and who will see it (both optional).

    A platform or audience that is not one of the choices can only come from a tampered
    form: ``tampered`` says so (the page answers 400), and the value is dropped rather
    than shown back."""

    text = forms.CharField(required=False, strip=False)
    platform = forms.ChoiceField(required=False)
    audience = forms.ChoiceField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        words = text()["errors"]
        fields: dict[str, Any] = self.fields
        fields["platform"].choices = [("", ""), *services.platform_choices()]
        fields["audience"].choices = [("", ""), *services.audience_choices()]
        fields["platform"].error_messages["invalid_choice"] = words["bad_platform"]
        fields["audience"].error_messages["invalid_choice"] = words["bad_audience"]

    def clean_text(self) -> str:
        words = text()["errors"]
        value = str(self.cleaned_data.get("text", "")).replace("\r\n", "\n")
        if not value.strip():
            raise forms.ValidationError(words["text_empty"])
        if len(value) > MAX_DRAFT_CHARS:
            raise forms.ValidationError(
                words["text_too_long"].format(limit=MAX_DRAFT_CHARS, length=len(value))
            )
        return value

    @property
    def tampered(self) -> bool:
        return any(field in self.errors for field in ("platform", "audience"))

    def values(self) -> dict[str, str]:
        """What the page shows back in the fields (never a tampered choice)."""
        raw = {name: str(self.data.get(name, "")) for name in ("text", "platform", "audience")}
        raw["text"] = raw["text"].replace("\r\n", "\n")
        for name in ("platform", "audience"):
            if name in self.errors:
                raw[name] = ""
        return raw

    def messages(self) -> dict[str, str]:
        """The first error of each field, as the page's error summary lists them."""
        return {name: str(errors[0]) for name, errors in self.errors.items()}
