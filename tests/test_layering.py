"""DESIGN.md's arrows: only champions/ui imports Qt; the hub never imports ui or store."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "champions"
QT = ("PySide6", "shiboken6", "PyQt5", "PyQt6")


def imports_of(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # resolve relative imports against the module's package
                base = path.relative_to(PACKAGE.parent).with_suffix("").parts[: -node.level]
                found.append(".".join([*base, node.module] if node.module else base))
            elif node.module:
                found.append(node.module)
    return found


def modules_under(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py")) if folder else sorted(PACKAGE.rglob("*.py"))


def test_only_the_ui_imports_qt() -> None:
    offenders = [
        f"{p.relative_to(PACKAGE.parent)} imports {m}"
        for p in modules_under("")
        if "ui" not in p.relative_to(PACKAGE).parts[:1]
        for m in imports_of(p)
        if m.split(".")[0] in QT
    ]
    assert offenders == []


def test_the_hub_never_imports_ui_or_store() -> None:
    offenders = [
        f"{p.relative_to(PACKAGE.parent)} imports {m}"
        for p in modules_under("hub")
        for m in imports_of(p)
        if m.startswith(("champions.ui", "champions.store"))
    ]
    assert offenders == []


def test_lower_layers_never_import_higher_ones() -> None:
    higher = {"domain": ("champions.store", "champions.sync", "champions.hub", "champions.ui"),
              "store": ("champions.sync", "champions.hub", "champions.ui"),
              "sync": ("champions.hub", "champions.ui")}
    offenders = [
        f"{p.relative_to(PACKAGE.parent)} imports {m}"
        for layer, banned in higher.items()
        for p in modules_under(layer)
        for m in imports_of(p)
        if m.startswith(banned)
    ]
    assert offenders == []


def test_the_check_sees_a_qt_import(tmp_path: Path) -> None:
    """Guard against a walker that silently finds nothing."""
    probe = PACKAGE / "ui" / "__init__.py"
    assert imports_of(probe) is not None
    sample = tmp_path / "x.py"
    sample.write_text("from PySide6.QtCore import QObject\nimport shiboken6\n")
    assert imports_of(sample) == ["PySide6.QtCore", "shiboken6"]
