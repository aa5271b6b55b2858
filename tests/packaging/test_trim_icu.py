"""scripts/trim_icu.py: the trimmed ICU data still serves everything Qt asks ICU for.

The trimmed library is built from the venv's own PySide6 copy into a temporary folder, and a
child Python loads it in place of the wheel's (``LD_LIBRARY_PATH`` wins over the wheel's
RUNPATH; the child proves which file it mapped). The child then uses each ICU service Qt
reaches: collation, case mapping, time-zone names and code pages, and reports what it got.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import PySide6

ROOT = Path(__file__).resolve().parents[2]
QT_LIB = Path(PySide6.__file__).parent / "Qt" / "lib"

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux") or not list(QT_LIB.glob("libicudata.so.*")),
                                reason="only PySide6's Linux wheels bundle ICU (elsewhere Qt uses the system's)")


@functools.cache
def trim_icu():
    """scripts/ is not a package: load the script as build.spec does, by its path."""
    spec = importlib.util.spec_from_file_location("trim_icu", ROOT / "scripts" / "trim_icu.py")
    module = sys.modules["trim_icu"] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CHILD = r"""
import functools, json, sys
from PySide6.QtCore import QCollator, QCoreApplication, QLocale, QStringDecoder, QTimeZone
app = QCoreApplication(sys.argv)
def order(locale, words):
    return sorted(words, key=functools.cmp_to_key(QCollator(QLocale(locale)).compare))
london = QTimeZone(b"Europe/London")
print(json.dumps({
    "icudata": [line.split()[-1] for line in open("/proc/self/maps") if "libicudata" in line][0],
    "english": order("en_GB", ["zebra", "Éclair", "apple", "eclair", "Zoë", "école"]),
    "swedish": order("sv_SE", ["ö", "z", "a"]),
    "numeric": (lambda c: (c.setNumericMode(True), sorted(["item10", "item9", "item100"], key=functools.cmp_to_key(c.compare)))[1])(QCollator(QLocale("en_GB"))),
    "turkish_upper": QLocale("tr_TR").toUpper("istanbul"),
    "zone": london.displayName(QTimeZone.TimeType.StandardTime, QTimeZone.NameType.LongName, QLocale("en_GB")),
    "cp1252": QStringDecoder("windows-1252").isValid(),
    "latin2": QStringDecoder("ISO-8859-2").isValid(),
    "shift_jis": QStringDecoder("Shift_JIS").isValid(),
}))
"""


def run_child(library_folder: Path | None) -> dict:
    env = dict(os.environ)
    if library_folder is not None:
        env["LD_LIBRARY_PATH"] = str(library_folder)
    done = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_trimmed_icu_data_is_a_quarter_and_serves_what_qt_uses(tmp_path: Path) -> None:
    module = trim_icu()
    missing = module.tools_missing()
    assert not missing, f"binutils is needed (see .ci/run): {missing}"
    original = next(QT_LIB.glob("libicudata.so.*"))
    before, after = module.trim_library(original, tmp_path / original.name)
    assert after < before / 3, (before, after)

    full, trimmed = run_child(None), run_child(tmp_path)
    assert Path(trimmed["icudata"]) == tmp_path / original.name
    assert Path(full["icudata"]).resolve() == original.resolve()
    for key in ("english", "swedish", "numeric", "turkish_upper", "zone", "cp1252", "latin2"):
        assert trimmed[key] == full[key], key
    assert trimmed["english"] == ["apple", "eclair", "Éclair", "école", "zebra", "Zoë"]
    assert trimmed["swedish"] == ["a", "z", "ö"]  # Swedish sorts ö after z: its tailoring was kept
    assert trimmed["numeric"] == ["item9", "item10", "item100"]
    assert trimmed["turkish_upper"] == "İSTANBUL"
    assert trimmed["zone"] == "Greenwich Mean Time"
    assert full["shift_jis"] and not trimmed["shift_jis"]  # multi-byte East Asian tables were dropped


def test_the_package_round_trips_item_for_item(tmp_path: Path) -> None:
    """Reading and rewriting the package without dropping anything gives back every item intact."""
    module = trim_icu()
    _symbol, blob = module.data_symbol(next(QT_LIB.glob("libicudata.so.*")))
    header, items = module.read_package(blob)
    again_header, again = module.read_package(module.write_package(header, items))
    assert again_header == header and again == items
    assert any(i.name.endswith("/coll/ucadata.icu") for i in items) and len(items) > 1000
    kept = [i.name for i in items if module.wanted(i)]
    assert not any("/brkitr/" in name or "/translit/" in name for name in kept)
    assert any(name.endswith("/zoneinfo64.res") for name in kept)


def test_a_file_that_is_not_icu_data_is_refused() -> None:
    module = trim_icu()
    with pytest.raises(module.NotIcuData):
        module.read_package(b"\x20\x00\xda\x27" + b"\x00" * 60)
