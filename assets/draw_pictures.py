"""Draw the built-in picture library for tui-hopfield.

Every picture is drawn with Pillow's ImageDraw on a 128x128 canvas, shrunk
to 32x32 with a Lanczos filter and thresholded at 127, so that edges come
out smooth.  The results are written as 1-bit-looking greyscale PNG files
(mode "L", values 0 or 255) to ``assets/pictures/<name>.png``.  White (255)
is a "north" spin (+1), black (0) a "south" spin (-1).

A Hebbian Hopfield network can only tell stored pictures apart when they are
weakly correlated, so the pictures do not all share a plain black or white
background: they mix light-on-dark and dark-on-light, split skies and
grounds, frames and half-inverted tiles (a shape drawn across a split
background is inverted on one side, so it stays visible).  Symmetric shapes
are mirrored so they are exactly symmetric, which makes them exactly
orthogonal to the half-inverted ones.  ``check_pictures.py`` verifies
balance, pairwise overlaps and recall.

Run ``python assets/draw_pictures.py`` to regenerate the files.

MIT License - part of tui-hopfield.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw

SIZE = 32
SCALE = 4
WHITE = 255
BLACK = 0
OUT_DIR = Path(__file__).resolve().parent / "pictures"

Point = tuple[float, float]


class Canvas:
    """A high-resolution drawing surface addressed in 32x32 picture units."""

    def __init__(self, background: int = BLACK) -> None:
        self.image = Image.new("L", (SIZE * SCALE, SIZE * SCALE), background)
        self.draw = ImageDraw.Draw(self.image)

    @staticmethod
    def _box(x0: float, y0: float, x1: float, y1: float) -> list[float]:
        # (x1, y1) is exclusive: rect(0, 0, 16, 32) is exactly the left half.
        return [x0 * SCALE, y0 * SCALE, x1 * SCALE - 1, y1 * SCALE - 1]

    @staticmethod
    def _points(points: Sequence[Point]) -> list[Point]:
        # Pixel centres sit at integer coordinates, so the picture's centre
        # line x = 16 maps to 16 * SCALE - 0.5, matching _box.
        return [(x * SCALE - 0.5, y * SCALE - 0.5) for x, y in points]

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: int) -> None:
        self.draw.rectangle(self._box(x0, y0, x1, y1), fill=fill)

    def rounded(self, x0: float, y0: float, x1: float, y1: float, radius: float, fill: int) -> None:
        self.draw.rounded_rectangle(self._box(x0, y0, x1, y1), radius=radius * SCALE, fill=fill)

    def ellipse(self, x0: float, y0: float, x1: float, y1: float, fill: int) -> None:
        self.draw.ellipse(self._box(x0, y0, x1, y1), fill=fill)

    def circle(self, cx: float, cy: float, r: float, fill: int) -> None:
        self.ellipse(cx - r, cy - r, cx + r, cy + r, fill)

    def polygon(self, points: Sequence[Point], fill: int) -> None:
        self.draw.polygon(self._points(points), fill=fill)

    def line(self, points: Sequence[Point], width: float, fill: int) -> None:
        self.draw.line(self._points(points), fill=fill, width=round(width * SCALE), joint="curve")

    def arc(
        self,
        box: tuple[float, float, float, float],
        start: float,
        end: float,
        width: float,
        fill: int,
    ) -> None:
        self.draw.arc(self._box(*box), start, end, fill=fill, width=round(width * SCALE))

    def mirror(self) -> None:
        """Make the picture exactly left-right symmetric (left half wins)."""
        half = self.image.width // 2
        left = self.image.crop((0, 0, half, self.image.height))
        self.image.paste(left.transpose(Image.Transpose.FLIP_LEFT_RIGHT), (half, 0))

    def invert_with(self, mask: Canvas) -> None:
        """Swap black and white wherever ``mask`` is white (an XOR)."""
        self.image = ImageChops.difference(self.image, mask.image)
        self.draw = ImageDraw.Draw(self.image)

    def to_picture(self) -> Image.Image:
        small = self.image.resize((SIZE, SIZE), Image.Resampling.LANCZOS)
        return small.point(lambda v: WHITE if v > 127 else BLACK)


def star_points(cx: float, cy: float, outer: float, inner: float, tips: int = 5) -> list[Point]:
    """Corners of a star with its first tip pointing straight up."""
    points = []
    for k in range(2 * tips):
        radius = outer if k % 2 == 0 else inner
        angle = math.radians(-90 + k * 180 / tips)
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return points


def split(side: str, at: float) -> Canvas:
    """A background that is white on one ``side`` of the line ``at``.

    ``side`` is "left", "top" or "bottom"; "frame" gives a white border
    ``at`` units wide around a black field.
    """
    canvas = Canvas(BLACK)
    if side == "left":
        canvas.rect(0, 0, at, SIZE, WHITE)
    elif side == "top":
        canvas.rect(0, 0, SIZE, at, WHITE)
    elif side == "bottom":
        canvas.rect(0, at, SIZE, SIZE, WHITE)
    elif side == "frame":
        canvas.rect(0, 0, SIZE, SIZE, WHITE)
        canvas.rect(at, at, SIZE - at, SIZE - at, BLACK)
    else:
        raise ValueError(f"unknown side {side!r}")
    return canvas


def inverted(background: Canvas, ink: Callable[[Canvas], None]) -> Canvas:
    """Draw ``ink`` in white on a mask and flip ``background`` under it.

    The shape then shows as white where the background is black and as
    black where it is white, so it stays visible across a split.
    """
    mask = Canvas(BLACK)
    ink(mask)
    background.invert_with(mask)
    return background


# --- the pictures -----------------------------------------------------------
# Sizes and positions below were tuned (with check_pictures.py) so that the
# whole set stays weakly correlated; change them with care.


def smile() -> Canvas:
    """A white smiley face on black."""
    c = Canvas(BLACK)
    c.circle(16, 15.5, 13, WHITE)
    c.ellipse(10, 8, 14, 14, BLACK)
    c.ellipse(18, 8, 22, 14, BLACK)
    c.arc((8.5, 8.5, 23.5, 23.5), 30, 150, 3, BLACK)
    c.mirror()
    return c


def heart() -> Canvas:
    """A heart, black on the white left half and white on the black right half."""

    def ink(c: Canvas, scale: float = 1.05, cy: float = 16.5) -> None:
        def at(x: float, y: float) -> Point:
            return (16 + (x - 16) * scale, cy + (y - 16.5) * scale)

        c.circle(*at(10, 11), 7 * scale, WHITE)
        c.circle(*at(22, 11), 7 * scale, WHITE)
        c.polygon([at(3.4, 13), at(28.6, 13), at(16, 28.5)], WHITE)
        c.polygon([at(9, 6), at(23, 6), at(23, 14), at(9, 14)], WHITE)
        c.mirror()

    return inverted(split("left", 16), ink)


def star() -> Canvas:
    """A white five-pointed star in a white frame."""
    c = split("frame", 2)
    c.polygon(star_points(16, 17.5, 11.5, 11.5 * 0.38), WHITE)
    c.mirror()
    return c


def house() -> Canvas:
    """A dark house with a chimney under a white sky, on dark ground."""
    c = Canvas(WHITE)
    c.rect(0, 27, SIZE, SIZE, BLACK)  # ground
    c.polygon([(2.5, 16), (16, 3.5), (29.5, 16)], BLACK)  # roof
    c.rect(23, 5, 26, 12, BLACK)  # chimney
    c.rect(6, 14, 26, 28, BLACK)  # walls
    c.rect(14, 20, 18, 28, WHITE)  # door
    c.rect(8, 17, 12, 21, WHITE)  # windows
    c.rect(20, 17, 24, 21, WHITE)
    return c


def cat() -> Canvas:
    """A black cat's head in a black picture frame."""
    c = Canvas(BLACK)
    c.rect(2, 2, 30, 30, WHITE)
    head = Canvas(BLACK)
    head.ellipse(4, 9, 28, 29, WHITE)
    head.polygon([(4.5, 16), (5, 3.5), (14, 10)], WHITE)
    head.polygon([(27.5, 16), (27, 3.5), (18, 10)], WHITE)
    c.invert_with(head)
    c.ellipse(9, 14, 14, 19.5, WHITE)  # eyes
    c.ellipse(18, 14, 23, 19.5, WHITE)
    c.polygon([(14.5, 21.5), (17.5, 21.5), (16, 23.5)], WHITE)  # nose
    c.mirror()
    return c


def note() -> Canvas:
    """An eighth note across a black sky over white ground."""

    def ink(c: Canvas) -> None:
        c.ellipse(6, 18, 17, 26, WHITE)  # head
        c.rect(14, 2, 17, 22, WHITE)  # stem
        c.polygon([(14, 2), (17, 2), (27, 9), (26, 13), (17, 7)], WHITE)  # flag

    return inverted(split("bottom", 17), ink)


def tree() -> Canvas:
    """A leafy tree under a white sky, on a dark sloping hill."""
    background = Canvas(WHITE)
    background.polygon([(0, 22), (32, 30), (32, 32), (0, 32)], BLACK)

    def ink(c: Canvas, cx: float = 11, cy: float = 10, r: float = 9) -> None:
        c.rect(cx - 2, cy, cx + 2, 29, WHITE)  # trunk
        c.circle(cx - 0.45 * r, cy + 0.15 * r, 0.7 * r, WHITE)  # crown of three blobs
        c.circle(cx + 0.45 * r, cy + 0.15 * r, 0.7 * r, WHITE)
        c.circle(cx, cy - 0.3 * r, 0.72 * r, WHITE)

    return inverted(background, ink)


def moon() -> Canvas:
    """A crescent moon and two stars in a night sky over a snowy hill."""
    c = Canvas(BLACK)
    c.circle(12, 12, 11, WHITE)
    c.circle(17.5, 8.48, 9.9, BLACK)  # bite out of the disc
    c.ellipse(8, 18, 60, 52, WHITE)  # hill
    for x, y in [(26, 6), (22, 14)]:
        c.polygon(star_points(x, y, 2.6, 1.0), WHITE)
    return c


def letter_a() -> Canvas:
    """A capital A, white on black in a thin white frame."""

    def ink(c: Canvas) -> None:
        c.polygon(
            [(12.5, 3), (19.5, 3), (29, 29), (22.5, 29), (16, 9.5), (9.5, 29), (3, 29)],
            WHITE,
        )
        c.rect(10, 18, 22, 22, WHITE)
        c.mirror()

    return inverted(split("frame", 1), ink)


def letter_b() -> Canvas:
    """A capital B across a white top and a black bottom."""

    def ink(c: Canvas) -> None:
        c.rounded(6, 3, 24, 16.5, 6, WHITE)
        c.rounded(6, 14, 26, 29, 7, WHITE)
        c.rect(6, 3, 13, 29, WHITE)
        c.rounded(12, 8, 18.5, 12, 2, BLACK)
        c.rounded(12, 19, 20, 24, 2, BLACK)

    return inverted(split("top", 14), ink)


def x_mark() -> Canvas:
    """A bold X across a white left and a black right part."""

    def ink(c: Canvas) -> None:
        c.line([(4, 4), (28, 28)], 7, WHITE)
        c.line([(28, 4), (4, 28)], 7, WHITE)
        c.mirror()

    return inverted(split("left", 14), ink)


def key() -> Canvas:
    """A key lying on its side, its bit crossing into a black strip."""

    def ink(c: Canvas) -> None:
        c.circle(8.5, 18, 6.5, WHITE)  # bow
        c.circle(8.5, 18, 3.5, BLACK)
        c.rect(13.5, 16, 30, 20, WHITE)  # shaft
        c.rect(22, 20, 25, 24, WHITE)  # bit
        c.rect(27, 20, 30, 25, WHITE)

    return inverted(split("left", 20), ink)


# Display order: the first three are the classic demo set.
PICTURES: dict[str, Callable[[], Canvas]] = {
    "smile": smile,
    "heart": heart,
    "star": star,
    "house": house,
    "cat": cat,
    "note": note,
    "tree": tree,
    "moon": moon,
    "a": letter_a,
    "b": letter_b,
    "x": x_mark,
    "key": key,
}


def main() -> None:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for name, draw in PICTURES.items():
        picture = draw().to_picture()
        picture.save(OUT_DIR / f"{name}.png")
        white = picture.histogram()[WHITE] / (SIZE * SIZE)
        print(f"{name:6s} white {white:.2f}")
    print(f"wrote {len(PICTURES)} pictures to {OUT_DIR}")


if __name__ == "__main__":
    main()
