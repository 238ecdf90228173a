"""Check that the built-in pictures suit a Hebbian Hopfield network.

Self-contained (numpy + Pillow only, no project imports).  For the 32x32
pictures in ``assets/pictures`` it reports:

* the fraction of white pixels of each picture (wanted: 0.30 .. 0.70);
* the largest pairwise overlap |m(a, b)| = |mean(s_a * s_b)| (wanted <= 0.35);
* with every picture stored by the Hebb rule (W = XI^T XI / N, zero
  diagonal), the fraction of spins of each picture with s_i * h_i < 0
  (wanted: 0, at most 1%);
* with only three pictures stored, recall by asynchronous zero-temperature
  updates from a cue in which a random half of the spins were replaced by
  random +-1 values (wanted: exact recall for at least 9 of 10 seeds).

Exit status is 0 when everything passes.  ``--all-triples`` checks recall
for every triple of pictures instead of a chosen few; ``--show`` prints the
pictures with half-block characters first.

MIT License - part of tui-hopfield.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

import numpy as np
from PIL import Image

PICTURE_DIR = Path(__file__).resolve().parent / "pictures"
FIRST = ("smile", "heart", "star")
TRIPLES = (
    ("smile", "heart", "star"),
    ("house", "tree", "moon"),
    ("cat", "note", "key"),
    ("a", "b", "x"),
    ("smile", "star", "cat"),  # framed / round shapes
    ("heart", "x", "key"),  # left/right splits
)
MIN_WHITE, MAX_WHITE = 0.30, 0.70
MAX_OVERLAP = 0.35
MAX_UNSTABLE = 0.01
SEEDS = 10
MIN_RECALLED = 9


def load(directory: Path) -> dict[str, np.ndarray]:
    """Read every PNG as a flat vector of spins (+1 white, -1 black)."""
    files = sorted(directory.glob("*.png"))
    order = [n for n in FIRST if (directory / f"{n}.png").exists()]
    order += [f.stem for f in files if f.stem not in FIRST]
    patterns = {}
    for name in order:
        img = Image.open(directory / f"{name}.png")
        pixels = np.asarray(img.convert("L"), dtype=np.int16)
        if pixels.shape != (32, 32) or img.mode != "L":
            raise SystemExit(f"{name}: expected a 32x32 mode L image")
        if not np.isin(pixels, (0, 255)).all():
            raise SystemExit(f"{name}: pixel values must be 0 or 255")
        patterns[name] = np.where(pixels > 127, 1, -1).astype(np.int8).ravel()
    return patterns


def stabilities(xi: np.ndarray) -> np.ndarray:
    """s_i * h_i for every stored pattern (rows) with all of them stored."""
    n = xi.shape[1]
    x = xi.astype(np.float64)
    weights = x.T @ x / n
    np.fill_diagonal(weights, 0.0)
    return x * (x @ weights)  # row mu holds s_i * h_i for the state xi_mu


def recall(xi: np.ndarray, cue: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Asynchronous zero-temperature dynamics until a sweep flips nothing."""
    p, n = xi.shape
    s = cue.astype(np.int64)
    cols = [tuple(int(v) for v in xi[:, i]) for i in range(n)]
    u = [int(v) for v in xi.astype(np.int64) @ s]  # u_mu = xi_mu . s
    for _ in range(1000):
        flipped = False
        for i in rng.permutation(n):
            col = cols[i]
            si = int(s[i])
            # N * h_i = sum_mu xi_mu_i * u_mu - p * s_i  (Hebb rule, W_ii = 0)
            field = sum(c * v for c, v in zip(col, u, strict=True)) - p * si
            if si * field < 0:
                s[i] = -si
                for mu in range(p):
                    u[mu] -= 2 * si * col[mu]
                flipped = True
        if not flipped:
            return s
    raise RuntimeError("dynamics did not settle")


def recall_successes(xi: np.ndarray, seeds: int = SEEDS) -> list[int]:
    """For each stored pattern, how many seeds recall it exactly."""
    p, n = xi.shape
    wins = []
    for mu in range(p):
        count = 0
        for seed in range(seeds):
            rng = np.random.default_rng(seed)
            cue = xi[mu].astype(np.int64).copy()
            noisy = rng.choice(n, size=n // 2, replace=False)
            cue[noisy] = rng.choice((-1, 1), size=noisy.size)
            count += bool(np.array_equal(recall(xi, cue, rng), xi[mu]))
        wins.append(count)
    return wins


def show(name: str, spins: np.ndarray) -> None:
    """Print a picture with half-block characters, two pixel rows a line."""
    grid = spins.reshape(32, 32) > 0
    glyphs = {(True, True): "\u2588", (True, False): "\u2580", (False, True): "\u2584"}
    print(name)
    for top, bottom in zip(grid[0::2], grid[1::2], strict=True):
        print("".join(glyphs.get((t, b), " ") for t, b in zip(top, bottom, strict=True)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", nargs="?", type=Path, default=PICTURE_DIR)
    parser.add_argument("--all-triples", action="store_true")
    parser.add_argument("--show", action="store_true", help="print the pictures")
    args = parser.parse_args()

    patterns = load(args.directory)
    names = list(patterns)
    xi = np.array([patterns[n] for n in names])
    ok = True

    if args.show:
        for name in names:
            show(name, patterns[name])
    print(f"{len(names)} pictures: {', '.join(names)}")
    print("\nwhite fraction:")
    for name in names:
        white = float((patterns[name] > 0).mean())
        good = MIN_WHITE <= white <= MAX_WHITE
        ok &= good
        print(f"  {name:8s} {white:.3f}{'' if good else '  OUT OF RANGE'}")

    overlaps = xi.astype(np.float64) @ xi.T / xi.shape[1]
    np.fill_diagonal(overlaps, 0.0)
    i, j = np.unravel_index(np.abs(overlaps).argmax(), overlaps.shape)
    worst = abs(overlaps[i, j])
    ok &= worst <= MAX_OVERLAP
    print(f"\nmax pairwise |overlap|: {worst:.3f} ({names[i]}, {names[j]})")
    print(f"mean pairwise |overlap|: {np.abs(overlaps).sum() / (len(names) ** 2 - len(names)):.3f}")

    print("\nall pictures stored: fraction of spins with s_i*h_i < 0, min s_i*h_i")
    stab = stabilities(xi)
    for name, row in zip(names, stab, strict=True):
        frac = float((row < 0).mean())
        ok &= frac <= MAX_UNSTABLE
        flag = "" if frac <= MAX_UNSTABLE else "  UNSTABLE"
        print(f"  {name:8s} {frac:.4f}  {row.min():+.3f}{flag}")

    if args.all_triples:
        triples = list(itertools.combinations(names, 3))
    else:
        triples = [t for t in TRIPLES if all(n in patterns for n in t)]
    print(f"\nrecall from half-random cues, three stored, out of {SEEDS} seeds:")
    failures = 0
    for triple in triples:
        wins = recall_successes(np.array([patterns[n] for n in triple]))
        good = min(wins) >= MIN_RECALLED
        failures += not good
        if good and args.all_triples:
            continue
        report = ", ".join(f"{n} {w}/{SEEDS}" for n, w in zip(triple, wins, strict=True))
        print(f"  {report}{'' if good else '  FAILED'}")
    if args.all_triples:
        print(f"  {len(triples) - failures} of {len(triples)} triples pass")
    ok &= failures == 0

    print("\nALL CHECKS PASS" if ok else "\nSOME CHECKS FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
