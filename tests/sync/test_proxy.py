"""Sync through a company's proxy, on real sockets: the ``proxy`` setting is really used, and TLS is
still verified end to end through it (a blind CONNECT tunnel, and a TLS-inspecting proxy)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from champions.store import Store
from champions.sync.engine import SyncEngine
from champions.sync.enrolment import current_identity, enrol
from champions.sync.errors import TLSProblem
from tests.e2e.conftest import hub  # noqa: F401 - the real hub in a subprocess
from tests.e2e.test_sync_flow import hub_records

from .netutil import ForwardProxy, self_signed_cert, tls_front


def it_settings(**values: str) -> None:
    """Write the settings IT would put in the system file (here: the test's own)."""
    path = Path(os.environ["CHAMPIONS_SYSTEM_CONFIG"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f'{key} = "{value}"\n' for key, value in values.items()))


def certificate(folder: Path) -> tuple[Path, Path]:
    folder.mkdir()
    return self_signed_cert(folder)


def enrol_and_sync(tmp_path: Path, hub, hub_url: str, name: str) -> tuple[Store, SyncEngine, list[str]]:  # noqa: F811
    """Enrol and sync with the app's own client (it reads the proxy and CA bundle from the settings)."""
    store = Store.open(tmp_path / f"{name}.db", None)
    enrol(store, hub_url, hub.cli.invite(hub.org_id, name))
    from champions.domain.samples import SampleGenerator

    saved = [store.conversations.save(r).id for r in SampleGenerator(seed=3, reference=store.reference).conversations(3)]
    engine = SyncEngine(store)
    report = engine.run_once()
    assert report.accepted == 3 and store.unsynced_count() == 0
    return store, engine, saved


def test_plain_http_goes_through_the_proxy_in_the_settings(hub, tmp_path, memory_keyring):  # noqa: F811
    with ForwardProxy() as proxy:
        it_settings(proxy=proxy.url)
        store, engine, saved = enrol_and_sync(tmp_path, hub, hub.url, "amina")
        engine.close()
        store.close()
    assert set(saved) <= set(hub_records(hub))
    lines = [line.replace(hub.url, "HUB") for line in proxy.requests]
    assert "POST HUB/v1/enrol" in lines
    assert "POST HUB/v1/push" in lines
    assert any(line.startswith("GET HUB/v1/pull?since=") for line in lines)
    assert all(line.startswith(("GET HUB/", "POST HUB/")) for line in lines), lines  # nothing went round it


def test_https_goes_through_a_connect_tunnel_and_the_hub_certificate_is_checked(hub, tmp_path, memory_keyring):  # noqa: F811
    hub_cert = certificate(tmp_path / "hub-cert")
    with tls_front(hub.running.port, hub_cert) as https_url, ForwardProxy() as proxy:
        # Not trusted yet: the tunnel reaches the hub, and the client refuses its certificate.
        it_settings(proxy=proxy.url)
        refused = Store.open(tmp_path / "refused.db", None)
        with pytest.raises(TLSProblem):
            enrol(refused, https_url, hub.cli.invite(hub.org_id, "Bilal"))
        assert current_identity(refused) is None and not memory_keyring.secrets
        refused.close()
        assert proxy.requests == [f"CONNECT {https_url.removeprefix('https://')}"]

        # IT adds the hub's CA as the CA bundle: enrol and sync work, through the proxy.
        it_settings(proxy=proxy.url, ca_bundle=str(hub_cert[0]))
        store, engine, saved = enrol_and_sync(tmp_path, hub, https_url, "amina")
        engine.close()
        store.close()
    assert set(saved) <= set(hub_records(hub))
    assert set(proxy.requests) == {f"CONNECT {https_url.removeprefix('https://')}"}  # only ever tunnels
    assert len(proxy.requests) >= 2
    [token] = memory_keyring.secrets.values()
    carried = b"".join(proxy.tunnelled)
    assert len(carried) > 1000
    assert token.encode() not in carried and b"/v1/push" not in carried  # the proxy saw only ciphertext


def test_a_tls_inspecting_proxy_is_refused_until_its_certificate_is_the_ca_bundle(hub, tmp_path, memory_keyring):  # noqa: F811
    hub_cert = certificate(tmp_path / "hub-cert")
    proxy_cert = certificate(tmp_path / "proxy-cert")
    with tls_front(hub.running.port, hub_cert) as https_url, \
            ForwardProxy(inspect=proxy_cert, upstream_ca=hub_cert[0]) as proxy:
        # Trusting the hub's certificate is not enough: the proxy shows its own (the "UnknownIssuer" case).
        it_settings(proxy=proxy.url, ca_bundle=str(hub_cert[0]))
        refused = Store.open(tmp_path / "refused.db", None)
        with pytest.raises(TLSProblem) as info:
            enrol(refused, https_url, hub.cli.invite(hub.org_id, "Bilal"))
        assert "TLS-inspecting proxy" in str(info.value) and "CA bundle" in str(info.value)
        refused.close()
        assert proxy.inspected == []  # nothing was sent to a certificate we do not trust

        # IT puts the proxy's certificate in the CA bundle, as the plain-words message says.
        it_settings(proxy=proxy.url, ca_bundle=str(proxy_cert[0]))
        store, engine, saved = enrol_and_sync(tmp_path, hub, https_url, "amina")
        engine.close()
        store.close()
    assert set(saved) <= set(hub_records(hub))
    seen = b"".join(proxy.inspected)
    assert b"POST /v1/push" in seen and b"GET /v1/pull" in seen  # it did inspect, and the client allowed it
