"""``python -m tui_hopfield``: the same as the ``tui-hopfield`` command."""

import sys

from tui_hopfield.cli import main

sys.exit(main())
