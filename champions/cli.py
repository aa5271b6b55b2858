"""The ``champions`` command: the window by default; ``--version``, ``--show-config`` and
``--self-check`` run headless and never import Qt, so IT can script them on any machine.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import champions

log = logging.getLogger("champions.cli")

#: Set to 1 by benchmarks/startup_bench.py: the UI prints a timestamp once its first window
#: has painted and quits (see champions/ui/startup_probe.py).
EXIT_AFTER_SHOWN_ENV = "CHAMPIONS_EXIT_AFTER_SHOWN"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="champions",
        description="Log community conversations, barriers and outreach; sync them to your organisation's hub.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    parser.add_argument(
        "--show-config",
        action="store_true",
        help="print the effective settings and where each came from (default, system file, user file, environment)",
    )
    parser.add_argument(
        "--self-check",
        action="store_true",
        help="without a window: open the encrypted store, write, read and delete a check record "
        "(and sync once if a hub is set); exit 0 if all is well, 1 if not",
    )
    parser.add_argument("--demo", action="store_true", help="open a separate demo database filled with generated records")
    parser.add_argument(
        "--unencrypted-dev-db",
        action="store_true",
        help="developers only: allow an unencrypted database when no keyring is usable",
    )
    parser.add_argument("--data-dir", type=Path, default=None, help="keep the database in this folder instead of the usual one")
    parser.add_argument("--lang", default=None, help="interface language for this run, e.g. en or cy")
    return parser


def _report_problems(problems: list[str]) -> None:
    for problem in problems:
        log.warning("settings: %s", problem)
        print(f"Settings problem: {problem}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.version:
        print(f"Champions {champions.__version__}")
        return 0

    from champions import config, logs

    log_file = logs.setup_logging()
    loaded = config.load_settings()
    args.settings = loaded
    if args.lang is None and loaded.settings.language:
        args.lang = loaded.settings.language
    if args.data_dir is not None:
        # The store finds its folder through this variable, so every layer agrees on it.
        os.environ["CHAMPIONS_DATA_DIR"] = str(args.data_dir)

    if args.show_config:
        print(config.describe(loaded))
        return 0

    _report_problems(loaded.problems)
    log.info("Champions %s starting (log file %s)", champions.__version__, log_file)

    if args.self_check:
        from champions.self_check import run_self_check

        return run_self_check(args, loaded)

    if not args.demo:
        from champions.keyring_policy import refuse_file_keyrings

        refuse_file_keyrings()  # a plaintext file is no place for the database key

    if os.environ.get(EXIT_AFTER_SHOWN_ENV) == "1":
        from champions.ui import startup_probe

        startup_probe.install()

    from champions.ui.app import run  # lazily: Qt loads only for the window

    return run(args)


if __name__ == "__main__":  # pragma: no cover - `python -m champions.cli`
    raise SystemExit(main())
