"""SCORM 1.2 and cmi5 packages: a zip that plays scenarios in any LMS with no server.

``build_package(scenarios, "scorm12" | "cmi5")`` returns the zip's bytes. Each scenario is
its own SCO (SCORM) or AU (cmi5) in a folder named by its id, sharing ``shared/`` (the web
app's GOV.UK stylesheet and the player). ``load_scenarios`` resolves ids and files and
refuses anything that does not validate (``PackageError`` carries the diagnostics).
"""

from kaleidoscope.learn.packages.build import (
    FORMATS,
    Packaged,
    PackageError,
    build_package,
    load_scenarios,
)

__all__ = ["FORMATS", "PackageError", "Packaged", "build_package", "load_scenarios"]
