"""Connect: mood check-ins, the team around a person, planned topic chats and Q&A.

The rules here import nothing from Django: scales (``scales.yaml``), consent (scope, end
date, withdrawal, review), circle membership and its short fields, chat phases, A1..An
threading and moderation states, and the screen every post goes through before it is
posted (the checker, plus the "asks for someone's details" patterns in ``rules.yaml``).
Every sentence a person reads is in ``text.yaml``.
"""
