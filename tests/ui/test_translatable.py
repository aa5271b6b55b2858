"""Every user-facing string in champions/ui goes through Qt's tr(): a literal handed straight to a widget fails."""

from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "champions" / "ui"
TEXT_SETTERS = {
    "setText", "setToolTip", "setPlaceholderText", "setAccessibleName", "setAccessibleDescription",
    "setWindowTitle", "setStatusTip", "setWhatsThis", "showMessage", "setTitle", "setLabelText",
    "setInformativeText", "setDetailedText", "addItem", "addTab", "setTabText", "addAction", "addMenu",
    "information", "warning", "critical", "question",
}
TEXT_WIDGETS = {"QLabel", "QPushButton", "QCheckBox", "QRadioButton", "QGroupBox", "QAction", "QToolButton", "QMenu"}
LOGGERS = {"log", "logger", "_log", "_logger", "LOG", "logging"}
# Literals that are examples of what to type, the same in every language.
NOT_WORDS = {"https://hub.example.org", "ABCD-EFGH"}


def _is_words(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value not in NOT_WORDS and any(c.isalpha() for c in node.value)
    if isinstance(node, ast.JoinedStr):
        return any(_is_words(v) for v in node.values)
    return False


def untranslated(path: Path, root: Path = UI.parent.parent) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        owner = node.func.value if isinstance(node.func, ast.Attribute) else None
        if isinstance(owner, ast.Name) and owner.id in LOGGERS:
            continue  # log lines are for IT, in English
        if name in TEXT_SETTERS or name in TEXT_WIDGETS:
            text_at = 1 if name == "addTab" else 0  # addItem(text, data): the data is not for reading
            for arg in node.args[text_at:text_at + 1]:
                if _is_words(arg):
                    found.append(f"{path.relative_to(root)}:{node.lineno} {name}({ast.unparse(arg)[:60]})")
    return found


def test_no_literal_text_reaches_a_widget_without_tr() -> None:
    offenders = [hit for path in sorted(UI.rglob("*.py")) for hit in untranslated(path)]
    assert offenders == []


def test_the_check_catches_a_literal(tmp_path: Path) -> None:
    sample = tmp_path / "x.py"
    sample.write_text('label = QLabel("Hello")\nlabel.setText(f"{n} saved")\nlabel.setToolTip(self.tr("Fine"))\n'
                      'log.warning("not for users")\n')
    assert [hit.split(" ", 1)[1] for hit in untranslated(sample, root=tmp_path)] == [
        "QLabel('Hello')", "setText(f'{n} saved')"]
