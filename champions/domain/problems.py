"""Turn a pydantic ValidationError into messages a champion can act on, one per field."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from collections.abc import Callable
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
    "string_type": "{label}: enter text.",
    "greater_than_equal": "{label}: enter {ge} or more.",
    "greater_than": "{label}: enter a number above {gt}.",
    "less_than_equal": "{label}: enter {le} or less.",
    "less_than": "{label}: enter a number below {lt}.",
    "too_long": "{label}: at most {max_length} items.",
}


# Messages of the domain's own errors that carry values: the UI translates the template, then
# fills it in, so a translator sees one sentence with its placeholders, not every filled-in copy.
CUSTOM_TEMPLATES: dict[str, str] = {
    "unknown_code": "“{code}” is not on the {what} list. Choose one from the list, or ask your coordinator to add it.",
    "in_future": "{label} is in the future. Check the date and time.",
    "full_postcode_in_list": "“{typed}” is a full postcode. Use its district or sector instead, for example {district} or {sector}.",
    "bad_postcode_area": "“{typed}” is not a postcode district or sector. Write one like CH41 or CH41 5.",
    "full_postcode": (
        "That is a full postcode, which can identify someone's home. Enter only the first part, for example {district}."
    ),
}
# Values that are words of the domain (translated too) rather than something the champion typed.
WORD_PARAMS = frozenset({"label", "what"})


@dataclass(frozen=True)
class Problem:
    field: str  # dotted path, e.g. "barriers.0.code", for the form to find the widget
    label: str  # the field's name as the form shows it
    message: str  # in English, filled in
    # The message before filling in, and what fills it, for translation ("" when it has no values);
    # left out of comparisons: two problems are the same when they say the same thing.
    template: str = dataclass_field(default="", compare=False)
    params: tuple[tuple[str, str], ...] = dataclass_field(default=(), compare=False)

    def translated(self, translate: Callable[[str], str]) -> str:
        """The message in the user's language: the template translated, then filled in."""
        if not self.template:
            return translate(self.message)
        values = {k: translate(v) if k in WORD_PARAMS else v for k, v in self.params}
        try:
            return translate(self.template).format(**values)
        except (KeyError, IndexError, ValueError):  # a translation with a broken placeholder
            return self.template.format(**dict(self.params))


def _label_for(model: type[BaseModel], loc: tuple[Any, ...]) -> str:
    current: Any = model
    label = ".".join(str(p) for p in loc)
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            label = str(part)  # a field the model does not have (say, an unknown key): name it as sent
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
        ctx = {k: str(v) for k, v in (err.get("ctx") or {}).items()}
        template = _GENERIC.get(err["type"])
        if template is not None:
            ctx["label"] = label
        else:
            template = CUSTOM_TEMPLATES.get(err["type"], "") if ctx else ""
        message = template.format(**ctx) if template else err["msg"]
        params = tuple(sorted(ctx.items())) if template else ()
        problems.append(Problem(".".join(str(p) for p in loc), label, message, template, params))
    return problems
