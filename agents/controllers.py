"""Load a user's agent class or controller named by dotted path in a scenario (`"my_module:MyHems"`).

The module is imported from the Python path, or else from a file `my_module.py` next to the scenario
file. Every failure is a `ValueError` that says what was asked, why it failed, and what is allowed,
so the scenario loader reports it under its key (`hems.controller: ...`).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path


def load_class(path: str, base: type, base_dir: Path | None = None) -> type:
    """The class `path` names ('module:Class' or 'module.Class'), checked to be `base` or a subclass of it."""
    allowed = f"'module:Class' naming a subclass of {base.__module__}.{base.__qualname__}"
    module_name, sep, attr = path.partition(":")
    if not sep:
        module_name, _, attr = path.rpartition(".")
    if not module_name or not attr or not all(p.isidentifier() for p in (*module_name.split("."), *attr.split("."))):
        raise ValueError(f"{path!r} is not a dotted path; expected {allowed}")
    module = _import(module_name, base_dir, allowed)
    obj = module
    for part in attr.split("."):
        if not hasattr(obj, part):
            raise ValueError(f"module {module_name!r} has no {attr!r}; expected {allowed}")
        obj = getattr(obj, part)
    if not (isinstance(obj, type) and issubclass(obj, base)):
        raise ValueError(f"{path!r} is not a subclass of {base.__qualname__}; expected {allowed}")
    return obj


def _import(name: str, base_dir: Path | None, allowed: str):
    """Import `name` from the path, or from `base_dir/name.py` (a student's file next to the scenario)."""
    local = base_dir / (name.replace(".", "/") + ".py") if base_dir is not None else None
    if name not in sys.modules and local is not None and local.is_file():
        spec = importlib.util.spec_from_file_location(name, local)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except Exception as exc:  # noqa: BLE001 — a student's module may raise anything on import; report it
            del sys.modules[name]
            raise ValueError(f"importing {local} failed: {type(exc).__name__}: {exc}") from None
        return module
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise ValueError(f"cannot import module {name!r} ({exc}); expected {allowed}") from None
    except Exception as exc:  # noqa: BLE001 — a student's module may raise anything on import; report it
        raise ValueError(f"importing module {name!r} failed: {type(exc).__name__}: {exc}") from None


class ControllerError(ValueError):
    """A user's controller returned a decision the model cannot apply (names the agent, the value and the rule)."""
