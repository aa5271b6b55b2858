"""The HTTP client: trust, retries, gzip, and that only Champions' own errors come out."""

from __future__ import annotations

import gzip
import json

import pytest
import requests
import urllib3

from champions.sync import protocol as p
from champions.sync.client import HubClient, normalise_hub_url
from champions.sync.errors import (
    DeviceRevoked,
    EnrolmentRefused,
    HubUnreachable,
    NotEnrolled,
    ServerRejected,
    SyncError,
    TLSProblem,
    UpgradeRequired,
)

from .netutil import HEALTH, Scripted, closed_port, drop_connection, json_reply, self_signed_cert, serve

FAST = {"timeout": (2.0, 5.0), "backoff": 0.01}


def test_closed_port_is_hub_unreachable_in_plain_words():
    client = HubClient(f"http://127.0.0.1:{closed_port()}", "t", retries=1, **FAST)
    with pytest.raises(HubUnreachable) as info:
        client.health()
    assert str(info.value).startswith("Champions cannot reach the hub right now")
    assert not isinstance(info.value, (requests.RequestException, urllib3.exceptions.HTTPError))
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_self_signed_certificate_is_a_tls_problem_that_names_the_proxy_and_the_ca_bundle(tmp_path):
    tls = self_signed_cert(tmp_path)
    with serve(Scripted([json_reply(200, HEALTH)]), tls=tls) as url:
        with pytest.raises(TLSProblem) as info:
            HubClient(url, retries=0, **FAST).health()
        message = str(info.value)
        assert "TLS-inspecting proxy" in message and "CA bundle" in message
        assert "never turns certificate checks off" in message
        # the same hub is trusted once IT adds its certificate as the CA bundle
        assert HubClient(url, ca_bundle=tls[0], retries=0, **FAST).health().status == "ok"


def test_a_bad_ca_bundle_file_is_a_tls_problem(tmp_path):
    bad = tmp_path / "bundle.pem"
    bad.write_text("not a certificate")
    with pytest.raises(TLSProblem, match="could not be read as certificates"):
        HubClient("https://127.0.0.1:1", ca_bundle=bad)


def test_requests_carry_protocol_version_and_bearer_token():
    script = Scripted([json_reply(200, {"device_id": "d", "device_name": "L",
                                        "person": {"id": "p", "name": "Amina", "role": "champion"},
                                        "org": {"id": "o", "name": "Org"}, "protocol_version": 1})])
    with serve(script) as url:
        me = HubClient(url, "secret-token", **FAST).me()
    assert me.person.name == "Amina"
    _, path, headers, _ = script.requests[0]
    assert path == "/v1/me"
    assert headers["Authorization"] == "Bearer secret-token"
    assert headers[p.PROTOCOL_HEADER] == "1"


def test_push_is_retried_after_503_with_retry_after_and_big_bodies_are_gzipped():
    answer = {"batch_id": "b1", "results": []}
    script = Scripted([json_reply(503, {"code": "busy", "message": "busy"}, **{"Retry-After": "0"}),
                       json_reply(200, answer)])
    changes = [p.Change(kind="conversation", id=f"id{i}", rev=1, record={"notes": "x" * 200}) for i in range(300)]
    with serve(script) as url:
        result = HubClient(url, "t", **FAST).push(p.PushRequest(batch_id="b1", changes=changes))
    assert result.batch_id == "b1"
    assert len(script.requests) == 2
    _, _, headers, body = script.requests[1]
    assert headers["Content-Encoding"] == "gzip"
    assert len(json.loads(gzip.decompress(body))["changes"]) == 300


def test_push_is_retried_when_the_connection_drops_before_the_answer():
    answer = {"batch_id": "b", "results": []}

    def drop(handler):
        drop_connection(handler)  # the hub got the request; the answer is lost

    script = Scripted([drop, json_reply(200, answer)])
    with serve(script) as url:
        HubClient(url, "t", **FAST).push(p.PushRequest(batch_id="b", changes=[]))
    assert len(script.requests) == 2


def test_enrol_is_never_repeated():
    def drop(handler):
        drop_connection(handler)

    script = Scripted([drop, json_reply(200, {})])
    with serve(script) as url:
        with pytest.raises(HubUnreachable):
            HubClient(url, **FAST).enrol("ABCD-EFGH")
    assert len(script.requests) == 1


@pytest.mark.parametrize(
    ("status", "body", "error", "start"),
    [
        (401, {"code": "device_revoked", "message": "This device was revoked."}, DeviceRevoked,
         "This laptop can no longer sync"),
        (401, {"code": "invalid_token", "message": "Unknown token."}, NotEnrolled,
         "The hub does not recognise this laptop any more"),
        (426, {"code": "upgrade_required", "message": "Needs protocol 2."}, UpgradeRequired,
         "This version of Champions is too old for your hub"),
        (410, {"code": "code_expired", "message": "This invite code has expired."}, EnrolmentRefused,
         "This invite code has expired."),
        (500, {"code": "internal_error", "message": "oops"}, ServerRejected,
         "The hub is busy or had a problem (error 500)"),
        (400, {"code": "bad_request", "message": "The since parameter must be a number."}, ServerRejected,
         "The since parameter must be a number."),
    ],
)
def test_hub_error_answers_become_plain_champions_errors(status, body, error, start):
    with serve(Scripted([json_reply(status, body)])) as url:
        with pytest.raises(error) as info:
            HubClient(url, "t", retries=0, **FAST).pull(0)
    assert str(info.value).startswith(start)
    assert isinstance(info.value, SyncError)


def test_a_captive_portal_redirect_is_explained():
    script = Scripted([(302, {"Location": "http://portal.example/login"}, b"")])
    with serve(script) as url:
        with pytest.raises(HubUnreachable) as info:
            HubClient(url, "t", retries=0, **FAST).pull(0)
    assert str(info.value).startswith("The network sent Champions to a different page instead of the hub.")
    assert len(script.requests) == 1  # never followed: the token must not go to another site


def test_a_garbled_answer_is_server_rejected_not_a_parse_error():
    with serve(Scripted([(200, {"Content-Type": "application/json"}, b"<html>captive portal</html>")])) as url:
        with pytest.raises(ServerRejected, match="does not understand"):
            HubClient(url, "t", retries=0, **FAST).health()


def test_no_token_is_not_enrolled_without_any_network():
    with pytest.raises(NotEnrolled):
        HubClient(f"http://127.0.0.1:{closed_port()}").me()


def test_hub_addresses_are_normalised_and_bad_ones_explained():
    assert normalise_hub_url(" hub.example.org/ ") == "https://hub.example.org"
    with pytest.raises(HubUnreachable, match="is not a web address"):
        normalise_hub_url("ftp://x")


def test_a_pull_page_reads_the_same_as_the_protocol_model_and_a_bad_one_is_still_refused():
    page = {"changes": [{"seq": 7, "kind": "conversation", "id": "r1", "rev": 2, "record": {"notes": "ü", "n": [1]}},
                        {"seq": 9, "kind": "barrier", "id": "r2", "rev": 1, "record": {}}],
            "next_cursor": 9, "has_more": True}
    with serve(Scripted([json_reply(200, page)])) as url:
        fast = HubClient(url, "t", retries=0, **FAST).pull(0)
    assert fast == p.PullResponse.model_validate(page)
    bad = dict(page, changes=[dict(page["changes"][0], kind="secret_kind")])
    missing = {"changes": [], "has_more": False}
    for body in (bad, missing, dict(page, changes=[dict(page["changes"][0], rev=None)])):
        with serve(Scripted([json_reply(200, body)])) as url:
            with pytest.raises(ServerRejected, match="does not understand"):
                HubClient(url, "t", retries=0, **FAST).pull(0)


def test_a_hub_that_never_answers_is_said_to_be_slow_not_unreachable():
    """Read timeouts reach us wrapped in MaxRetryError once the retries run out; still a timeout."""
    import socket
    import threading

    server = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            held.append(conn)  # reads nothing, answers nothing

    threading.Thread(target=accept, daemon=True).start()
    try:
        client = HubClient(f"http://127.0.0.1:{server.getsockname()[1]}", "t", retries=1,
                           timeout=(2.0, 0.3), backoff=0.01)
        with pytest.raises(HubUnreachable) as info:
            client.health()  # a GET: retried, then given up
        assert str(info.value).startswith("The hub did not answer in time"), str(info.value)
        assert len(held) == 2  # the first try and the retry
        with pytest.raises(HubUnreachable) as info:
            client.enrol("ABCD-EFGH")  # never retried: requests' own ReadTimeout
        assert str(info.value).startswith("The hub did not answer in time"), str(info.value)
    finally:
        server.close()
        for conn in held:
            conn.close()
    with pytest.raises(HubUnreachable) as info:  # a closed port is still "cannot reach"
        HubClient(f"http://127.0.0.1:{closed_port()}", "t", retries=1, **FAST).health()
    assert str(info.value).startswith("Champions cannot reach the hub right now")
