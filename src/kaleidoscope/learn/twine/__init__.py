"""Author in Twine: import Twee 3 and Twine 2 HTML stories as scenarios, export them back.

The convention for what Twine cannot express (decisions, endings, effects, guidance,
debriefs) is described in docs/twine.md.
"""
