"""``imprint_many`` takes only spins: +1 and -1, whatever the array's dtype."""

from __future__ import annotations

import numpy as np
import pytest

from tui_hopfield.model import ModelError, Network


@pytest.mark.parametrize(
    "bad",
    [np.int8(0), np.int8(2), np.int8(-2), np.int8(-128), 1.5, -0.5, 0.0],
)
def test_imprint_many_refuses_any_value_that_is_not_a_spin(bad):
    network = Network(4, 4)
    patterns = np.ones((3, 16), dtype=np.asarray(bad).dtype)
    patterns[2, 7] = bad
    with pytest.raises(ModelError):
        network.imprint_many(patterns, ["a", "b", "c"])
    assert network.count == 0
    network.imprint_many(np.where(patterns == bad, -1, patterns).astype(np.int8), ["a", "b", "c"])
    assert network.count == 3
