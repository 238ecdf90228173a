"""The help screen: every key and mouse action, and the science behind them."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Markdown, Static

from tui_hopfield.ui.actions import bindings_for, key_label
from tui_hopfield.ui.key_table import key_table
from tui_hopfield.ui.prompts import Dialog

_INTRO = """\
**Red is north (+1), blue is south (-1)** (other colours: `ctrl+p`, *Magnet colours*).
Imprint pictures, break one, recall.
Arrows or the mouse wheel scroll this help; `escape` closes it.
Caps Lock does not matter: a capital letter does what its lowercase key does.
The first start's introduction to the screen is the command palette's
*What am I looking at*; the guided tour is `ctrl+n`.
Keys, theme and start settings can be set in a config file: `tui-hopfield paths`
says where it is, the README's Configuration how.

## Keys

"""

_REST = """

## Mouse

| action | what it does |
| --- | --- |
| left button | paints the opposite of the first spin pressed; drag to draw |
| right button | paints south; drag to draw |
| picture buttons | show and imprint that picture |
| temperature slider | click or drag to set it |

At 80x24 a 32x32 grid is drawn in the **half-block view**: two spins share one
character cell, one above the other. Terminals that report the pointer finer
than a cell (kitty, WezTerm, foot, Ghostty) paint exactly the spin under it;
elsewhere (tmux, most others) a click paints **both spins of the cell**. A larger
window gives every spin cells of its own, and clicks land exactly.

## What you see

Every square is a magnet (a *spin*). Imprinting a picture carves a valley in the
network's energy. Break the picture, press recall, and the magnets flip one at a
time, the energy only ever falling, until the grid settles at the bottom of a
valley: the picture it remembers.

- **Status bar**: memories, energy, the state (empty, drawing, broken, recalling,
  recalled *name*, recalled inverse of *name*, spurious, melting, stopped) and the load
  P/N against the classic capacity of about 0.138. When memories have faded it adds
  the load *by strength*, sum (c / c_max)^2 / N: the cross-talk the strongest
  memory meets, which is what "over capacity" counts.
- **Overlap** of the grid with each memory, from -1 (its inverse) to +1 (it).
- **Energy** of the current recall: at temperature 0 it never rises, because a
  spin only flips when that lowers the energy, by exactly 2|h|.
- **Temperature** T > 0 uses Glauber dynamics: a spin is north (s = +1) with
  probability 1 / (1 + exp(-2h/T)), so it points along its field h with probability
  1 / (1 + exp(-2|h|/T)). Where a memory of strength c melts depends on the rule:
  near T = c under Hebb, Storkey and the pseudo-inverse (at low load), all at once
  near T = 0.58 c under dense n = 3; dense exp never melts (its overlap fades like
  tanh(1/T)); the modern rule has no temperature (beta is its softmax's inverse
  temperature) and the slider is off. The slider goes to twice the melting point
  of the strongest memory; its tooltip gives the figures.

## Learning rules

- **Hebb** (the default): W = sum of c xi xi^T / N. Fails past ~0.138 N.
- **Storkey** (1997): local and incremental; subtracts the cross-talk of the
  pictures already stored, so it keeps more, correlated ones too. Its weights are
  a dense N x N matrix: grids up to 8192 spins (e.g. 90x90).
- **Pseudo-inverse** (Personnaz et al. 1985; Kanter & Sompolinsky 1987): the
  projection onto the stored pictures; every one is a fixed point while P < N.
  Built from the P x P overlaps; copies and inverses are noticed and said.
- **Dense associative memory** (Krotov & Hopfield 2016): E = -sum F(overlap)
  with F = x^n (n = 2 is Hebb) or exp (Demircigil et al. 2017): stores far more.
  Try it at 32x32: press `1`, then `o` and enter (random memories up to a load
  of 0.3: 307 in all), `f` and `r`: Hebb ends in a spurious state. Then `ctrl+l`,
  pick `dense`, apply, `1` again (the smile back on the grid: it is a memory
  already, nothing is added), `f`, `r`: the smile comes back.
- **Modern Hopfield** (Ramsauer et al. 2020): x <- xi^T softmax(beta xi x / N),
  the update of attention. One step, usually; the grid shows the continuous
  state in shades; `beta` (on screen) sharpens or blends the memories.

**Update modes**: async flips one spin at a time (at T = 0 the energy never rises);
sync updates every spin at once, as `s = sign(W s)` does, counts its steps, and
may end in a 2-cycle, which is named.

**Plasticity**: every memory has a strength. Reinforce deepens its valley;
**decay** multiplies every strength by lambda at each new imprint, so old
memories fade (a palimpsest: Nadal et al. 1986, Parisi 1986), and count for less
in the load by strength (lambda^2k: never more than 1 / (1 - lambda^2) memories);
**learning from use**
strengthens a memory each time a recall ends on it.

## The science

Hopfield (1982, PNAS 79:2554) stored pictures in the connections of a network
of binary neurons with the Hebbian rule W = sum of xi xi^T / N. Amit,
Gutfreund & Sompolinsky (1985) showed that recall breaks down past about
0.138 N random pictures; McEliece et al. (1987) found N / (4 ln N) for
error-free recall of all the pictures at once (N / (2 ln N) for a given
picture recalled without error). Glauber (1963) gave the dynamics at
temperature T.

**The Boltzmann machine** (`ctrl+k`; Ackley, Hinton & Sejnowski 1985) shares
the energy, the magnets and the temperature with the Hopfield network: its
visible units are the grid's magnets, a state has energy
E(v, h) = -a . v - b . h - h^T W v, and a unit turns on with probability
sigma(input / T). Hinton added hidden units (the magnets are linked only
through them), learning the distribution (contrastive divergence, 2002,
lowers the free energy of the pictures epoch by epoch, where Hebb's rule
writes W in one step) and sampling (recall and dreams draw samples instead
of descending to a valley).

**The tour** (`ctrl+n`, or `tui-hopfield --tour`): eleven short lessons, from
Hebb's rule through recall, temperature, capacity, better rules, dense and
modern memories to the Boltzmann machine. Each says what to do and moves on
only once the app sees it done; `ctrl+n` leaves it and comes back to the same
step.
"""


HELP = _INTRO + key_table() + _REST
"""The help: the intro, the key table (from the table of actions), mouse and science."""


class HelpScreen(Dialog[None]):
    """Every key and mouse action, and a few lines of the science."""

    BINDINGS = bindings_for("help")

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            moved = getattr(self.app, "moved_keys", {})
            if moved:  # from the user's file: plain text, never markup
                lines = [
                    f"  {id_}: {', '.join(map(key_label, keys.split(',')))}"
                    for id_, keys in moved.items()
                ]
                text = "Your config file moves these keys (the table shows the defaults):\n"
                yield Static(Text(text + "\n".join(lines)), id="moved-keys")
            yield Markdown(HELP)

    def action_dismiss(self) -> None:
        """Close the help."""
        self.close(None)
