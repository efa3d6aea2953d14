"""Learn: play dilemmas, debrief, reflect and keep a learning record."""
