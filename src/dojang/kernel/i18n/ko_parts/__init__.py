"""Korean catalog entries kept beside the feature they belong to, one module per feature.

Every module here defines `CATALOG: dict[str, str]`; `dojang.kernel.i18n.ko` merges them all
into its own. A template translated twice must be translated the same way (a test checks).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator, Mapping


def parts() -> Iterator[tuple[str, Mapping[str, str]]]:
    """Each part's module name and its catalog, in name order."""
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        yield info.name, module.CATALOG
