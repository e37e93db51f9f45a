"""Open a file a user named (scenario, sweep, meter or price CSV) without hanging, looping or reading a flood.

`open_input(path)` refuses what cannot be an input file before reading a byte: a FIFO or device (reading one
blocks forever), a directory, a symlink loop, a name longer than the file system allows, a missing file, or a
file larger than `limit_bytes`. Each refusal is an `InputFileError` whose message names the path and says
what is wrong; callers turn it into their own error (a `ScenarioError`, a meter-data error…).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

#: Largest scenario or sweep file read (a hand-written TOML file is a few kB; assumption: 10 MB is a mistake)
TEXT_LIMIT_BYTES = 10 * 1024 * 1024

_WHY = {
    errno.ENOENT: "file not found",
    errno.ELOOP: "symbolic link loop",
    errno.ENAMETOOLONG: "file name too long",
    errno.EACCES: "permission denied",
    errno.ENOTDIR: "a component of the path is not a directory",
}


class InputFileError(ValueError):
    """A path that cannot be read as an input file; the message says why."""


def open_input(path: str | Path, limit_bytes: int | None = None) -> BinaryIO:
    """Open a regular file for binary reading (non-blocking open, so a FIFO cannot hang us)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise InputFileError(_WHY.get(exc.errno, exc.strerror or str(exc))) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputFileError("is a directory, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise InputFileError("is not a regular file (a FIFO, socket or device cannot be an input file)")
        if limit_bytes is not None and info.st_size > limit_bytes:
            raise InputFileError(f"is {info.st_size:,} bytes; input files of this kind are at most {limit_bytes:,}")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_input(path: str | Path, limit_bytes: int = TEXT_LIMIT_BYTES) -> bytes:
    """The whole content of a (small) input file."""
    with open_input(path, limit_bytes) as fh:
        return fh.read()
