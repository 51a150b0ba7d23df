"""The ratio chart as a PNG: a tiny RGB raster, a 5×7 pixel font, and PNG's chunk format.

Written with ``zlib`` and ``struct`` only (PNG: signature, IHDR, one IDAT of filter-0
scanlines, IEND, each chunk with its CRC-32), so plotting needs no imaging library.
"""

from __future__ import annotations

import struct
import zlib

from gorig.bench.plot import GRID_COLOUR, INK, LEFT, RIGHT, Chart

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
GLYPH_W, GLYPH_H = 5, 7
WHITE = (255, 255, 255)
DESCENDERS = frozenset("gpqy")
DESCENT = 2

# 5×7 glyphs, rows top to bottom, '#' = ink. Capitals are drawn as small letters.
# Letters with a descender start at the x-height and are drawn two rows lower.
FONT: dict[str, str] = {
    "0": ".###. #...# #..## #.#.# ##..# #...# .###.",
    "1": "..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.",
    "2": ".###. #...# ....# ...#. ..#.. .#... #####",
    "3": "##### ...#. ..#.. ...#. ....# #...# .###.",
    "4": "...#. ..##. .#.#. #..#. ##### ...#. ...#.",
    "5": "##### #.... ####. ....# ....# #...# .###.",
    "6": "..##. .#... #.... ####. #...# #...# .###.",
    "7": "##### ....# ...#. ..#.. .#... .#... .#...",
    "8": ".###. #...# #...# .###. #...# #...# .###.",
    "9": ".###. #...# #...# .#### ....# ...#. .##..",
    "a": "..... ..... .###. ....# .#### #...# .####",
    "b": "#.... #.... #.##. ##..# #...# #...# ####.",
    "c": "..... ..... .###. #.... #.... #...# .###.",
    "d": "....# ....# .##.# #..## #...# #...# .####",
    "e": "..... ..... .###. #...# ##### #.... .###.",
    "f": "..##. .#..# .#... ###.. .#... .#... .#...",
    "g": ".#### #...# #...# .#### ....# #...# .###.",
    "h": "#.... #.... #.##. ##..# #...# #...# #...#",
    "i": "..#.. ..... .##.. ..#.. ..#.. ..#.. .###.",
    "j": "...#. ..... ..##. ...#. ...#. #..#. .##..",
    "k": "#.... #.... #..#. #.#.. ##... #.#.. #..#.",
    "l": ".##.. ..#.. ..#.. ..#.. ..#.. ..#.. .###.",
    "m": "..... ..... ##.#. #.#.# #.#.# #...# #...#",
    "n": "..... ..... #.##. ##..# #...# #...# #...#",
    "o": "..... ..... .###. #...# #...# #...# .###.",
    "p": "####. #...# #...# ####. #.... #.... #....",
    "q": ".#### #...# #...# .#### ....# ....# ....#",
    "r": "..... ..... #.##. ##..# #.... #.... #....",
    "s": "..... ..... .###. #.... .###. ....# ####.",
    "t": ".#... .#... ###.. .#... .#... .#..# ..##.",
    "u": "..... ..... #...# #...# #...# #..## .##.#",
    "v": "..... ..... #...# #...# #...# .#.#. ..#..",
    "w": "..... ..... #...# #...# #.#.# #.#.# .#.#.",
    "x": "..... ..... #...# .#.#. ..#.. .#.#. #...#",
    "y": "#...# #...# #...# .#### ....# #...# .###.",
    "z": "..... ..... ##### ...#. ..#.. .#... #####",
    " ": "..... ..... ..... ..... ..... ..... .....",
    ".": "..... ..... ..... ..... ..... .##.. .##..",
    ",": "..... ..... ..... ..... .##.. ..#.. .#...",
    ":": "..... .##.. .##.. ..... .##.. .##.. .....",
    "/": "..... ....# ...#. ..#.. .#... #.... .....",
    "-": "..... ..... ..... ##### ..... ..... .....",
    "_": "..... ..... ..... ..... ..... ..... #####",
    "(": "...#. ..#.. .#... .#... .#... ..#.. ...#.",
    ")": ".#... ..#.. ...#. ...#. ...#. ..#.. .#...",
    "×": "..... #...# .#.#. ..#.. .#.#. #...# .....",
    "%": "##... ##..# ...#. ..#.. .#... #..## ...##",
    "+": "..... ..#.. ..#.. ##### ..#.. ..#.. .....",
    "&": ".##.. #..#. #.#.. .#... #.#.# #..#. .##.#",
    "?": ".###. #...# ....# ...#. ..#.. ..... ..#..",
}


def rgb(colour: str) -> tuple[int, int, int]:
    """``#rrggbb`` as a byte triple."""
    value = int(colour.lstrip("#"), 16)
    return (value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF


class Canvas:
    """An RGB raster, white to start, that clips everything drawn to its edges."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.pixels = bytearray(bytes(WHITE) * (width * height))

    def fill(self, x0: float, y0: float, x1: float, y1: float, colour: str) -> None:
        """Fill the rectangle [x0, x1) × [y0, y1), rounded to whole pixels."""
        left, right = max(0, round(x0)), min(self.width, round(x1))
        top, bottom = max(0, round(y0)), min(self.height, round(y1))
        if left >= right:
            return
        run = bytes(rgb(colour)) * (right - left)
        for y in range(top, bottom):
            start = (y * self.width + left) * 3
            self.pixels[start : start + len(run)] = run

    def dashed(self, x0: float, x1: float, y: float, colour: str, dash: int = 4) -> None:
        for x in range(round(x0), round(x1), dash * 2):
            self.fill(x, y, min(x + dash, x1), y + 1, colour)

    def text(self, x: float, baseline: float, text: str, anchor: str, max_width: float) -> None:
        """Draw ``text`` at double size if it fits in ``max_width``, else at single size."""
        scale = 2 if text_width(text, 2) <= max_width else 1
        width = text_width(text, scale)
        left = x - {"start": 0, "middle": width / 2, "end": width}[anchor]
        top = baseline - GLYPH_H * scale
        for index, char in enumerate(text):
            glyph = FONT.get(char.lower(), FONT["?"]).split()
            origin = left + index * (GLYPH_W + 1) * scale
            drop = DESCENT * scale if char.lower() in DESCENDERS else 0
            for row, bits in enumerate(glyph):
                for column, bit in enumerate(bits):
                    if bit == "#":
                        gx, gy = origin + column * scale, top + drop + row * scale
                        self.fill(gx, gy, gx + scale, gy + scale, INK)

    def to_png(self) -> bytes:
        rows = b"".join(
            b"\x00" + bytes(self.pixels[y * self.width * 3 : (y + 1) * self.width * 3])
            for y in range(self.height)
        )
        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        return (
            PNG_SIGNATURE
            + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(rows, 9))
            + _chunk(b"IEND", b"")
        )


def text_width(text: str, scale: int) -> int:
    return (len(text) * (GLYPH_W + 1) - 1) * scale


def _chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk: length, type, data, CRC-32 over type and data."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def to_png(chart: Chart) -> bytes:
    """The chart as a PNG file's bytes."""
    canvas = Canvas(chart.width, chart.height)
    canvas.text(chart.width / 2, 30, chart.title, "middle", chart.width - 16)
    for label, y in chart.ticks:
        canvas.fill(LEFT, y, chart.width - RIGHT, y + 1, GRID_COLOUR)
        canvas.text(LEFT - 6, y + 7, label, "end", LEFT - 8)
    for bar in chart.bars:
        canvas.fill(bar.x, bar.y, bar.x + bar.width, bar.y + bar.height, bar.colour)
        middle = bar.x + bar.width / 2
        canvas.text(middle, bar.y - 5, f"{bar.ratio:.1f}×", "middle", chart.slot)
        canvas.text(middle, chart.baseline_y + 22, bar.name, "middle", chart.slot)
    canvas.dashed(LEFT, chart.width - RIGHT, chart.native_y, INK)
    return canvas.to_png()
