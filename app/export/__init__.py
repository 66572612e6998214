"""One figure as PNG, SVG or PDF with kaleido on the system Chromium (the batch command is app/export/__main__.py).

One long-lived browser (kaleido.start_sync_server) is started on the first export and reused. Its
queue is not safe for concurrent callers, so every render holds a lock.
"""

from __future__ import annotations

import functools
import io
import math
import os
import shutil
import threading
from dataclasses import dataclass

import plotly.graph_objects as go

from app import theme
from app.maps import STATIC_DIR

TOPOJSON = STATIC_DIR.as_uri() + "/"  # plotly.js loads world_110m.json from here, not from a CDN
INSTALL_HINT = ("Install Debian's Chromium (sudo apt-get install chromium) or set BROWSER_PATH to a "
                "Chromium/Chrome executable.")


@dataclass(frozen=True)
class Preset:
    """An output size in pixels, drawn at a fixed logical size times `scale` (text stays legible)."""

    width: int
    height: int
    scale: float

    @property
    def logical(self) -> tuple[int, int]:
        """The layout size the figure is drawn at."""
        return round(self.width / self.scale), round(self.height / self.scale)


PRESETS = {"slide": Preset(1920, 1080, 1.5), "report": Preset(1600, 900, 1.25),
           "square": Preset(1080, 1080, 1.25)}
# Output formats and their MIME types: PNG at the preset's pixel size; SVG and PDF are vector, drawn at the preset's
# layout size (the same layout as its PNG), text kept as text (the PDF embeds its fonts).
FORMATS = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}


class ExportUnavailable(RuntimeError):
    """No usable browser for rendering PNGs."""


_lock = threading.Lock()
_started_with: str | None = None

# Offline for real: kaleido's Chromium resolves no name but 127.0.0.1 (as the e2e tests' Chromium), so a
# figure asking for anything off the machine (a layout image, a CDN) fails at once, networked or not.
HOST_RESOLVER_RULES = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"


def browser_path() -> str:
    """The Chromium executable: $BROWSER_PATH, else `chromium` on the PATH, else /usr/bin/chromium."""
    return os.environ.get("BROWSER_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def check_browser() -> str:
    """The browser path if it is an executable file; ExportUnavailable with install advice if not."""
    path = browser_path()
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise ExportUnavailable(f"Chromium not found at {path}. {INSTALL_HINT}")
    return path


@functools.cache
def _offline_chromium() -> type:
    """choreographer's Chromium with HOST_RESOLVER_RULES on its command line. kaleido has no argument for
    browser flags, but passes `browser_cls` through to choreographer.Browser, which builds the command
    line with `browser_cls.get_cli()`."""
    from choreographer.browsers.chromium import Chromium

    class OfflineChromium(Chromium):
        def get_cli(self):
            return [*super().get_cli(), HOST_RESOLVER_RULES]

    return OfflineChromium


def _ensure_server() -> None:
    """Start the shared kaleido browser once (a wrong path would hang kaleido's queue: check first)."""
    global _started_with
    import kaleido

    path = check_browser()
    if _started_with == path:
        return
    if _started_with is not None:
        kaleido.stop_sync_server(silence_warnings=True)
    kaleido.start_sync_server(path=path, mathjax=False, silence_warnings=True, browser_cls=_offline_chromium())
    _started_with = path


def for_export(fig: go.Figure) -> go.Figure:
    """A copy on the light template whatever the UI theme, so reports get the same look."""
    out = go.Figure(fig)
    size = out.layout.template.layout.font.size or 15
    out.update_layout(template=theme.template("light", scale=size / 15))
    for ann in out.layout.annotations:
        if ann.name == "source":
            ann.font.color = theme.muted("light")
        elif ann.name == "note":
            ann.font.color = out.layout.template.layout.font.color
    return out


def draw(fig: go.Figure, fmt: str, width: int, height: int, scale: float = 1) -> bytes:
    """Render a figure as it is (its own template) at a layout size of width x height: PNG (times `scale`), SVG
    or PDF."""
    import kaleido

    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")
    out = go.Figure(fig).update_layout(width=width, height=height)
    with _lock:
        _ensure_server()
        return kaleido.calc_fig_sync(out.to_dict(), opts=dict(format=fmt, width=width, height=height, scale=scale),
                                     topojson=TOPOJSON)


def layout_size(fig: go.Figure, preset: str) -> tuple[int, int, float]:
    """The layout size a figure is drawn at for a preset, and the scale to the preset's pixels: the preset's logical
    size, or the figure's own least height (meta 'export_height': rows that touch below it) at a smaller scale and
    the preset's aspect, so that its PNG keeps the preset's pixel size."""
    p = PRESETS[preset]
    width, height = p.logical
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    least = meta.get("export_height") or 0
    if least <= height:
        return width, height, p.scale
    step = p.height // math.gcd(p.width, p.height)  # a height whose width at the preset's aspect is whole pixels
    height = -(-least // step) * step
    return height * p.width // p.height, height, p.height / height


def render(fig: go.Figure, fmt: str = "png", preset: str = "slide") -> bytes:
    """A figure on the light template at one of PRESETS: PNG at its exact pixel size, SVG or PDF at its layout size
    (vector: the same title, subtitle, source and note as the PNG, sharp at any print size), carrying its title and
    text alternative (`labelled`)."""
    width, height, scale = layout_size(fig, preset)
    return labelled(draw(for_export(fig), fmt, width, height, scale if fmt == "png" else 1), fmt, fig)


def text_alternative(fig: go.Figure) -> str:
    """What a reader who cannot see the figure gets: its alt text and its computed description."""
    meta = fig.layout.meta
    return " ".join(x for x in (meta["alt"], meta.get("description", "")) if x)


def labelled(image: bytes, fmt: str, fig: go.Figure) -> bytes:
    """The file with the figure's title and text alternative inside it: SVG <title> and <desc>, the PDF's title,
    subject and language, the PNG's iTXt Title and Description (what screen readers and file managers read)."""
    if not isinstance(fig.layout.meta, dict) or "title" not in fig.layout.meta:  # not one of ours (frame())
        return image
    title, text, lang = fig.layout.meta["title"], text_alternative(fig), fig.layout.meta["lang"]
    if fmt == "svg":
        from xml.sax.saxutils import escape

        svg = image.decode("utf-8")
        end = svg.index(">", svg.index("<svg")) + 1
        return (svg[:end] + f"<title>{escape(title)}</title><desc>{escape(text)}</desc>" + svg[end:]).encode("utf-8")
    if fmt == "pdf":
        from pypdf import PdfWriter
        from pypdf.generic import BooleanObject, DictionaryObject, NameObject, TextStringObject

        writer = PdfWriter(clone_from=io.BytesIO(image))
        writer.add_metadata({"/Title": title, "/Subject": text})
        writer._root_object[NameObject("/Lang")] = TextStringObject(lang)
        # A viewer shows the title, not the file name, in its window (PDF/UA asks for it).
        writer._root_object[NameObject("/ViewerPreferences")] = DictionaryObject(
            {NameObject("/DisplayDocTitle"): BooleanObject(True)})
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
    return _png_text(image, {"Title": title, "Description": text})


def _png_text(png: bytes, fields: dict[str, str]) -> bytes:
    """A PNG with international text chunks (iTXt, UTF-8) after its header chunk: no re-encoding of the pixels."""
    import struct
    import zlib

    chunks = b""
    for key, value in fields.items():
        body = key.encode("latin-1") + b"\0\0\0\0\0" + value.encode("utf-8")  # no compression, no language tag
        chunks += struct.pack(">I", len(body)) + b"iTXt" + body + struct.pack(">I", zlib.crc32(b"iTXt" + body))
    header_end = 33  # the signature (8 bytes), then IHDR: length and type (4 each), 13 bytes of data, CRC (4)
    return png[:header_end] + chunks + png[header_end:]


def png(fig: go.Figure, preset: str = "slide") -> bytes:
    """Render a figure as PNG at one of PRESETS (exact pixel size)."""
    return render(fig, "png", preset)


def file_name(fig: go.Figure, preset: str, fmt: str = "png") -> str:
    """A meaningful file name: figure, view, language, size and format."""
    meta = fig.layout.meta
    return f"{meta['name']}_{meta['lang']}_{preset}.{fmt}"
