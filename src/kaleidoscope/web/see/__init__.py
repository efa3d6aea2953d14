"""See in the browser: "Who can see my post" and "Can this child be found?" over
``kaleidoscope.see``."""
