"""Organise: an organisation's readiness, benchmarked, with an action plan and a draft policy."""
