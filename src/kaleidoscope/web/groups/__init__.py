"""Facilitated group sessions (issue 7): one shared playthrough, everyone votes."""
