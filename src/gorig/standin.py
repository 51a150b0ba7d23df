"""Importing a standard-library module without one of the modules it imports.

Some modules import another only to bind a name or two that a local command never calls:
argparse binds gettext's ``gettext`` and ``ngettext`` (gorig supplies its own pair), and
pathlib binds ``urllib.parse.quote_from_bytes`` for ``Path.as_uri`` alone (urllib.parse
brings ``ipaddress`` and six named tuples: a fifth of a bare Python start). :func:`import_without`
imports such a module while a stand-in holding those names sits in the other's place in
``sys.modules``, then takes the stand-in away: a later import of the other gets the real
module. The budget test (tests/core/test_core_budget.py) lists what each command loads.
"""

from __future__ import annotations

import sys


def import_without(module: str, skipped: str, **names: object) -> None:
    """Import ``module`` (if not yet imported) with ``skipped`` stood in for by a module
    holding ``names``. A ``skipped`` already imported is used as it is.

    A Python whose ``module`` wants more of ``skipped`` than ``names`` (another release's
    standard library) gets the ordinary import: a start-up saving never costs a start.
    """
    if module in sys.modules or skipped in sys.modules:
        __import__(module)
        return
    stand_in = type(sys)(skipped)
    stand_in.__dict__.update(names)
    sys.modules[skipped] = stand_in
    try:
        __import__(module)
    except ImportError:
        sys.modules.pop(module, None)
        sys.modules.pop(skipped, None)
        __import__(module)
    finally:
        if sys.modules.get(skipped) is stand_in:
            del sys.modules[skipped]
