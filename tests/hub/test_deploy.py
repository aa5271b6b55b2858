"""The files in docs/deploy/ work as written: the systemd units verify, and the example nginx
configuration, run by a real nginx in front of a real hub, carries the app's sync over TLS
(the app's own client, trusting the test CA the way IT adds a CA bundle), lets 5 MB pushes
through to the hub's own answer, and sends HSTS. Each test needs its tool on the machine.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from champions.domain.samples import SampleGenerator
from champions.hub.testing import HubCli, free_port, fresh_database, run_hub
from champions.sync import protocol as p
from champions.sync.client import HubClient

from ..sync.netutil import self_signed_cert
from .conftest import change

DEPLOY = Path(__file__).resolve().parents[2] / "docs" / "deploy"
HUB_BIN = Path(sys.executable).with_name("champions-hub")


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")
def test_systemd_units_verify(tmp_path: Path) -> None:
    for name in ("champions-hub.service", "champions-hub-backup.service", "champions-hub-backup.timer"):
        text = (DEPLOY / name).read_text().replace("/opt/champions-hub/bin/champions-hub", str(HUB_BIN))
        (tmp_path / name).write_text(text)
    result = subprocess.run(["systemd-analyze", "verify", *map(str, sorted(tmp_path.iterdir()))],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr


def test_unit_runs_the_real_serve_flags() -> None:
    """The unit's ExecStart parses with the hub's own parser (a renamed flag would fail here)."""
    from champions.hub.cli import build_parser

    unit = (DEPLOY / "champions-hub.service").read_text()
    for line in re.findall(r"^ExecStart=(.+)$", unit, re.MULTILINE):
        argv = line.split()[1:]
        args = build_parser().parse_args(argv)
        assert args.command == "serve" and args.workers == 2 and args.host == "127.0.0.1"
    backup = re.search(r"^ExecStart=(.+)$", (DEPLOY / "champions-hub-backup.service").read_text(), re.MULTILINE)
    assert backup and build_parser().parse_args(backup.group(1).split()[1:]).command == "backup"


def _nginx_config(tmp_path: Path, hub_port: int) -> tuple[Path, int, Path]:
    """The example site, as IT would edit it: this host's name, certificate and ports."""
    cert, key = self_signed_cert(tmp_path)
    https, http = free_port(), free_port()
    site = (DEPLOY / "nginx-champions-hub.conf").read_text()
    site = (site.replace("hub.example.org", "localhost")
            .replace("/etc/letsencrypt/live/localhost/fullchain.pem", str(cert))
            .replace("/etc/letsencrypt/live/localhost/privkey.pem", str(key))
            .replace("127.0.0.1:8765", f"127.0.0.1:{hub_port}")
            .replace("/var/log/nginx/", f"{tmp_path}/")
            .replace("listen 443", f"listen 127.0.0.1:{https}").replace("listen [::]:443 ssl http2;", "")
            .replace("listen 80;", f"listen 127.0.0.1:{http};").replace("listen [::]:80;", ""))
    conf = tmp_path / "nginx.conf"
    conf.write_text(f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
                    f"http {{\n  access_log off;\n{site}\n}}\n")
    return conf, https, cert


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed")
def test_nginx_example_in_front_of_a_real_hub(tmp_path: Path) -> None:
    with fresh_database(tmp_path, "sqlite") as url:
        cli = HubCli(url)
        org_id = cli.create_org("Proxy VCS")
        code = cli.invite(org_id, "Amina")
        with run_hub(url, log=tmp_path / "hub.log") as hub:
            conf, port, ca = _nginx_config(tmp_path, hub.port)
            checked = subprocess.run(["nginx", "-t", "-p", str(tmp_path), "-c", str(conf)], capture_output=True, text=True)
            assert checked.returncode == 0, checked.stderr
            nginx = subprocess.Popen(["nginx", "-p", str(tmp_path), "-c", str(conf), "-g", "daemon off;"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                base = f"https://localhost:{port}"
                deadline = time.monotonic() + 30
                while True:
                    try:
                        health = requests.get(base + "/v1/health", verify=str(ca), timeout=5)
                        break
                    except requests.ConnectionError:
                        if time.monotonic() > deadline:
                            raise
                        time.sleep(0.1)
                assert health.status_code == 200
                assert health.headers["Strict-Transport-Security"].startswith("max-age=63072000")

                # The app's own client through the proxy, trusting the CA as IT's ca_bundle setting does.
                enrolled = HubClient(base, ca_bundle=ca).enrol(code, "Amina's laptop")
                client = HubClient(base, enrolled.token, ca_bundle=ca)
                talks = [change(t) for t in SampleGenerator(seed=5).conversations(50)]
                reply = client.push(p.PushRequest.model_validate({"batch_id": "through-nginx", "changes": talks}))
                assert {r.status for r in reply.results} == {"accepted"}
                assert {c.id for c in client.pull(0, 500).changes} >= {t["id"] for t in talks}

                # 5-6 MB reaches the hub, which answers in its own words; more is stopped by nginx.
                headers = {"Authorization": f"Bearer {enrolled.token}", "Content-Type": "application/json"}
                big = requests.post(base + "/v1/push", data=b" " * (5 * 1024 * 1024 + 10), headers=headers,
                                    verify=str(ca), timeout=60)
                assert big.status_code == 413 and big.json()["code"] == p.ERR_BATCH_TOO_LARGE
                huge = requests.post(base + "/v1/push", data=b" " * (7 * 1024 * 1024), headers=headers,
                                     verify=str(ca), timeout=60)
                assert huge.status_code == 413 and "nginx" in huge.text
                with pytest.raises(requests.exceptions.SSLError):
                    requests.get(base + "/v1/health", timeout=5)  # not trusted without the CA: checks stay on
            finally:
                nginx.terminate()
                nginx.wait(15)
        log = (tmp_path / "champions-hub.access.log").read_text()
        assert "/v1/push" in log and enrolled.token not in log


@pytest.mark.skipif(not shutil.which("caddy"), reason="caddy is not installed")
def test_caddyfile_validates() -> None:
    result = subprocess.run(["caddy", "validate", "--config", str(DEPLOY / "Caddyfile"), "--adapter", "caddyfile"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "Valid configuration" in result.stdout + result.stderr, result.stderr


def _guide_commands(program: str) -> list[list[str]]:
    """Every ``program ...`` line in a code block of docs/it-guide.md, split like a shell would."""
    import shlex

    text = (DEPLOY.parent / "it-guide.md").read_text(encoding="utf-8")
    found = []
    for block in re.findall(r"```[a-z]*\n(.*?)```", text, re.DOTALL):
        for line in block.splitlines():
            words = shlex.split(line.split(" #", 1)[0]) if not line.lstrip().startswith("#") else []
            while words and (words[0] == "$" or re.fullmatch(r"[A-Z_]+=\S*", words[0])):
                words = words[1:]  # a prompt, environment assignments
            if words[:2] == ["sudo", "-u"]:
                words = words[3:]
            if words and Path(words[0]).name in (program, f"{program}-console"):
                found.append(words[1:])
    return found


def test_every_command_in_the_it_guide_parses() -> None:
    """The guide's commands use the real flags (a renamed flag fails here, not on IT's server)."""
    from champions.cli import build_parser as app_parser
    from champions.hub.cli import build_parser as hub_parser

    hub, app = _guide_commands("champions-hub"), _guide_commands("champions")
    assert {c[0] for c in hub} >= {"devices", "revoke", "backup", "restore"} and len(app) >= 3
    for argv in hub:
        hub_parser().parse_args(argv)
    for argv in app:
        app_parser().parse_args(argv)
