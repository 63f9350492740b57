"""python -m ccm_analytics.i18n extract [area ...] | compile | check"""

from __future__ import annotations

import sys

from . import catalogs


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "extract":
        for area, n in catalogs.extract_all(argv[1:] or None).items():
            print(f"{area}: {n} messages")
        return 0
    if command == "compile":
        for lang, path in catalogs.compile_all().items():
            print(f"{lang}: {path.relative_to(catalogs.ROOT)}")
        return 0
    if command == "check":
        problems = catalogs.check()
        for p in problems:
            print(p)
        print(f"{len(problems)} problem(s)" if problems else "every message is translated")
        return 1 if problems else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
