"""The one way cityflex writes its outputs: never replacing or deleting what it did not create.

Every output directory cityflex writes (a run, a comparison, a sweep, a hub-stress replay, a plan)
carries a marker file, `.cityflex`, naming its kind. The rule, everywhere (CLI, Python API, GUI):

- a directory is replaced only if it carries the marker, is empty, or is a results directory written
  before the marker existed (only cityflex's file names, see `LEGACY`); anything else, a file, a
  symbolic link, `.` or a folder holding the working directory is refused with `ResultsDirError`;
- a name that comes from a scenario becomes one path component (`safe_name`): `""`, `../x` or `/etc`
  cannot point anywhere but inside the parent;
- writing happens in a hidden temporary sibling (`.NAME.cityflex-tmp-…`), locked (`flock`) while its
  writer lives; only a complete directory is swapped in, in one `renameat2(RENAME_EXCHANGE)` on Linux, so
  the target always holds either the whole old result or the whole new one; the old one then goes;
- temporaries whose writer died (SIGKILL, power cut) are unlocked, and the next write into the same
  parent removes them (`clean_stale`).

Single files (`--out plan.csv`, the data catalogue's CSV) follow the same rule with a signature in
place of the marker: an existing file is replaced only if it contains the text cityflex puts in it.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import functools
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from fnmatch import fnmatch
from pathlib import Path

from simulator.errors import ResultsDirError, ResultsError

MARKER = ".cityflex"
NEW_TAG = ".cityflex-new-"  # a temporary in its first microseconds: made, its lock not yet taken
TMP_TAG = ".cityflex-tmp-"  # a temporary with its lock (the marker inside a directory, the file itself)
OLD_TAG = ".cityflex-old-"  # an old result put aside, where the system cannot swap two directories at once
MAX_NAME = 120  # characters kept of a name that comes from a scenario (file systems allow 255 bytes)
_NEW_GRACE_S = 60.0  # a NEW_TAG temporary older than this lost its writer before it took its lock

# Results directories written before the marker existed: (files that must be there, names allowed there)
LEGACY: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "run": (("scenario.toml", "meta.json", "kpis.json"), ("scenario.toml", "meta.json", "kpis.json", "*.parquet")),
    "comparison": (("comparison.csv",), ("comparison.*", "equity.*", "designs.json", "report.html", "runs")),
    "sweep": (("sweep.parquet",), ("sweep.parquet", "runs")),
    "hub_stress": (("kpis.json", "per_minute.parquet"), ("kpis.json", "*.parquet")),
    "plan": (("plan.csv",), ("plan.csv", "plan.html")),
}


def safe_name(name: str) -> str:
    """`name` as one harmless path component: separators and control characters become `_`, no leading dot."""
    cleaned = "".join("_" if c in "/\\:" or not c.isprintable() else c for c in str(name)).strip().lstrip(".")
    return cleaned[:MAX_NAME].rstrip() or "unnamed"


def safe_output_dir(parent: str | Path, name: str) -> Path:
    """`parent/<name as one component>`, checked by `check_output_dir` (for the GUI's export dialogs)."""
    return check_output_dir(Path(parent) / safe_name(name))


def marker_kind(path: str | Path) -> str | None:
    """The kind a cityflex output directory declares in its marker (legacy layouts recognised), else None."""
    root = Path(path)
    try:
        if root.is_symlink() or not root.is_dir():
            return None
        if (root / MARKER).is_file():
            text = (root / MARKER).read_text(encoding="utf-8")
            return str(json.loads(text).get("kind", "unknown")) if text.strip() else "unknown"
        names = [p.name for p in root.iterdir()]
    except (OSError, ValueError, AttributeError):
        return None
    for kind, (required, allowed) in LEGACY.items():
        if all(r in names for r in required) and all(any(fnmatch(n, a) for a in allowed) for n in names):
            return kind
    return None


def is_cityflex_result(path: str | Path) -> bool:
    """True for a directory cityflex wrote (its marker, or a results layout from before the marker)."""
    return marker_kind(path) is not None


def check_output_dir(path: str | Path, kind: str | None = None) -> Path:
    """`path` if cityflex may write (or replace) an output directory there, else `ResultsDirError` saying why.

    With `kind`, an existing cityflex directory must be of that kind (a sweep resumes only into a sweep).
    """
    target = Path(path)
    if target.name in ("", ".", ".."):
        raise ResultsDirError(f"{str(path) or repr(str(path))}: names no new directory; give one, e.g. results/NAME")
    absolute = Path(os.path.abspath(target))
    if absolute == Path.cwd() or absolute in Path.cwd().parents:
        raise ResultsDirError(f"{target}: holds the working directory; cityflex does not replace it")
    if target.is_symlink():
        raise ResultsDirError(f"{target}: is a symbolic link; give the directory it points to, or a new name")
    if target.exists() and not target.is_dir():
        raise ResultsDirError(f"{target}: is a file, not a results directory; cityflex does not replace it")
    if target.is_dir() and any(target.iterdir()):
        found = marker_kind(target)
        if found is None:
            raise ResultsDirError(
                f"{target}: exists and is not a cityflex results directory (no {MARKER} marker); cityflex replaces "
                "only what it wrote. Choose another output directory or remove this one yourself"
            )
        if kind is not None and found not in (kind, "unknown"):
            raise ResultsDirError(f"{target}: holds a cityflex {found} result, not a {kind}; choose another directory")
    return target


@contextlib.contextmanager
def atomic_dir(target: str | Path, kind: str) -> Iterator[Path]:
    """Yield a temporary directory to fill; on success it replaces `target` (checked first), else it goes.

    `with atomic_dir(out, "run") as tmp: write(tmp)`: `out` holds either its old content or all of the new.
    """
    target = check_output_dir(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        clean_stale(target.parent)
        tmp, lock = _locked_temp_dir(target, kind)
    except OSError as exc:
        raise ResultsError(f"{target}: cannot create the output directory: {exc}") from exc
    try:
        yield tmp
        check_output_dir(target)  # again: something may have appeared there while the run ran
        _swap_in(tmp, target)
    except OSError as exc:
        raise ResultsError(f"{target}: cannot write the output directory: {exc}") from exc
    finally:
        with contextlib.suppress(OSError):
            _remove_tree(tmp)
        os.close(lock)


@contextlib.contextmanager
def claimed_dir(target: str | Path, kind: str) -> Iterator[Path]:
    """Hold `target` (created with its marker if new) as this process's output directory, e.g. a sweep's.

    For outputs written in place over time; a second writer gets `ResultsDirError` while this one lives.
    """
    target = check_output_dir(target, kind)
    try:
        if not target.exists():
            with atomic_dir(target, kind):
                pass
        marker = target / MARKER
        if not marker.exists():  # empty, or a layout from before the marker: cityflex's either way
            marker.write_text(json.dumps({"written_by": "cityflex", "kind": kind}) + "\n", encoding="utf-8")
        fd = os.open(marker, os.O_RDONLY)
    except OSError as exc:
        raise ResultsError(f"{target}: cannot create the output directory: {exc}") from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ResultsDirError(f"{target}: another cityflex process is writing there; wait for it") from None
        clean_stale(target)
        yield target
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_file(path: str | Path, signature: str | None = None) -> Iterator[Path]:
    """Yield a temporary file path to write; on success it replaces `path`.

    An existing `path` is replaced only if it is a file that contains `signature` (the text cityflex
    writes into every such file, e.g. a CSV header); without a signature only a missing file is written.
    """
    path = check_output_file(path, signature)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        clean_stale(path.parent)
        fd, name = tempfile.mkstemp(prefix=f".{path.name[:MAX_NAME]}{NEW_TAG}", dir=path.parent)
        fcntl.flock(fd, fcntl.LOCK_EX)
        tmp = Path(name).with_name(name.rsplit("/", 1)[-1].replace(NEW_TAG, TMP_TAG))
        os.rename(name, tmp)
    except OSError as exc:
        raise ResultsError(f"{path}: cannot write: {exc}") from exc
    try:
        yield tmp
        os.replace(tmp, path)
    except OSError as exc:
        raise ResultsError(f"{path}: cannot write: {exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)
        os.close(fd)


def check_output_file(path: str | Path, signature: str | None = None) -> Path:
    """`path` if cityflex may write a file there (missing, or a file containing `signature`), else `ResultsDirError`."""
    path = Path(path)
    if path.name in ("", ".", "..") or path.is_dir():
        raise ResultsDirError(f"{path}: is a directory; give a file name")
    if path.is_symlink() or (path.exists() and not _has_signature(path, signature)):
        raise ResultsDirError(f"{path}: exists and is not a file cityflex wrote; choose another name or remove it")
    return path


def write_text_atomic(path: str | Path, text: str, signature: str | None = None) -> Path:
    """Write `text` to `path` through `atomic_file` (same rule for replacing an existing file)."""
    with atomic_file(path, signature) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def clean_stale(parent: str | Path) -> list[Path]:
    """Remove the temporaries in `parent` whose writer is gone; put back an old result a kill left aside."""
    removed = []
    for entry in Path(parent).glob(f".*{OLD_TAG}*"):  # only where RENAME_EXCHANGE is missing: the old result
        target = entry.with_name(entry.name[1 : entry.name.index(OLD_TAG)])
        with contextlib.suppress(OSError):
            if target.exists():
                shutil.rmtree(entry)
            else:
                os.rename(entry, target)
            removed.append(entry)
    for entry in Path(parent).glob(f".*{TMP_TAG}*"):
        with contextlib.suppress(OSError):  # another process may be cleaning the same entry
            if _remove_if_dead(entry):
                removed.append(entry)
    for entry in Path(parent).glob(f".*{NEW_TAG}*"):
        with contextlib.suppress(OSError):
            if time.time() - entry.lstat().st_mtime > _NEW_GRACE_S:
                _remove_tree(entry)
                removed.append(entry)
    return removed


def _remove_if_dead(entry: Path) -> bool:
    """Remove a TMP_TAG temporary unless its writer holds its lock; a directory without marker is half removed."""
    lock_path = entry / MARKER if entry.is_dir() else entry
    try:
        fd = os.open(lock_path, os.O_RDONLY)
    except FileNotFoundError:
        _remove_tree(entry)  # its removal was under way (the marker goes last) when its process died
        return True
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False  # its writer is alive
    finally:
        os.close(fd)  # the writer is dead: nobody takes the lock again (new writers use new names)
    _remove_tree(entry)
    return True


def _remove_tree(path: Path) -> None:
    """Remove a temporary, its marker last: a kill part-way leaves a directory `clean_stale` still knows."""
    if path.is_symlink() or not path.is_dir():
        path.unlink(missing_ok=True)
        return
    for child in path.iterdir():
        if child.name != MARKER:
            shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
    (path / MARKER).unlink(missing_ok=True)
    path.rmdir()


def _locked_temp_dir(target: Path, kind: str) -> tuple[Path, int]:
    """A new temporary sibling of `target` holding a locked marker (the lock lives as long as the writer)."""
    new = Path(tempfile.mkdtemp(prefix=f".{target.name[:MAX_NAME]}{NEW_TAG}", dir=target.parent))
    fd = os.open(new / MARKER, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)
    os.write(fd, (json.dumps({"written_by": "cityflex", "kind": kind}) + "\n").encode())
    tmp = new.with_name(new.name.replace(NEW_TAG, TMP_TAG))
    os.rename(new, tmp)
    return tmp, fd


def _swap_in(new: Path, target: Path) -> None:
    """Put complete directory `new` at `target`; the old content (if any) ends at `new` and is removed."""
    if target.is_dir() and not any(target.iterdir()):
        target.rmdir()  # empty: nothing to lose if we die before the rename below
    if not target.exists():
        os.rename(new, target)
        return
    if not (target / MARKER).exists():  # a layout from before the marker: mark it so a kill leaves it cleanable
        (target / MARKER).write_text(json.dumps({"written_by": "cityflex", "kind": "legacy"}) + "\n")
    if _exchange(new, target):
        _remove_tree(new)  # the old result, now at the temporary's name
        return
    old = new.with_name(f".{target.name}{OLD_TAG}{os.getpid()}")
    os.rename(target, old)  # a kill here leaves `old`, which the next clean_stale puts back
    os.rename(new, target)
    shutil.rmtree(old)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False where the system cannot."""
    renameat2 = getattr(_libc(), "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


@functools.cache
def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def _has_signature(path: Path, signature: str | None) -> bool:
    if signature is None or not path.is_file():
        return False
    try:
        with path.open(encoding="utf-8", errors="replace") as f:
            return signature in f.read(64 * 1024)
    except OSError:
        return False
