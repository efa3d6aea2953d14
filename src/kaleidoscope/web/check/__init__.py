"""Check in the browser: a draft checker and an archive report over ``kaleidoscope.check``."""
