"""``python -m ccm_analytics``: see ``ccm_analytics.cli``."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
