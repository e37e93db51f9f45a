"""cityflex entry point: no arguments opens the desktop application; subcommands run headless."""

from __future__ import annotations

import sys


def main() -> int:
    """Dispatch to the GUI (no arguments, or `gui …`) or to the headless CLI."""
    args = sys.argv[1:]
    if not args or args[0] == "gui":
        try:
            from gui.app import main as gui_main
        except ImportError as exc:
            from simulator.cli.commands import main as cli_main

            print(f"The desktop application cannot start ({exc}); the headless commands:\n")
            return cli_main([])
        return gui_main(args[1:])
    from simulator.cli.commands import main as cli_main

    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
