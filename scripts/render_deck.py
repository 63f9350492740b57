"""Render a meeting deck to PNG images (LibreOffice headless, then pdftoppm) to look at every slide.

Usage:
    python scripts/render_deck.py [--deck FILE.pptx] [--as-of 2018-09-05] [--out /tmp/deck-render]

Without --deck it builds the deck for the bundled sample. Needs Debian's packages:
    apt-get install -y --no-install-recommends libreoffice-impress poppler-utils fonts-crosextra-carlito
Not part of ``make test``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--deck")
    ap.add_argument("--as-of", default="2018-09-05")
    ap.add_argument("--title", default="Eighth Meeting of States Parties")
    ap.add_argument("--out", default="/tmp/deck-render")
    ap.add_argument("--dpi", type=int, default=60)
    args = ap.parse_args()
    for tool in ("soffice", "pdftoppm"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing: apt-get install -y --no-install-recommends libreoffice-impress "
                     "poppler-utils fonts-crosextra-carlito")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.deck:
        deck = Path(args.deck)
    else:
        from ccm_analytics.outputs.deck import build_deck
        from ccm_analytics.reading import read_paths
        from ccm_analytics.provenance import SAMPLE_LABEL, SAMPLE_PATH

        data = read_paths([SAMPLE_PATH]).data
        deck = out / "deck.pptx"
        deck.write_bytes(build_deck(data, args.as_of, args.title, SAMPLE_LABEL)[0])
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp}/profile", "--convert-to",
                        "pdf", "--outdir", str(out), str(deck)], check=True, capture_output=True, timeout=180)
    pdf = out / (deck.stem + ".pdf")
    for old in out.glob("slide-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", str(args.dpi), str(pdf), str(out / "slide")], check=True)
    for png in sorted(out.glob("slide-*.png")):
        print(png)


if __name__ == "__main__":
    main()
