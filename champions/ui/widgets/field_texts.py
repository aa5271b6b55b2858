"""A dialog's field captions and screen-reader names, set together from one table."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QLabel, QWidget


def set_field_texts(labels: Mapping[str, QLabel], fields: Mapping[str, QWidget],
                    texts: Mapping[str, tuple[str, str]]) -> None:
    """``texts``: field key -> (caption with its & mnemonic, accessible name); keys a dialog lacks are skipped."""
    for key, (label, name) in texts.items():
        if key in fields:
            labels[key].setText(label)
            fields[key].setAccessibleName(name)
