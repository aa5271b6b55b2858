"""One command to build the desktop app on Linux, Windows or macOS: ``python scripts/build.py``.

Runs PyInstaller on build.spec, smoke-runs the console twin with ``--version``, and prints
the build's size and time. Needs PyInstaller, which the test extra brings:
``pip install -e ".[test]"`` (or ``pip install -e . pyinstaller``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def console_binary(dist: Path) -> Path:
    """The console twin inside the one-folder build (also inside Champions.app's folder copy)."""
    name = "champions-console.exe" if sys.platform == "win32" else "champions-console"
    return dist / "champions" / name


def build(dist: Path, work: Path, clean: bool = True) -> tuple[Path, float]:
    """Build into ``dist``; return the app folder and the seconds it took."""
    try:
        import PyInstaller.__main__  # noqa: F401
    except ImportError:
        sys.exit('PyInstaller is missing: run  pip install -e ".[test]"  first.')
    args = [sys.executable, "-m", "PyInstaller", str(ROOT / "build.spec"), "--noconfirm",
            "--distpath", str(dist), "--workpath", str(work), "--log-level", "WARN"]
    if clean:
        args.append("--clean")
    started = time.monotonic()
    subprocess.run(args, check=True, cwd=ROOT)
    return dist / "champions", time.monotonic() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where the app folder goes (default dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="PyInstaller's scratch folder (default build/)")
    parser.add_argument("--keep-cache", action="store_true", help="reuse PyInstaller's cache (faster rebuilds)")
    args = parser.parse_args(argv)

    folder, seconds = build(args.dist, args.work, clean=not args.keep_cache)
    binary = console_binary(args.dist)
    smoke = subprocess.run([str(binary), "--version"], capture_output=True, text=True, timeout=120,
                           env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    if smoke.returncode != 0:
        print(smoke.stdout, smoke.stderr, file=sys.stderr)
        return 1
    print(f"Built {smoke.stdout.strip()} in {folder}")
    print(f"Build time: {seconds:.0f} s; size: {folder_size(folder) / 1e6:.0f} MB")
    if sys.platform == "darwin":
        bundle = args.dist / "Champions.app"
        print(f"macOS bundle: {bundle} ({folder_size(bundle) / 1e6:.0f} MB)")
    if shutil.which("du"):
        subprocess.run(["du", "-sh", str(folder)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
