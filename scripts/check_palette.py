"""Check the status colours for colour-blind readers: simulate protanopia, deuteranopia and
tritanopia (Machado, Oliveira & Fernandes 2009, severity 1.0) and print the smallest CIEDE2000
difference between any two colours of each status group, as seen with each vision.

    .venv/bin/python scripts/check_palette.py

A difference under about 10 is hard to tell apart at a glance; the report grid needs its three
statuses apart for every reader (the words in tables and hover texts carry the meaning too).
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from ccm_analytics import formatting as fmt  # noqa: E402

MACHADO = {
    "normal": np.eye(3),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}


def _linear(hex_colour: str) -> np.ndarray:
    c = np.array([int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)])
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _lab(linear_rgb: np.ndarray) -> np.ndarray:
    m = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = m @ np.clip(linear_rgb, 0, 1) / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 216 / 24389, np.cbrt(xyz), (24389 / 27 * xyz + 16) / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def ciede2000(lab1: np.ndarray, lab2: np.ndarray) -> float:
    L1, a1, b1 = lab1
    L2, a2, b2 = lab2
    C1, C2 = np.hypot(a1, b1), np.hypot(a2, b2)
    G = 0.5 * (1 - np.sqrt(((C1 + C2) / 2) ** 7 / (((C1 + C2) / 2) ** 7 + 25 ** 7)))
    a1p, a2p = (1 + G) * a1, (1 + G) * a2
    C1p, C2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p, h2p = np.degrees(np.arctan2(b1, a1p)) % 360, np.degrees(np.arctan2(b2, a2p)) % 360
    dLp, dCp = L2 - L1, C2p - C1p
    dh = h2p - h1p if abs(h2p - h1p) <= 180 else (h2p - h1p - 360 if h2p > h1p else h2p - h1p + 360)
    dHp = 2 * np.sqrt(C1p * C2p) * np.sin(np.radians(dh / 2))
    Lbp, Cbp = (L1 + L2) / 2, (C1p + C2p) / 2
    hbp = (h1p + h2p) / 2 if abs(h1p - h2p) <= 180 else (h1p + h2p + 360) / 2
    T = (1 - 0.17 * np.cos(np.radians(hbp - 30)) + 0.24 * np.cos(np.radians(2 * hbp))
         + 0.32 * np.cos(np.radians(3 * hbp + 6)) - 0.20 * np.cos(np.radians(4 * hbp - 63)))
    SL = 1 + 0.015 * (Lbp - 50) ** 2 / np.sqrt(20 + (Lbp - 50) ** 2)
    SC, SH = 1 + 0.045 * Cbp, 1 + 0.015 * Cbp * T
    RT = -2 * np.sqrt(Cbp ** 7 / (Cbp ** 7 + 25 ** 7)) * np.sin(np.radians(60 * np.exp(-(((hbp - 275) / 25) ** 2))))
    return float(np.sqrt((dLp / SL) ** 2 + (dCp / SC) ** 2 + (dHp / SH) ** 2 + RT * (dCp / SC) * (dHp / SH)))


def seen(hex_colour: str, vision: str) -> np.ndarray:
    return _lab(MACHADO[vision] @ _linear(hex_colour))


def smallest_difference(colours: dict[str, str]) -> dict[str, tuple[float, str]]:
    """Per vision: the smallest CIEDE2000 difference between two of the colours, and which two."""
    out = {}
    for vision in MACHADO:
        pairs = [(ciede2000(seen(c1, vision), seen(c2, vision)), f"{k1}/{k2}")
                 for (k1, c1), (k2, c2) in itertools.combinations(colours.items(), 2)]
        out[vision] = min(pairs)
    return out


GROUPS = {
    "reports": ("on_time", "late", "overdue", "not_due"),
    "deadlines": ("overdue", "due_within_12_months", "on_track", "completed"),
    "universalization": ("state_party", "signatory", "withdrawn", "not_yet"),
}

if __name__ == "__main__":
    for group, keys in GROUPS.items():
        colours = {k: fmt.STATUS_COLOURS[k] for k in keys}
        print(group, colours)
        for vision, (d, pair) in smallest_difference(colours).items():
            print(f"  {vision:13s} smallest difference {d:5.1f} ({pair})")
