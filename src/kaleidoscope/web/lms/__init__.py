"""LMS integration: LTI 1.3 (django-lti), the xAPI outbox and its sender."""
