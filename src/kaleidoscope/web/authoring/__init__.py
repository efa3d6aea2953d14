"""Staff authoring tools: import a Twine story as a draft scenario with its report."""
