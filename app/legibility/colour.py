"""Colour measures for the legibility check: WCAG 2.1 contrast, opacity as drawn, colour-vision deficiency simulated
(Machado 2009, colorspacious) and CIEDE2000 colour difference."""

from __future__ import annotations

import math
from functools import cache

import numpy as np
from colorspacious import cspace_convert

# The deficiencies simulated, each at full severity (dichromacy: the hardest case of each).
DEFICIENCIES = ("protanomaly", "deuteranomaly", "tritanomaly")


@cache
def rgb(colour: str) -> tuple[float, float, float, float]:
    """'#1f2328', '#abc', 'rgb(1,2,3)' or 'rgba(1,2,3,0.5)' as 0-255 channels and an alpha of 0-1."""
    c = colour.strip().lower()
    if c.startswith("rgb"):
        parts = [float(x) for x in c[c.index("(") + 1:c.index(")")].split(",")]
        return (*parts[:3], parts[3] if len(parts) > 3 else 1.0)
    c = c.lstrip("#")
    if len(c) == 3:
        c = "".join(ch * 2 for ch in c)
    return (*(float(int(c[i:i + 2], 16)) for i in (0, 2, 4)), 1.0)


def over(colour: str, background: str, opacity: float = 1.0) -> str:
    """`colour` drawn at `opacity` (times its own alpha) over an opaque `background`: the colour the eye sees."""
    *fg, a = rgb(colour)
    *bg, _ = rgb(background)
    a *= opacity
    return "#" + "".join(f"{round(a * f + (1 - a) * b):02x}" for f, b in zip(fg, bg))


def luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance."""
    def channel(v: float) -> float:
        v = v / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b, _ = rgb(colour)
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two opaque colours, 1 to 21."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@cache
def lab(colour: str, deficiency: str | None = None) -> tuple[float, float, float]:
    """CIELab (D65) of an opaque colour as a reader with `deficiency` (None: normal vision) sees it."""
    srgb = np.array(rgb(colour)[:3]) / 255
    if deficiency:
        space = {"name": "sRGB1+CVD", "cvd_type": deficiency, "severity": 100}
        srgb = np.clip(cspace_convert(srgb, space, "sRGB1"), 0, 1)
    return tuple(float(x) for x in cspace_convert(srgb, "sRGB1", "CIELab"))


def ciede2000(lab1, lab2) -> float:
    """CIEDE2000 colour difference (Sharma, Wu and Dalal 2005, kL = kC = kH = 1)."""
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean ** 7 / (c_mean ** 7 + 25 ** 7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dlp, dcp = l2 - l1, c2p - c1p
    dh = h2p - h1p
    if c1p * c2p == 0:
        dh = 0.0
    elif dh > 180:
        dh -= 360
    elif dh < -180:
        dh += 360
    dhp = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    lp, cp = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        hp = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hp = (h1p + h2p) / 2
    else:
        hp = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(hp - 30)) + 0.24 * math.cos(math.radians(2 * hp))
         + 0.32 * math.cos(math.radians(3 * hp + 6)) - 0.20 * math.cos(math.radians(4 * hp - 63)))
    d_theta = 30 * math.exp(-(((hp - 275) / 25) ** 2))
    rc = 2 * math.sqrt(cp ** 7 / (cp ** 7 + 25 ** 7))
    sl = 1 + 0.015 * (lp - 50) ** 2 / math.sqrt(20 + (lp - 50) ** 2)
    sc, sh = 1 + 0.045 * cp, 1 + 0.015 * cp * t
    rt = -math.sin(math.radians(2 * d_theta)) * rc
    return math.sqrt((dlp / sl) ** 2 + (dcp / sc) ** 2 + (dhp / sh) ** 2 + rt * (dcp / sc) * (dhp / sh))


def difference(a: str, b: str) -> tuple[float, str]:
    """The smallest CIEDE2000 difference of two colours in normal vision and under each deficiency, and which."""
    return min((ciede2000(lab(a, d), lab(b, d)), d or "normal") for d in (None, *DEFICIENCIES))
