"""Kaleidoscope: safe, ethical and effective use of social media in social work."""

__version__ = "0.1.0"
