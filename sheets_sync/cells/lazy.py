"""Names of a package loaded on first use (PEP 562), so a command imports only what it runs.

    __getattr__ = lazy_attributes(__name__, {"sync": "sync", "WORKBOOK_SUFFIXES":
                                             ("read", "SUFFIXES")})

A home is a submodule holding the name, or (submodule, name there). When a package exports a
function named like one of its submodules (`sheets_sync.sync`, `google.publish`), importing
that submodule would set the attribute to the module: `keep_function` keeps the function.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable, Mapping
from typing import Any

Home = str | tuple[str, str]


def lazy_attributes(package: str, homes: Mapping[str, Home]) -> Callable[[str], Any]:
    """The module-level `__getattr__` of `package`: import a name's home when it is asked."""

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module, attribute = (home, name) if isinstance(home, str) else home
        value = getattr(importlib.import_module(f".{module}", package), attribute)
        vars(sys.modules[package])[name] = value  # asked once, then a plain attribute
        return value

    return __getattr__


def keep_function(package: str, name: str) -> None:
    """Keep `package.name` the exported function once the submodule `name` is imported
    (the submodule stays reachable in sys.modules)."""

    class _Package(types.ModuleType):
        def __setattr__(self, attr: str, value: Any) -> None:
            if attr == name and isinstance(value, types.ModuleType):
                return
            super().__setattr__(attr, value)

    sys.modules[package].__class__ = _Package
