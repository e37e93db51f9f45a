"""A private X server (Xvfb) for the GUI tests: Qt's real xcb platform, never the developer's own screen.

The server picks a free display itself (`-displayfd`) and dies with the process that started it
(`PR_SET_PDEATHSIG`), however that process ends: the test session leaves through `os._exit`.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import subprocess

SCREEN = "1280x720x24"
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def available() -> bool:
    """True when Xvfb is installed (`dev.sh` installs it)."""
    return shutil.which("Xvfb") is not None


def start(screen: str = SCREEN) -> tuple[subprocess.Popen, str]:
    """Start Xvfb on a free display; return the process and its DISPLAY value (":N")."""
    read, write = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", screen, "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=_die_with_parent,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    if not number:
        proc.kill()
        raise RuntimeError("Xvfb did not start")
    return proc, f":{number}"
