"""DESIGN.md's arrows: only champions/ui imports Qt; the hub never imports ui or store."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "champions"
QT = ("PySide6", "shiboken6", "PyQt5", "PyQt6")


def imports_of(path: Path, root: Path = PACKAGE.parent) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # resolve relative imports against the module's package
                base = path.relative_to(root).with_suffix("").parts[: -node.level]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.append(module)
            # `from champions import store` imports champions.store: count the names as modules too
            found += [f"{module}.{a.name}" for a in node.names if a.name != "*"]
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
        if m.startswith(("champions.ui", "champions.store", "champions.coordinator"))
        or (m.startswith("champions.sync.") and not m.startswith("champions.sync.protocol"))
    ]
    assert offenders == []  # the hub shares only the wire protocol (and the domain) with the app


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


def test_the_check_sees_every_form_of_import(tmp_path: Path) -> None:
    """Guard against a walker that silently finds nothing."""
    assert any(m.startswith("PySide6") for m in imports_of(PACKAGE / "ui" / "app.py"))
    sample = tmp_path / "x.py"
    sample.write_text("from PySide6.QtCore import QObject\nimport shiboken6\nfrom champions import store\n")
    assert imports_of(sample, root=tmp_path) == [
        "PySide6.QtCore", "PySide6.QtCore.QObject", "shiboken6", "champions", "champions.store"]
    inside = tmp_path / "champions" / "hub" / "x.py"
    inside.parent.mkdir(parents=True)
    inside.write_text("from .. import store\nfrom ..ui.app import main\n")
    found = imports_of(inside, root=tmp_path)
    assert "champions.store" in found and "champions.ui.app" in found
