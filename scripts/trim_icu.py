"""Rebuild the ICU data library PySide6 bundles on Linux with only what Qt can reach (32 MB -> ~8 MB).

``python scripts/trim_icu.py LIBICUDATA [OUT]`` (build.spec calls :func:`trim_library`).

PySide6's Linux wheels ship ICU, and ``libicudata.so.<N>`` is one 32 MB blob: ICU's whole
common data package (locales, collation, time-zone names, converters, break-iterator
dictionaries, transliterators, unit and currency names...). Qt 6 calls only a few ICU APIs
(``readelf --dyn-syms libQt6Core.so.6``): case mapping, collation (``ucol_*``, e.g. QCollator
and the file dialog's sorting), time-zone ids and display names (``ucal_*``) and legacy code
pages (``ucnv_*``, QStringConverter). Everything else in the package is unreachable from Qt
and so from the app. This keeps:

- every locale's own data (calendars, patterns, ``supplementalData``, ``zoneinfo64``...),
  the normalisation, case, property and alias files;
- collation: the root order and ``ucadata`` plus every language's tailoring under 100 KB
  (so Chinese, Japanese and Korean tailorings fall back to the root order);
- time-zone display names in English and the root fallback (GMT+01:00 style elsewhere);
- single-byte code pages (Windows-125x, ISO-8859-x, KOI8, Mac...); the multi-byte East Asian
  tables go, so decoding those fails cleanly;

and drops break-iterator rules and dictionaries (Qt breaks text itself), transliteration,
spelled-out numbers and the display names of languages, regions, currencies and units.

The package format is ICU's "common data" (``CmnD``): a header, a table of contents of
(name offset, data offset) pairs sorted by name, the names, then the items, each 16-byte
aligned. The new package is assembled with ``as`` and ``ld`` (binutils) into a shared library
with the same soname exporting the same single symbol, ``icudt<N>_dat``, so nothing that
links to it can tell. Windows and macOS wheels use the system's ICU, so there is nothing to do
there.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

_ALIGN = 16
_DROPPED_TREES = ("brkitr", "curr", "lang", "region", "unit", "rbnf", "translit")
_KEPT_ZONE_NAMES = re.compile(r"(root|en(_.*)?|pool|res_index|tzdbNames)\.res$")
_LARGEST_COLLATION = 100_000
_LARGEST_CONVERTER = 16_000


@dataclass(frozen=True)
class Item:
    name: str  # e.g. "icudt73l/coll/root.res"
    data: bytes


class NotIcuData(ValueError):
    """The bytes are not an ICU common data package this code understands."""


def _pad(length: int) -> int:
    return -length % _ALIGN


def read_package(blob: bytes) -> tuple[bytes, list[Item]]:
    """The package's header (kept verbatim) and its items, in table-of-contents order."""
    header_size, magic1, magic2 = struct.unpack_from("<HBB", blob, 0)
    if (magic1, magic2) != (0xDA, 0x27) or blob[8:10] != b"\x00\x00" or blob[12:16] != b"CmnD":
        raise NotIcuData("not a little-endian ICU common data package (CmnD)")
    body = blob[header_size:]
    (count,) = struct.unpack_from("<I", body, 0)
    entries = [struct.unpack_from("<II", body, 4 + 8 * i) for i in range(count)]
    items = []
    for i, (name_at, data_at) in enumerate(entries):
        name = body[name_at:body.index(b"\0", name_at)].decode("ascii")
        end = entries[i + 1][1] if i + 1 < count else len(body)
        items.append(Item(name, body[data_at:end]))
    return blob[:header_size], items


def write_package(header: bytes, items: list[Item]) -> bytes:
    """The inverse of :func:`read_package`: same header, a new table of contents."""
    names = b"".join(item.name.encode("ascii") + b"\0" for item in items)
    toc_size = 4 + 8 * len(items)
    names_at = toc_size
    data_at = names_at + len(names) + _pad(names_at + len(names))
    toc, data = [struct.pack("<I", len(items))], []
    offset_name, offset_data = names_at, data_at
    for item in items:
        toc.append(struct.pack("<II", offset_name, offset_data))
        offset_name += len(item.name) + 1
        chunk = item.data + b"\0" * _pad(len(item.data))
        data.append(chunk)
        offset_data += len(chunk)
    body = b"".join(toc) + names + b"\0" * _pad(names_at + len(names)) + b"".join(data)
    return header + body


def wanted(item: Item) -> bool:
    """The keep rules of the module docstring, for one item."""
    parts = item.name.split("/")[1:]
    if len(parts) == 1:
        return not parts[0].endswith(".cnv") or len(item.data) <= _LARGEST_CONVERTER
    tree, leaf = parts[0], parts[-1]
    if tree in _DROPPED_TREES:
        return False
    if tree == "zone":
        return bool(_KEPT_ZONE_NAMES.match(leaf))
    if tree == "coll":
        return leaf in ("root.res", "ucadata.icu", "res_index.res", "pool.res") or len(item.data) < _LARGEST_COLLATION
    return True


def trim_package(blob: bytes) -> bytes:
    header, items = read_package(blob)
    return write_package(header, [item for item in items if wanted(item)])


def _readelf(*args: str) -> str:
    return subprocess.run(["readelf", *args], capture_output=True, text=True, check=True).stdout


def data_symbol(library: Path) -> tuple[str, bytes]:
    """The library's one exported symbol (``icudt73_dat``) and the bytes it points at."""
    symbols = [line.split() for line in _readelf("--dyn-syms", "-W", str(library)).splitlines()]
    found = [s for s in symbols if len(s) >= 8 and s[3] == "OBJECT" and s[6] != "UND" and re.fullmatch(r"icudt\d+_dat", s[7])]
    if len(found) != 1:
        raise NotIcuData(f"{library.name}: no single icudt<N>_dat symbol")
    address, size, section_index, name = int(found[0][1], 16), int(found[0][2], 0), found[0][6], found[0][7]
    for line in _readelf("-S", "-W", str(library)).splitlines():
        match = re.match(r"\s*\[\s*(\d+)\]\s+(\S+)\s+\S+\s+([0-9a-f]+)\s+([0-9a-f]+)", line)
        if match and match.group(1) == section_index:
            file_offset = int(match.group(4), 16) + address - int(match.group(3), 16)
            return name, library.read_bytes()[file_offset:file_offset + size]
    raise NotIcuData(f"{library.name}: the section of {name} was not found")


def _soname(library: Path) -> str:
    match = re.search(r"\(SONAME\)\s+Library soname: \[([^\]]+)\]", _readelf("-d", str(library)))
    return match.group(1) if match else library.name


def build_library(symbol: str, package: bytes, soname: str, out: Path) -> None:
    """A shared library exporting ``symbol`` as ``package``, 16-byte aligned, read-only."""
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "data.bin").write_bytes(package)
        (work / "data.s").write_text(
            f'.section .rodata\n.balign {_ALIGN}\n.globl {symbol}\n.type {symbol}, @object\n'
            f'{symbol}:\n.incbin "data.bin"\n.size {symbol}, .-{symbol}\n'
            '.section .note.GNU-stack,"",@progbits\n', encoding="ascii")
        subprocess.run(["as", "-o", "data.o", "data.s"], cwd=work, check=True)
        subprocess.run(["ld", "-shared", "-soname", soname, "-o", str(out), "data.o"], cwd=work, check=True)


def tools_missing() -> list[str]:
    return [tool for tool in ("readelf", "as", "ld") if shutil.which(tool) is None]


def trim_library(library: Path, out: Path | None = None) -> tuple[int, int]:
    """Replace (or write to ``out``) ``library`` with its trimmed twin; return the sizes before and after."""
    symbol, blob = data_symbol(library)
    package = trim_package(blob)
    target = out or library
    before = library.stat().st_size
    temporary = target.with_name(target.name + ".trimmed")
    build_library(symbol, package, _soname(library), temporary)
    temporary.replace(target)
    return before, target.stat().st_size


def main(argv: list[str]) -> int:
    if len(argv) not in (1, 2):
        print(__doc__.splitlines()[2].strip())
        return 2
    missing = tools_missing()
    if missing:
        print(f"trim_icu: {', '.join(missing)} not found (install binutils)")
        return 1
    before, after = trim_library(Path(argv[0]), Path(argv[1]) if len(argv) == 2 else None)
    print(f"ICU data: {before / 1e6:.1f} MB -> {after / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
