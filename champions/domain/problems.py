"""Turn a pydantic ValidationError into messages a champion can act on, one per field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

_GENERIC: dict[str, str] = {
    "missing": "{label}: please fill this in.",
    "int_parsing": "{label}: enter a whole number, for example 3.",
    "int_type": "{label}: enter a whole number, for example 3.",
    "float_parsing": "{label}: enter a number, for example 2.5.",
    "datetime_parsing": "{label}: enter a date and time, for example 14/03/2025 10:30.",
    "datetime_from_date_parsing": "{label}: enter a date and time, for example 14/03/2025 10:30.",
    "date_parsing": "{label}: enter a date, for example 14/03/2025.",
    "date_from_datetime_parsing": "{label}: enter a date, for example 14/03/2025.",
    "literal_error": "{label}: choose one of the options.",
    "string_too_long": "{label} is too long: keep it under {max_length} characters.",
    "string_too_short": "{label}: please fill this in.",
    "list_type": "{label}: choose from the list.",
    "bool_parsing": "{label}: choose yes or no.",
    "extra_forbidden": "{label} is not something Champions records.",
}


@dataclass(frozen=True)
class Problem:
    field: str  # dotted path, e.g. "barriers.0.code", for the form to find the widget
    label: str  # the field's name as the form shows it
    message: str


def _label_for(model: type[BaseModel], loc: tuple[Any, ...]) -> str:
    current: Any = model
    label = ".".join(str(p) for p in loc)
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            break
        info = fields[part]
        label = info.title or str(part)
        current = _model_in(info.annotation)
    return label


def _model_in(annotation: Any) -> Any:
    """Find a nested model inside list[X] / X | None annotations."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def explain(error: ValidationError, model: type[BaseModel]) -> list[Problem]:
    problems: list[Problem] = []
    for err in error.errors(include_url=False):
        loc = tuple(err["loc"])
        label = _label_for(model, loc)
        template = _GENERIC.get(err["type"])
        if template is None:
            message = err["msg"]
        else:
            message = template.format(label=label, **(err.get("ctx") or {}))
        problems.append(Problem(".".join(str(p) for p in loc), label, message))
    return problems
