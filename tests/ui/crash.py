"""A child process that works until it says so, then is SIGKILLed: the crash of the "Nothing lost" tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path


def run_until_killed(code: str, args: list[str], env: dict[str, str], mark: str, cwd: Path | None = None,
                     timeout: float = 60) -> str:
    """Run ``python -c code args`` until it prints a line starting with ``mark``, SIGKILL it, return that line."""
    child = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=env, cwd=cwd)
    try:
        line = ""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = child.stdout.readline()
            if line.startswith(mark) or not line:
                break
        assert line.startswith(mark), f"child failed: {child.stderr.read() if child.poll() is not None else ''}"
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(10) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()
    return line
