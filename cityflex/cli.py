"""The `cityflex` command (and `python main.py`): no arguments opens the GUI; subcommands run headless."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None, prog: str = "cityflex") -> int:
    """Dispatch to the GUI (no arguments, or `gui …`) or to the headless CLI; returns the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] == "gui":
        try:
            from gui.app import main as gui_main
        except ImportError as exc:
            from simulator.cli.commands import main as cli_main

            sys.stdout.write(f"The desktop application cannot start ({exc}); the headless commands:\n\n")
            return cli_main([], prog=prog)
        return gui_main(args[1:])
    from simulator.cli.commands import main as cli_main

    return cli_main(args, prog=prog)


if __name__ == "__main__":
    sys.exit(main())
