"""``python -m fmsim.cli``: the ``fmsim`` command line."""

from . import main

main()
