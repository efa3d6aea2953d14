"""Connect: check-ins, circles, topic chats and Ask a social worker (under /connect/)."""
