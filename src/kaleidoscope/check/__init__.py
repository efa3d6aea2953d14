"""Check: find e-professionalism risks in a draft post or a whole archive, offline."""
