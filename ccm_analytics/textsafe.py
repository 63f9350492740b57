"""Text that cannot harm what shows it: control characters, terminals, spreadsheets, JSON.

One place for the rules (DOMAIN.md section 9):

- The loader removes control characters (C0 except tab and newline, DEL, C1) from every
  text cell, once, with a warning naming the cell (``CONTROL_RE2`` in Arrow, ``CONTROL`` here).
- Whatever the command line prints goes through :func:`visible`, which writes any control
  character that is left (in a file or sheet name, a user label) as ``\\u001b``: an ANSI
  escape is shown, never obeyed.
- Every spreadsheet cell the product writes (the Excel export, the templates, the CSV downloads,
  the workbooks inside the deck's charts) goes through ``cellsafe.py``: text stored as text, never
  as a formula. JSON goes through :func:`json_safe` (no ``Infinity`` or ``NaN``, which are not JSON).
"""

from __future__ import annotations

import math
import re

# C0 controls but tab (09) and line feed (0A), DEL, and the C1 controls (80-9F, e.g. CSI 9B).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
CONTROL_RE2 = r"[\x{00}-\x{08}\x{0b}-\x{1f}\x{7f}-\x{9f}]"
_TERMINAL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """The text with every control (and bidirectional override) character written as ``\\uXXXX``:
    safe to print on a terminal, and still valid inside a JSON string."""
    return _TERMINAL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def strip_controls(text: str) -> str:
    """The text without control characters (tab and newline kept; CR LF becomes LF)."""
    return CONTROL.sub("", text.replace("\r\n", "\n"))


def json_safe(value):
    """A structure for ``json.dumps(..., allow_nan=False)``: non-finite numbers become None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    return value
