"""Driving pages in headless Chromium for the export tests (used with the chromium fixture)."""

from __future__ import annotations

import struct
import time
import zlib
from pathlib import Path

XSS_FLAG = "__nmxss"


class Watched:
    """A page with every request, console message, error and dialog recorded."""

    def __init__(self, browser, path: Path, viewport=(1280, 800)):
        self.url = path.resolve().as_uri()
        self.context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.console: list[tuple[str, str]] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.failed: dict[str, str] = {}
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("requestfailed", lambda r: self.failed.__setitem__(r.url, r.failure or ""))
        self.page.on("console", lambda m: self.console.append((m.type, m.text)))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

        def on_dialog(dialog):
            self.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        self.page.on("dialog", on_dialog)

    def open(self, timeout_ms: int = 60_000, ready: str = "body[data-netmap-ready='1']") -> float:
        started = time.perf_counter()
        self.page.goto(self.url)
        if ready:
            self.page.wait_for_selector(ready, timeout=timeout_ms)
        return time.perf_counter() - started

    def flags(self) -> list[object]:
        """The XSS flag in every frame of the page (None where no payload ran)."""
        out = []
        for frame in self.page.frames:
            out.append(frame.evaluate(f"() => window.{XSS_FLAG} === undefined ? null : "
                                      f"String(window.{XSS_FLAG})"))
        return out

    def assert_clean(self, allow_console: tuple[str, ...] = ()) -> None:
        foreign = [u for u in self.requests
                   if u != self.url and not u.startswith(("data:", "about:"))]
        assert foreign == [], f"page made requests: {foreign[:5]}"
        assert self.dialogs == [], f"a payload ran: {self.dialogs}"
        assert all(f is None for f in self.flags()), f"a payload ran: {self.flags()}"
        assert self.errors == [], f"page errors: {self.errors}"
        bad = [m for m in self.console if m[0] in ("error", "assert")
               and not any(a in m[1] for a in allow_console)]
        assert bad == [], f"console errors: {bad}"

    def close(self) -> None:
        self.context.close()


def canvas_stats(frame, selector: str = "#netmap-network canvas") -> dict:
    """Ink pixels, distinct colours and luminance variance of the view's canvas."""
    return frame.evaluate(
        """(sel) => {
            const c = document.querySelector(sel);
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let ink = 0, n = 0, sum = 0, sq = 0; const colours = new Set();
            for (let i = 0; i < d.length; i += 4) {
                // Transparent pixels show the white page behind the canvas.
                const a = d[i + 3] / 255;
                const r = 255 + (d[i] - 255) * a, g = 255 + (d[i + 1] - 255) * a,
                      b = 255 + (d[i + 2] - 255) * a;
                const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
                n++; sum += y; sq += y * y;
                if (r < 240 || g < 240 || b < 240) {
                    ink++; colours.add((r >> 4) + ',' + (g >> 4) + ',' + (b >> 4));
                }
            }
            const mean = sum / n;
            return {ink, colours: colours.size, w: c.width, h: c.height,
                    variance: sq / n - mean * mean};
        }""",
        selector,
    )


def png_variance(png: bytes) -> float:
    """Luminance variance of a screenshot PNG: PIL when installed, else a small decoder.

    The fallback reads what Chromium writes (8-bit RGB or RGBA, not interlaced).
    """
    try:
        from PIL import Image, ImageStat
    except ImportError:
        return _png_variance_plain(png)
    import io

    with Image.open(io.BytesIO(png)) as im:
        return float(ImageStat.Stat(im.convert("L")).var[0])


def _png_variance_plain(png: bytes) -> float:
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    width = height = channels = 0
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        body = png[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and interlace == 0 and colour in (2, 6), (depth, colour, interlace)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    prev = bytearray(stride)
    n = total = sq = 0.0
    for row in range(height):
        start = row * (stride + 1)
        ftype = raw[start]
        line = bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = prev[i]
            ul = prev[i - channels] if i >= channels else 0
            if ftype == 1:
                line[i] = (line[i] + left) & 0xFF
            elif ftype == 2:
                line[i] = (line[i] + up) & 0xFF
            elif ftype == 3:
                line[i] = (line[i] + ((left + up) >> 1)) & 0xFF
            elif ftype == 4:
                p = left + up - ul
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - ul)
                pred = left if pa <= pb and pa <= pc else (up if pb <= pc else ul)
                line[i] = (line[i] + pred) & 0xFF
        for i in range(0, stride, channels):
            y = 0.2126 * line[i] + 0.7152 * line[i + 1] + 0.0722 * line[i + 2]
            n += 1
            total += y
            sq += y * y
        prev = line
    mean = total / n
    return sq / n - mean * mean
