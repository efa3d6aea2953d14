"""Organise: readiness assessments, staff surveys, results, plan and policy."""
