"""Rebuild the PDF fonts in src/kaleidoscope/web/core/fonts/ (`make fonts`).

Subsets of DejaVu Sans (Debian's fonts-dejavu-core) covering Latin with its extensions
(Welsh ŵ ŷ ẁ, Polish, Romanian, Turkish...), Greek, Cyrillic, and common punctuation and
symbols, so learners' reflections print as written. Only needed to change the coverage;
the built files are committed.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from fontTools import subset

SOURCE = Path("/usr/share/fonts/truetype/dejavu")
TARGET = Path(__file__).resolve().parents[1] / "src" / "kaleidoscope" / "web" / "fonts"
FACES = {"DejaVuSans.ttf": "", "DejaVuSans-Bold.ttf": "B", "DejaVuSans-Oblique.ttf": "I"}
UNICODES = (
    "U+0020-007E,U+00A0-024F,U+0259,U+02B0-02FF,U+0300-036F,U+0370-03FF,U+0400-04FF,"
    "U+1E00-1EFF,U+2000-206F,U+20A0-20CF,U+2100-214F,U+2190-21FF,U+2200-22FF,"
    "U+2460-24FF,U+25A0-25FF,U+2600-26FF,U+2700-27BF,U+FFFD"
)


def main() -> None:
    if not SOURCE.is_dir():
        sys.exit(f"{SOURCE} not found: apt-get install fonts-dejavu-core")
    TARGET.mkdir(parents=True, exist_ok=True)
    for name in FACES:
        out = TARGET / name
        subset.main(
            [
                str(SOURCE / name),
                f"--unicodes={UNICODES}",
                f"--output-file={out}",
                "--layout-features=*",
                "--no-hinting",
                "--name-IDs=*",
                "--name-legacy",
            ]
        )
        print(f"{out.name}: {out.stat().st_size // 1024} KB")
    shutil.copy("/usr/share/doc/fonts-dejavu-core/copyright", TARGET / "LICENSE-DejaVu.txt")


if __name__ == "__main__":
    main()
