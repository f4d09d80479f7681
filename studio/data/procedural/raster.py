"""Just enough 2-D drawing for contact sheets: a canvas, z-buffered point splats, anti-aliased capsules,
a 5x7 bitmap font and a PNG writer (zlib + struct); numpy only, so previews need no imaging library."""

from __future__ import annotations

import struct
import zlib
from os import PathLike
from pathlib import Path

import numpy as np

# 5x7 glyphs, rows top to bottom, '#' = ink
_FONT_ROWS = {
    "A": ".###.#...##...#######...##...##...#", "B": "####.#...##...#####.#...##...#####.",
    "C": ".###.#...##....#....#....#...#.###.", "D": "####.#...##...##...##...##...#####.",
    "E": "######....#....####.#....#....#####", "F": "######....#....####.#....#....#....",
    "G": ".###.#...##....#.####...##...#.####", "H": "#...##...##...#######...##...##...#",
    "I": ".###...#....#....#....#....#...###.", "J": "..###...#....#....#....#.#..#..##..",
    "K": "#...##..#.#.#..##...#.#..#..#.#...#", "L": "#....#....#....#....#....#....#####",
    "M": "#...###.###.#.##...##...##...##...#", "N": "#...###..##.#.##..###...##...##...#",
    "O": ".###.#...##...##...##...##...#.###.", "P": "####.#...##...#####.#....#....#....",
    "Q": ".###.#...##...##...##.#.##..#..##.#", "R": "####.#...##...#####.#.#..#..#.#...#",
    "S": ".####.#....#.....###.....#....#####", "T": "#####..#....#....#....#....#....#..",
    "U": "#...##...##...##...##...##...#.###.", "V": "#...##...##...##...##...#.#.#...#..",
    "W": "#...##...##...##.#.##.#.##.#.#.#.#.", "X": "#...##...#.#.#...#...#.#.#...##...#",
    "Y": "#...##...#.#.#...#....#....#....#..", "Z": "#####....#...#...#...#...#....#####",
    "0": ".###.#...##..###.#.###..##...#.###.", "1": "..#...##....#....#....#....#...###.",
    "2": ".###.#...#....#...#...#...#...#####", "3": "#####...#...#.....#.....##...#.###.",
    "4": "...#...##..#.#.#..#.#####...#....#.", "5": "######....####.....#....##...#.###.",
    "6": "..##..#...#....####.#...##...#.###.", "7": "#####....#...#...#...#....#....#...",
    "8": ".###.#...##...#.###.#...##...#.###.", "9": ".###.#...##...#.####....#...#..##..",
    " ": "." * 35, "-": "..........#####....................", "_": "..............................#####",
    ".": ".........................##...##...", ":": "......##...##........##...##.......",
    "/": "....#...#....#...#...#....#...#....", "(": "...#...#...#....#....#.....#.....#.",
    ")": ".#.....#.....#....#....#...#...#...", "+": ".......#....#..#####..#....#.......",
    "~": "...........#...#.#.#...#...........", "=": "..........#####.....#####..........",
    "%": "##...##..#...#...#...#...#..##...##", ",": "....................##...##..#.....",
}
_GLYPHS = {c: np.array([ch == "#" for ch in rows.ljust(35, ".")[:35]]).reshape(7, 5) for c, rows in _FONT_ROWS.items()}


class Canvas:
    def __init__(self, height: int, width: int, background: tuple[float, float, float] = (1.0, 1.0, 1.0)) -> None:
        self.rgb = np.empty((height, width, 3), dtype=np.float32)
        self.rgb[:] = background

    @property
    def height(self) -> int:
        return self.rgb.shape[0]

    @property
    def width(self) -> int:
        return self.rgb.shape[1]

    def rect(self, x0: int, y0: int, x1: int, y1: int, color: tuple[float, float, float]) -> None:
        self.rgb[max(y0, 0) : max(y1, 0), max(x0, 0) : max(x1, 0)] = color

    def capsule(self, a: np.ndarray, b: np.ndarray, radius: float, color: tuple[float, float, float]) -> None:
        """A thick anti-aliased line from a to b (pixel coordinates x, y)."""
        lo = np.floor(np.minimum(a, b) - radius - 1).astype(int)
        hi = np.ceil(np.maximum(a, b) + radius + 1).astype(int)
        x0, y0 = max(lo[0], 0), max(lo[1], 0)
        x1, y1 = min(hi[0], self.width), min(hi[1], self.height)
        if x0 >= x1 or y0 >= y1:
            return
        ys, xs = np.mgrid[y0:y1, x0:x1]
        p = np.stack([xs, ys], axis=-1).astype(np.float64)
        ab = np.asarray(b, dtype=np.float64) - a
        t = np.clip(((p - a) @ ab) / max(ab @ ab, 1e-9), 0.0, 1.0)
        d = np.linalg.norm(p - (a + t[..., None] * ab), axis=-1)
        alpha = np.clip(radius + 0.5 - d, 0.0, 1.0)[..., None]
        region = self.rgb[y0:y1, x0:x1]
        region[:] = region * (1 - alpha) + np.asarray(color, dtype=np.float32) * alpha

    def splat(self, xy: np.ndarray, depth: np.ndarray, colors: np.ndarray, size: int = 2) -> None:
        """Points with a z-buffer: at each pixel the nearest point (smallest depth) wins."""
        offsets = np.array([(dx, dy) for dx in range(size) for dy in range(size)])
        pix = (np.round(xy).astype(int)[:, None, :] + offsets[None]).reshape(-1, 2)
        z = np.repeat(depth, len(offsets))
        c = np.repeat(colors, len(offsets), axis=0)
        inside = (pix[:, 0] >= 0) & (pix[:, 0] < self.width) & (pix[:, 1] >= 0) & (pix[:, 1] < self.height)
        pix, z, c = pix[inside], z[inside], c[inside]
        flat = pix[:, 1] * self.width + pix[:, 0]
        order = np.lexsort((z, flat))
        first = np.unique(flat[order], return_index=True)[1]
        chosen = order[first]
        self.rgb.reshape(-1, 3)[flat[chosen]] = c[chosen]

    def text(self, x: int, y: int, string: str, color: tuple[float, float, float] = (0.1, 0.1, 0.1),
             scale: int = 1) -> int:  # fmt: skip
        """Upper-case bitmap text with its top-left at (x, y); returns the x after it."""
        for ch in string.upper():
            glyph = _GLYPHS.get(ch, _GLYPHS["~"])
            big = np.kron(glyph, np.ones((scale, scale), dtype=bool))
            h, w = big.shape
            if y >= 0 and y + h <= self.height and x >= 0 and x + w <= self.width:
                self.rgb[y : y + h, x : x + w][big] = color
            x += 6 * scale
        return x

    def save_png(self, path: str | PathLike) -> None:
        write_png(path, np.clip(self.rgb * 255.0 + 0.5, 0, 255).astype(np.uint8))


def write_png(path: str | PathLike, rgb: np.ndarray) -> None:
    """An 8-bit RGB PNG (filter 0 on every row, zlib level 9)."""
    rgb = np.ascontiguousarray(rgb, dtype=np.uint8)
    height, width, _ = rgb.shape
    raw = np.concatenate([np.zeros((height, 1), dtype=np.uint8), rgb.reshape(height, -1)], axis=1).tobytes()

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
    Path(path).write_bytes(png)
