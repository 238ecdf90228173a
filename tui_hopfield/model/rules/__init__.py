"""Learning rules and the energy landscapes they make.

A ``Rule`` names how stored patterns become an energy over spin states; its
``learn`` turns the patterns ``xi`` (P x N, +-1) and their strengths ``c``
into a ``Landscape``. Every landscape answers two questions, both for one
spin of a live state (incrementally, from the raw overlaps ``d = xi s``) and
for a batch of states at once (matrix products, for synchronous sweeps and
experiments):

- the energy ``E(s)``;
- ``dE_i``, the change in energy if spin ``i`` alone turned over.

Dynamics need nothing else: at T = 0 a spin flips when ``dE_i < 0``; Glauber's
rule flips it with probability ``1 / (1 + exp(dE_i / T))``. For the quadratic
rules ``dE_i = 2 s_i h_i`` with the local field ``h = W s`` (zero diagonal);
for the others the *effective field* ``h_i = s_i dE_i / 2`` plays that part.

The rules:

- Hebbian (Hopfield 1982): ``W = sum_mu c_mu xi_mu xi_mu^T / N``, never built.
- Storkey (1997): incremental and local; its W is dense N x N (float32), so it
  is refused above ``STORKEY_MAX_BYTES``.
- Pseudo-inverse (Personnaz et al. 1985; Kanter & Sompolinsky 1987): W is the
  projection onto the span of the patterns, ``xi^T G^+ xi`` with the P x P
  Gram matrix ``G = xi xi^T``; never built either.
- Dense associative memory (Krotov & Hopfield 2016): ``E = -(N/n) sum_mu c_mu m_mu^n``
  with the overlap ``m = d / N``; n = 2 is the classic network. The exponential
  form (Demircigil et al. 2017) uses ``E = -log sum_mu c_mu exp(d_mu)``, the
  logarithm of their ``-sum exp``: the same descent, numbers that fit a float.
- Modern Hopfield (Ramsauer et al. 2020): the continuous update
  ``x <- xi^T softmax(beta m + log c)``; its energy
  ``-(N/beta) log sum_mu c_mu exp(beta m_mu) + x.x / 2``.

The package holds one module per family: ``rule`` (the ``Rule`` that users
name), ``landscape`` (the protocol and the base of the linear family),
``linear`` (Hebb, pseudo-inverse), ``storkey``, ``dense`` (x^n), ``modern``
(log-sum-exp: the modern network and dense exp) and ``kernels`` (chunked
products, bit-packed overlaps).
"""

from tui_hopfield.model.rules.dense import Polynomial
from tui_hopfield.model.rules.kernels import CHUNK_BYTES, chunks, pack_spins, packed_overlaps
from tui_hopfield.model.rules.landscape import (
    FLOAT_CACHE_BYTES,
    POPCOUNT_STATES,
    Landscape,
    Linear,
)
from tui_hopfield.model.rules.linear import Hebbian, PseudoInverse
from tui_hopfield.model.rules.modern import Softmax
from tui_hopfield.model.rules.rule import (
    MAX_BETA,
    MAX_DEGREE,
    MIN_BETA,
    MIN_DEGREE,
    RULE_HELP,
    RULE_NAMES,
    Rule,
    parse_degree,
)
from tui_hopfield.model.rules.storkey import STORKEY_MAX_BYTES, Storkey

__all__ = [
    "CHUNK_BYTES",
    "FLOAT_CACHE_BYTES",
    "MAX_BETA",
    "MAX_DEGREE",
    "MIN_BETA",
    "MIN_DEGREE",
    "POPCOUNT_STATES",
    "RULE_HELP",
    "RULE_NAMES",
    "STORKEY_MAX_BYTES",
    "Hebbian",
    "Landscape",
    "Linear",
    "Polynomial",
    "PseudoInverse",
    "Rule",
    "Softmax",
    "Storkey",
    "chunks",
    "pack_spins",
    "packed_overlaps",
    "parse_degree",
]
