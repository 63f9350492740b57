"""Start the app on a free port, visit every page in headless Chromium and save screenshots.

Usage: python scripts/screenshots.py [--as-of 2018-09-05] [--out docs/screenshots] [--db PATH]
The store must already hold data (``python -m ccm_analytics init``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser_support import PAGES, launch_browser, running_app, visit  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--as-of", default="2018-09-05")
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    ap.add_argument("--db")
    ap.add_argument("--pages", nargs="*", default=list(PAGES))
    ap.add_argument("--width", type=int, default=1440)
    ap.add_argument("--height", type=int, default=2200)
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with running_app(db=args.db) as url, launch_browser() as browser:
        page = browser.new_page(viewport={"width": args.width, "height": args.height})
        for name in args.pages:
            took = visit(page, url, PAGES[name], as_of=args.as_of)
            path = out / f"{name}.png"
            page.screenshot(path=str(path))
            print(f"{name:<18} drawn in {took:5.2f} s -> {path}")


if __name__ == "__main__":
    main()
