"""Draw the built-in scenes of the "letting go" study for tui-hopfield.

A scene is a place (its background) and two companions met there: an old
one and a new one. The study stores background + old companion for every
scene, then keeps reinforcing background + new, and watches when recall from
the place alone starts to bring back the new companion instead of the old.

Each picture is drawn like the picture library (``draw_pictures.py``, whose
canvas this script borrows): Pillow's ImageDraw on a 128x128 canvas, shrunk
to 32x32 and thresholded, white (255) north and black (0) south. They are
written to ``assets/scenes/<scene>_bg.png``, ``<scene>_old.png`` and
``<scene>_new.png``. The study puts a scene's background on the left half
of the grid and a companion on the right half.

A Hebbian network keeps memories apart only when they are weakly
correlated, so the places do not share one horizon: sky above ground, a
window in a wall, a row of houses, a diagonal shore, a night sky; and the
companions sit on backgrounds split in different ways, drawn inverted where
they cross the split. The check at the end prints each picture's share of
white and the largest overlap between two stored memories.

Run ``python assets/draw_scenes.py`` to regenerate the files.

MIT License - part of tui-hopfield.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))

from draw_pictures import BLACK, WHITE, Canvas, inverted, split, star_points

OUT_DIR = Path(__file__).resolve().parent / "scenes"


# --- places -------------------------------------------------------------------


def park_bg() -> Canvas:
    """A tree and a bench under a white sky, on dark grass."""

    def ink(c: Canvas) -> None:
        c.rect(7, 14, 10, 28, WHITE)  # trunk
        c.circle(5, 12, 5.5, WHITE)  # crown
        c.circle(12, 12, 5.5, WHITE)
        c.circle(8.5, 6.5, 6, WHITE)
        c.rect(17, 19, 30, 21, WHITE)  # seat
        c.rect(17, 14, 30, 16, WHITE)  # back
        c.rect(18, 14, 19.5, 27, WHITE)  # legs
        c.rect(27.5, 14, 29, 27, WHITE)

    return inverted(split("top", 22), ink)


def window_bg() -> Canvas:
    """A kitchen: a bright window with crossbars in a dark wall, a table below."""
    c = Canvas(BLACK)
    c.rect(6, 3, 26, 19, WHITE)  # window
    c.rect(15, 3, 17, 19, BLACK)  # crossbars
    c.rect(6, 10, 26, 12, BLACK)
    c.rect(2, 23, 30, 25, WHITE)  # table top
    c.rect(4, 25, 6, 32, WHITE)  # legs
    c.rect(26, 25, 28, 32, WHITE)
    c.rect(0, 30, 32, 32, WHITE)  # floor
    return c


def street_bg() -> Canvas:
    """A row of dark houses with lit windows under a pale sky, a white road in front."""
    c = Canvas(WHITE)
    for x0, x1, top in [(0, 10, 12), (11, 21, 8), (22, 32, 14)]:
        middle = (x0 + x1) / 2
        c.polygon([(x0, top + 4), (middle, top - 1), (x1, top + 4)], BLACK)  # roof
        c.rect(x0, top + 4, x1, 28, BLACK)
        for y in range(top + 6, 25, 5):  # lit windows
            c.rect(x0 + 2, y, middle - 1, y + 2, WHITE)
            c.rect(middle + 1, y, x1 - 2, y + 2, WHITE)
    c.rect(14, 22, 18, 28, WHITE)  # a door
    return c


def shore_bg() -> Canvas:
    """A harbour: a lighthouse on a white cliff, its beams over the dark sea."""
    c = split("left", 13)

    def ink(c: Canvas) -> None:
        c.polygon([(4, 28), (6, 8), (10, 8), (12, 28)], WHITE)  # tower
        c.rect(5, 4, 11, 8, WHITE)  # lamp room
        c.polygon([(4, 4), (8, 0.5), (12, 4)], WHITE)  # roof
        c.polygon([(11, 5), (32, 0), (32, 8)], WHITE)  # beam
        for y in (20, 26):  # waves
            c.line([(16, y), (20, y - 2), (24, y), (28, y - 2), (32, y)], 1.5, WHITE)

    c.invert_with(_mask(ink))
    c.rect(6, 14, 10, 16, WHITE)  # stripes on the tower
    c.rect(6, 20, 10, 22, WHITE)
    return c


def night_bg() -> Canvas:
    """A night sky with a full moon and stars over a snowy hill."""
    c = Canvas(BLACK)
    c.circle(23, 9, 6, WHITE)  # moon
    c.ellipse(-14, 18, 30, 50, WHITE)  # hill
    for x, y in [(5, 5), (12, 11), (31, 20)]:
        c.polygon(star_points(x, y, 3, 1.2), WHITE)
    c.rect(5, 13, 7, 22, BLACK)  # a signpost in the snow
    c.rect(3, 13, 12, 16, BLACK)
    return c


def beach_bg() -> Canvas:
    """A beach: a low sun over the dark sea, white sand rising to the right, a parasol."""
    c = Canvas(BLACK)
    c.circle(8, 8, 5, WHITE)  # sun
    c.polygon([(0, 32), (32, 14), (32, 32)], WHITE)  # sand
    c.polygon([(14, 20), (22, 14), (30, 20)], WHITE)  # parasol
    c.rect(21.5, 20, 22.5, 27, BLACK)
    for y in (16, 22):  # waves
        c.line([(0, y), (4, y - 2), (8, y), (12, y - 2)], 1.5, WHITE)
    return c


def station_bg() -> Canvas:
    """A station: a big clock on a pale wall, a dark platform and rails."""
    c = Canvas(WHITE)
    c.circle(22, 10, 8, BLACK)  # clock
    c.circle(22, 10, 6.5, WHITE)
    c.line([(22, 10), (22, 5)], 1.5, BLACK)  # hands
    c.line([(22, 10), (26, 12)], 1.5, BLACK)
    c.rect(0, 20, 32, 32, BLACK)  # platform
    c.rect(0, 24, 32, 25, WHITE)  # rails
    c.rect(0, 29, 32, 30, WHITE)
    for x in range(2, 32, 6):  # sleepers
        c.rect(x, 24, x + 1.5, 30, WHITE)
    c.rect(2, 6, 10, 14, BLACK)  # a timetable
    return c


# --- companions -----------------------------------------------------------------


def dog() -> Canvas:
    """A dog seen from the side, across a split ground."""

    def ink(c: Canvas) -> None:
        c.rounded(6, 13, 25, 22, 4, WHITE)  # body
        c.rect(7, 20, 10, 29, WHITE)  # legs
        c.rect(20, 20, 23, 29, WHITE)
        c.circle(24, 10, 5, WHITE)  # head
        c.polygon([(22, 5), (25, 3), (26, 9)], WHITE)  # ear
        c.polygon([(27, 9), (31, 11), (27, 13)], WHITE)  # snout
        c.line([(6, 15), (2, 8)], 2, WHITE)  # tail

    return inverted(split("bottom", 24), ink)


def kite() -> Canvas:
    """A diamond kite with a cross and a tail of bows."""

    def ink(c: Canvas) -> None:
        c.polygon([(16, 1), (27, 12), (16, 23), (5, 12)], WHITE)
        c.line([(16, 23), (12, 27), (18, 30), (14, 32)], 1.2, WHITE)
        for x, y in [(12, 27), (18, 30)]:
            c.polygon(
                [(x - 2, y - 1.5), (x + 2, y + 1.5), (x + 2, y - 1.5), (x - 2, y + 1.5)], WHITE
            )

    c = split("left", 11)
    c.invert_with(_mask(ink))
    c.rect(15, 3, 17, 22, BLACK)  # the cross
    c.rect(7, 11, 26, 13, BLACK)
    return c


def teapot() -> Canvas:
    """A round teapot with a spout, a handle and a lid."""
    c = split("frame", 3)
    c.ellipse(7, 12, 25, 28, WHITE)  # body
    c.polygon([(24, 18), (30, 11), (31, 13), (25, 23)], WHITE)  # spout
    c.arc((2, 14, 12, 24), 90, 270, 2.5, WHITE)  # handle
    c.rect(11, 9, 21, 12, WHITE)  # lid
    c.circle(16, 7.5, 2, WHITE)
    return c


def cup() -> Canvas:
    """A steaming mug on a saucer, on a white table."""

    def ink(c: Canvas) -> None:
        c.rect(8, 12, 21, 27, WHITE)  # mug
        c.arc((16, 14, 27, 24), 270, 90, 2.5, WHITE)  # handle
        c.rect(4, 27, 28, 29, WHITE)  # saucer
        for x in (10, 14, 18):  # steam
            c.line([(x, 10), (x + 1.5, 7), (x, 4), (x + 1.5, 1)], 1.5, WHITE)

    c = inverted(split("bottom", 26), ink)
    c.rect(9, 13, 20, 15, BLACK)  # coffee
    return c


def car() -> Canvas:
    """A small car on a road, its wheels dark."""

    def ink(c: Canvas) -> None:
        c.rounded(2, 14, 30, 23, 2, WHITE)  # body
        c.polygon([(8, 14), (11, 7), (22, 7), (26, 14)], WHITE)  # cabin
        c.rect(12, 9, 16, 13, BLACK)  # windows
        c.rect(18, 9, 23, 13, BLACK)
        c.circle(9, 23, 4, BLACK)  # wheels
        c.circle(23, 23, 4, BLACK)

    c = split("bottom", 25)
    c.invert_with(_mask(ink))
    return c


def bicycle() -> Canvas:
    """A bicycle: two wheels, a frame, a saddle and handlebars."""

    def ink(c: Canvas) -> None:
        for cx in (8, 24):
            c.circle(cx, 22, 7, WHITE)
            c.circle(cx, 22, 5, BLACK)
        c.line([(8, 22), (14, 12), (22, 12), (24, 22)], 2, WHITE)
        c.line([(14, 12), (17, 22), (22, 12)], 2, WHITE)
        c.rect(11, 9, 17, 11, WHITE)  # saddle
        c.line([(22, 12), (21, 6), (26, 6)], 2, WHITE)  # handlebars

    return inverted(split("left", 20), ink)


def boat() -> Canvas:
    """A sailing boat with a tall sail on the water."""

    def ink(c: Canvas) -> None:
        c.polygon([(3, 21), (29, 21), (24, 27), (8, 27)], WHITE)  # hull
        c.rect(15, 2, 17, 21, WHITE)  # mast
        c.polygon([(17.5, 3), (28, 19), (17.5, 19)], WHITE)  # sails
        c.polygon([(14.5, 6), (14.5, 19), (5, 19)], WHITE)

    return inverted(split("bottom", 23), ink)


def gull() -> Canvas:
    """A gull in flight against a split sky."""

    def ink(c: Canvas) -> None:
        c.line([(1, 9), (8, 5), (14, 12)], 3, WHITE)  # wings
        c.line([(18, 12), (24, 5), (31, 9)], 3, WHITE)
        c.ellipse(11, 10, 21, 16, WHITE)  # body
        c.circle(16, 17, 3, WHITE)  # head
        c.polygon([(14.5, 19), (17.5, 19), (16, 23)], WHITE)  # beak

    return inverted(split("top", 16), ink)


def owl() -> Canvas:
    """An owl on a branch, with big eyes."""
    c = split("top", 8)
    body = Canvas(BLACK)
    body.ellipse(7, 5, 25, 28, WHITE)
    body.polygon([(7, 10), (9, 2), (13, 7)], WHITE)  # ear tufts
    body.polygon([(25, 10), (23, 2), (19, 7)], WHITE)
    c.invert_with(body)
    for cx in (12, 20):
        c.circle(cx, 13, 4, BLACK)
        c.circle(cx, 13, 1.6, WHITE)
    c.polygon([(15, 16), (17, 16), (16, 19)], BLACK)  # beak
    c.rect(0, 27, 32, 30, WHITE)  # branch
    c.mirror()
    return c


def rocket() -> Canvas:
    """A rocket taking off, with fins and a flame."""

    def ink(c: Canvas) -> None:
        c.polygon([(16, 1), (21, 8), (21, 22), (11, 22), (11, 8)], WHITE)  # body
        c.polygon([(11, 15), (5, 24), (11, 21)], WHITE)  # fins
        c.polygon([(21, 15), (27, 24), (21, 21)], WHITE)
        c.polygon([(12, 23), (20, 23), (16, 31)], WHITE)  # flame
        c.circle(16, 11, 2.2, BLACK)  # porthole
        c.mirror()

    return inverted(split("frame", 2), ink)


def _mask(ink: Callable[[Canvas], None]) -> Canvas:
    mask = Canvas(BLACK)
    ink(mask)
    return mask


SCENES: dict[str, tuple[Callable[[], Canvas], Callable[[], Canvas], Callable[[], Canvas]]] = {
    "park": (park_bg, dog, kite),
    "kitchen": (window_bg, teapot, cup),
    "street": (street_bg, car, bicycle),
    "harbour": (shore_bg, boat, gull),
    "night": (night_bg, owl, rocket),
}
"""Each scene: its place, the old companion, the new companion."""

BLOG_PLACES: dict[str, Callable[[], Canvas]] = {"beach": beach_bg, "station": station_bg}
"""Two more places for the blog's design (``scenes.blog_scenes``: seven places, one
old and one new companion shared by all), in ``assets/scenes/blog/``."""
BLOG_DIR = OUT_DIR / "blog"


def spins(picture: Image.Image) -> np.ndarray:
    """A drawn picture as +-1, flat."""
    return np.where(np.asarray(picture) > 127, 1, -1).reshape(-1)


def check(pictures: dict[str, Image.Image]) -> None:
    """Print the share of white of each picture and the largest overlaps between memories."""
    for name, picture in pictures.items():
        print(f"{name:12s} white {np.mean(spins(picture) > 0):.2f}")
    memories = {}
    for scene in SCENES:
        for part in ("old", "new"):
            both = np.concatenate(
                [spins(pictures[f"{scene}_bg"]), spins(pictures[f"{scene}_{part}"])]
            )
            memories[f"{scene}+{part}"] = both
    names = list(memories)
    worst = sorted(
        (abs(float(memories[a] @ memories[b])) / memories[a].size, a, b)
        for i, a in enumerate(names)
        for b in names[i + 1 :]
        if a.split("+")[0] != b.split("+")[0]
    )[-3:]
    for overlap, a, b in reversed(worst):
        print(f"overlap {a} / {b}: {overlap:.2f}")
    for scene in SCENES:
        old, new = spins(pictures[f"{scene}_old"]), spins(pictures[f"{scene}_new"])
        print(f"{scene:8s} old . new {float(old @ new) / old.size:+.2f}")


def main() -> None:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    pictures = {}
    for scene, draws in SCENES.items():
        for part, draw in zip(("bg", "old", "new"), draws, strict=True):
            picture = draw().to_picture()
            picture.save(OUT_DIR / f"{scene}_{part}.png")
            pictures[f"{scene}_{part}"] = picture
    check(pictures)
    print(f"wrote {len(pictures)} pictures of {len(SCENES)} scenes to {OUT_DIR}")
    BLOG_DIR.mkdir(exist_ok=True)
    places = {f"{scene}_bg": spins(pictures[f"{scene}_bg"]) for scene in SCENES}
    for place, draw in BLOG_PLACES.items():
        picture = draw().to_picture()
        picture.save(BLOG_DIR / f"{place}_bg.png")
        places[f"{place}_bg"] = spins(picture)
        print(f"{place + '_bg':12s} white {np.mean(spins(picture) > 0):.2f}")
    worst = max(
        (abs(float(places[a] @ places[b])) / places[a].size, a, b)
        for a in places
        for b in places
        if a < b
    )
    overlap, a, b = worst
    print(f"largest overlap between two of the seven places: {overlap:.2f} ({a}, {b})")
    print(f"wrote {len(BLOG_PLACES)} more places to {BLOG_DIR}")


if __name__ == "__main__":
    main()
