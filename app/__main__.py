"""Entry point: `xuncha` with no command opens the desktop application; with one, runs the CLI.

The one place that builds a QApplication.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def _split_global_options(args: list[str]) -> tuple[str | None, list[str]]:
    """The --db option, and whatever else was given."""
    db, rest, i = None, [], 0
    while i < len(args):
        if args[i] == "--db" and i + 1 < len(args):
            db, i = args[i + 1], i + 2
            continue
        if args[i].startswith("--db="):
            db = args[i].split("=", 1)[1]
        else:
            rest.append(args[i])
        i += 1
    return db, rest


def main(argv: Sequence[str] | None = None) -> int:
    # A frozen build starts helper processes (app/sync/hashcheck.py) by running itself again:
    # this turns such a run into the helper instead of a second application. From source there is
    # nothing to turn, and the launch need not import multiprocessing.
    if getattr(sys, "frozen", False):
        import multiprocessing

        multiprocessing.freeze_support()
    args = list(sys.argv[1:] if argv is None else argv)
    db, rest = _split_global_options(args)
    if rest == ["--self-test"]:  # the installation check: Qt-free, no display, no user data
        from app.selftest import main as selftest_main

        return selftest_main()
    if rest:
        from app.cli import main as cli_main

        return cli_main(args)
    from app.ui.application import run

    return run(db)


if __name__ == "__main__":
    sys.exit(main())
