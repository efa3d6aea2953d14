"""See: who can see a post, and can a child be found (the exposure tools)."""
