"""cityflex entry point from a checkout: no arguments opens the desktop application; subcommands run headless.

The same as the `cityflex` command an installation provides (`cityflex.cli`).
"""

from __future__ import annotations

import sys

from cityflex.cli import main

if __name__ == "__main__":
    sys.exit(main(prog="main.py"))
