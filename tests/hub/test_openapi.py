"""The served OpenAPI document is the committed one, and fuzzing it never gets a 5xx."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from champions.hub.app import create_app, openapi_document

DOC = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def test_committed_document_matches_the_served_one(hub) -> None:  # type: ignore[no-untyped-def]
    served = requests.get(hub.url("/openapi.json"), timeout=30).json()
    committed = json.loads(DOC.read_text(encoding="utf-8"))
    assert served == committed, "docs/openapi.json is stale: run `champions-hub openapi > docs/openapi.json`"
    assert DOC.read_text(encoding="utf-8") == openapi_document(create_app("sqlite://"))


SCHEMA = json.loads(DOC.read_text(encoding="utf-8"))
OPERATIONS = [result.ok() for result in schemathesis.openapi.from_dict(SCHEMA).get_all_operations()]


def _takes_input(label: str) -> bool:
    method, path = label.split(" ", 1)
    spec = SCHEMA["paths"][path][method.lower()]
    # A path segment can always be any string, so it has no invalid form to generate.
    return bool(spec.get("requestBody") or any(x["in"] != "path" for x in spec.get("parameters", [])))


CASES = [pytest.param(op, GenerationMode.POSITIVE, id=f"{op.label} valid") for op in OPERATIONS] + [
    pytest.param(op, GenerationMode.NEGATIVE, id=f"{op.label} invalid") for op in OPERATIONS if _takes_input(op.label)
]


@pytest.mark.parametrize(("operation", "mode"), CASES)
def test_fuzzing_never_gets_a_server_error(hub, org, operation, mode) -> None:  # type: ignore[no-untyped-def]
    failures: list[str] = []

    @settings(max_examples=15, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case) -> None:  # type: ignore[no-untyped-def]
        headers = dict(org.coordinator.headers)
        headers.update(case.headers or {})
        case.headers = headers
        response = case.call(base_url=hub.base_url, timeout=60)
        if response.status_code >= 500:
            failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:300]}")
        elif response.status_code >= 400:
            body = response.json()
            assert set(body) == {"code", "message"} and body["message"], body

    run()
    assert failures == []
