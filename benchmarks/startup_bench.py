"""Startup: time from launch to the first window painted, and resident memory then.

    .venv/bin/python benchmarks/startup_bench.py                    # source install, and a fresh frozen build
    .venv/bin/python benchmarks/startup_bench.py --frozen dist/champions   # an existing one-folder build
    .venv/bin/python benchmarks/startup_bench.py --no-frozen        # the source install only

Each launch is a new process with ``CHAMPIONS_EXIT_AFTER_SHOWN=1``: the app prints the moment
its first window has painted and its resident memory (champions/ui/startup_probe.py), then
quits. The app opens a real encrypted database holding a champion's few months of records
(key in a keyring file under a temporary folder, chosen through PYTHON_KEYRING_BACKEND), after
one unmeasured warm-up launch, so the OS file cache is warm as on a second start of the day.
The launches go in rounds (one of each command per round), so load from other processes falls on
every row alike.
Python may write its bytecode cache (into the temporary folder, ``PYTHONPYCACHEPREFIX``) even
when the calling shell sets ``PYTHONDONTWRITEBYTECODE``: an installed app has compiled bytecode,
so recompiling every module on each launch would measure something no person meets.

Baselines measured in the same run, on the same machine: ``python -c pass`` (the interpreter's
own start) and a bare QWidget shown by the same probe (Qt's own start and memory). Goals on
the project's 2-core machine: under 1 s from source, under 1.5 s frozen.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARK = "CHAMPIONS_FIRST_WINDOW_SHOWN"
GOAL_SOURCE_S, GOAL_FROZEN_S = 1.0, 1.5
RECORDS = 600  # conversations in the database: a busy champion's few months

BARE_QWIDGET = """
import sys
from PySide6.QtWidgets import QApplication, QWidget
from champions.ui.startup_probe import attach_if_requested
app = QApplication(sys.argv)
attach_if_requested(app)
w = QWidget()
w.resize(1100, 720)
w.show()
sys.exit(app.exec())
"""


@dataclass
class Launches:
    name: str
    seconds: list[float]
    rss_kib: list[int]
    cpu_s: list[float]

    @property
    def median_s(self) -> float:
        return statistics.median(self.seconds)

    @property
    def median_cpu_s(self) -> float:
        return statistics.median(self.cpu_s)

    @property
    def rss_mib(self) -> float:
        return statistics.median(self.rss_kib) / 1024 if self.rss_kib else 0.0


def _children_cpu_s() -> float:
    try:
        import resource
    except ImportError:  # Windows: no CPU column figure
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def launch(cmd: list[str], env: dict[str, str], expect_mark: bool = True,
           window: str | None = None) -> tuple[float, int, float]:
    """Start ``cmd``; seconds from just before the launch to the first paint (or to exit), RSS, and CPU.

    The CPU seconds (user + system, all threads) are the app's own count up to the first paint when
    it reports one, else the whole process's; they vary far less with the load other processes put
    on the machine than the wall-clock time does.
    """
    cpu_before = _children_cpu_s()
    started = time.time()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60)
    ended = time.time()
    cpu = _children_cpu_s() - cpu_before
    if not expect_mark:
        if done.returncode != 0:
            raise SystemExit(f"{cmd} failed: {done.stderr[-2000:]}")
        return ended - started, 0, cpu
    for line in done.stdout.splitlines():
        if line.startswith(MARK):
            _, when, rss, *rest = line.split()
            if window and len(rest) > 1 and rest[1] != window:
                raise SystemExit(f"{cmd} painted a {rest[1]}, not its {window}:\n{done.stderr[-3000:]}")
            return float(when) - started, int(rss), float(rest[0]) if rest else cpu
    raise SystemExit(f"{cmd} never showed a window (exit {done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")


def measure(commands: list[tuple[str, list[str], bool]], env: dict[str, str], runs: int) -> list[Launches]:
    """Each (name, command, expect_mark) once to warm up, then ``runs`` rounds of one launch of each.

    Champions' launches must paint the main window (not, say, a message box about the store).

    Rounds rather than one command's launches in a row, so a change in the machine's load (other
    processes, a build that just ended) falls on every row alike and the ratios stay fair.
    """
    rows = [Launches(name, [], [], []) for name, _, _ in commands]
    windows = ["MainWindow" if name.startswith("Champions") else None for name, _, _ in commands]
    for (_, cmd, expect_mark), window in zip(commands, windows):
        launch(cmd, env, expect_mark, window)  # warm-up: file cache, bytecode and Qt's font cache, first-run work
    for _ in range(runs):
        for row, (_, cmd, expect_mark), window in zip(rows, commands, windows):
            seconds, rss, cpu = launch(cmd, env, expect_mark, window)
            row.seconds.append(seconds)
            row.cpu_s.append(cpu)
            if rss:
                row.rss_kib.append(rss)
    return rows


def prepare_home(home: Path) -> dict[str, str]:
    """A private data, config, log and keyring folder, with an encrypted database of generated records."""
    dropped = ("PYTHON_KEYRING_BACKEND", "PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHAMPIONS_") and k not in dropped}
    env.update(
        QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        CHAMPIONS_DATA_DIR=str(home / "data"), CHAMPIONS_CONFIG_DIR=str(home / "config"),
        CHAMPIONS_LOG_DIR=str(home / "logs"), CHAMPIONS_SYSTEM_CONFIG=str(home / "system" / "champions.toml"),
        XDG_DATA_HOME=str(home / "xdg"), PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring",
        CHAMPIONS_EXIT_AFTER_SHOWN="1", PYTHONPYCACHEPREFIX=str(home / "pycache"),
    )
    seed = (
        "from champions.store import open_default\n"
        "from champions.domain.samples import SampleGenerator\n"
        "s = open_default()\n"
        f"g = SampleGenerator(seed=7, reference=s.reference)\n"
        "s.assets.save_many([g.asset(i) for i in range(6)])\n"
        f"s.activities.save_many(list(g.activities({RECORDS // 10})))\n"
        f"s.conversations.save_many(list(g.conversations({RECORDS})))\n"
        "s.close()\n"
    )
    subprocess.run([sys.executable, "-c", seed], env=env, check=True, cwd=ROOT)
    return env


def build_frozen(folder: Path) -> Path:
    subprocess.run([sys.executable, str(ROOT / "scripts" / "build.py"), "--dist", str(folder / "dist"),
                    "--work", str(folder / "work"), "--keep-cache"], check=True)
    return folder / "dist" / "champions"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="measured launches of each (after one warm-up)")
    parser.add_argument("--frozen", type=Path, help="an existing one-folder build (default: build one now)")
    parser.add_argument("--no-frozen", action="store_true", help="measure the source install only")
    args = parser.parse_args(argv)

    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    with tempfile.TemporaryDirectory(prefix="champions-startup-") as tmp:
        env = prepare_home(Path(tmp))
        commands = [("python -c pass", [sys.executable, "-c", "pass"], False),
                    ("bare QWidget", [sys.executable, "-c", BARE_QWIDGET], True),
                    ("Champions (source)", [sys.executable, "-m", "champions.cli"], True)]
        if not args.no_frozen:
            folder = args.frozen or build_frozen(Path(tmp))
            binary = folder / ("champions.exe" if sys.platform == "win32" else "champions")
            commands.append(("Champions (frozen)", [str(binary)], True))
        rows = measure(commands, env, args.runs)
        python_pass, bare, source = rows[:3]
        frozen: Launches | None = rows[3] if not args.no_frozen else None

    print(f"\nStartup to the first window painted ({env['QT_QPA_PLATFORM']}, {os.cpu_count()} cores, "
          f"{RECORDS} conversations in an encrypted database, median of {args.runs} rounds after a warm-up; "
          f"load average {load_before:.1f} before, {os.getloadavg()[0] if hasattr(os, 'getloadavg') else 0:.1f} after)")
    print(f"{'':<22}{'launch to window':>18}{'x python':>10}{'x QWidget':>11}{'CPU s':>8}{'RSS MiB':>10}{'x QWidget':>11}")
    for row in rows:
        rss = f"{row.rss_mib:>10.0f}{row.rss_mib / bare.rss_mib:>10.2f}x" if row.rss_kib else f"{'':>21}"
        print(f"{row.name:<22}{row.median_s:>16.3f} s{row.median_s / python_pass.median_s:>9.1f}x"
              f"{row.median_s / bare.median_s:>10.2f}x{row.median_cpu_s:>8.2f}{rss}")
    verdicts = [f"source {source.median_s:.2f} s (goal < {GOAL_SOURCE_S} s: {'met' if source.median_s < GOAL_SOURCE_S else 'NOT met'})"]
    if frozen:
        verdicts.append(f"frozen {frozen.median_s:.2f} s (goal < {GOAL_FROZEN_S} s: "
                        f"{'met' if frozen.median_s < GOAL_FROZEN_S else 'NOT met'})")
    print("Goals: " + "; ".join(verdicts))
    print("Spread (min-max): " + "; ".join(f"{r.name} {min(r.seconds):.3f}-{max(r.seconds):.3f} s" for r in rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
