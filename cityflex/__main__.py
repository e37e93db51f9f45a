"""`python -m cityflex …`: the same as the `cityflex` command."""

import sys

from cityflex.cli import main

sys.exit(main(prog="python -m cityflex"))
