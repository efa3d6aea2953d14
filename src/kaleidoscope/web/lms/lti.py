"""LTI 1.3 views (placeholder while the outbox lands)."""
