"""Small real network pieces for sync tests: a self-signed TLS server, a scripted HTTP server,
a forward proxy (plain, CONNECT and TLS-inspecting) and a TLS front for the real hub.

These stand in for the network (a misconfigured proxy, an overloaded hub), not for our own code.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import select
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

HEALTH = {"status": "ok", "protocol_version": 1, "min_protocol_version": 1, "database": "sqlite"}


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def self_signed_cert(folder: Path) -> tuple[Path, Path]:
    """A CA-less, self-signed certificate for 127.0.0.1 and localhost (cert.pem, key.pem)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Champions test hub")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(
            [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


Reply = tuple[int, dict[str, str], bytes]


class Scripted:
    """Answers requests from a queue of replies (the last one repeats); records what it got."""

    def __init__(self, replies: list[Reply | Callable[[BaseHTTPRequestHandler], Reply | None]]) -> None:
        self.replies = replies
        self.requests: list[tuple[str, str, dict[str, str], bytes]] = []

    def next(self) -> Reply | Callable:
        return self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]


def drop_connection(handler: BaseHTTPRequestHandler) -> None:
    """Hang up without answering, as a flaky network or a dying proxy does."""
    handler.close_connection = True
    try:
        handler.connection.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def json_reply(status: int, body: dict, **headers: str) -> Reply:
    return status, {"Content-Type": "application/json", **headers}, json.dumps(body).encode()


@contextmanager
def serve(script: Scripted, tls: tuple[Path, Path] | None = None) -> Iterator[str]:
    """Run a scripted server on 127.0.0.1; yields its base URL."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            script.requests.append((self.command, self.path, dict(self.headers), body))
            reply = script.next()
            if callable(reply):
                reply = reply(self)
                if reply is None:
                    return
            status, headers, payload = reply
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = _handle

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    scheme = "http"
    if tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(*map(str, tls))
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
        scheme = "https"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"{scheme}://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _pipe(src: socket.socket, dst: socket.socket, seen: list[bytes] | None = None) -> None:
    """Copy bytes one way until either side closes (then close both, which ends the other pipe)."""
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            if seen is not None:
                seen.append(data)
            dst.sendall(data)
    except OSError:
        pass
    finally:
        _close(src, dst)


def _close(*sockets: socket.socket) -> None:
    """Shut down and close each (ending a relay's other direction, or a waiting ``recv``)."""
    for s in sockets:
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        s.close()


def _relay(a: socket.socket, b: socket.socket, seen_from_a: list[bytes] | None = None) -> None:
    """Copy bytes both ways on one thread, non-blocking, until either side closes; then close both.

    For TLS sockets: an ``ssl.SSLSocket`` must not be read on one thread while another writes
    to it (OpenSSL's SSL object is not thread-safe), which two ``_pipe`` threads would do. And a
    readable socket may hold no application data (a TLS 1.3 session ticket), so a blocking read
    could stall both directions: hence non-blocking reads, and bytes already decrypted but not
    yet read (``pending``) drained before waiting again, since ``select`` cannot see them."""
    peers = {a: b, b: a}
    for s in (a, b):
        s.setblocking(False)
    try:
        while True:
            ready = [s for s in (a, b) if isinstance(s, ssl.SSLSocket) and s.pending()]
            if not ready:
                ready, _, _ = select.select([a, b], [], [], 60)
                if not ready:
                    return
            for src in ready:
                try:
                    data = src.recv(65536)
                except (ssl.SSLWantReadError, ssl.SSLWantWriteError, BlockingIOError):
                    continue
                if not data:
                    return
                if src is a and seen_from_a is not None:
                    seen_from_a.append(data)
                _send_all(peers[src], data)
    except OSError:
        pass
    finally:
        _close(a, b)


def _send_all(sock: socket.socket, data: bytes) -> None:
    """``sendall`` for a non-blocking (TLS) socket: wait until it can take more, then go on."""
    view = memoryview(data)
    while view:
        try:
            view = view[sock.send(view):]
        except (ssl.SSLWantWriteError, ssl.SSLWantReadError, BlockingIOError):
            if not any(select.select([sock], [sock], [], 60)[:2]):
                raise TimeoutError("the other side stopped reading") from None


def _read_head(conn: socket.socket) -> tuple[bytes, bytes]:
    """(the request or response head up to the blank line, whatever came after it)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            raise ConnectionError("closed before the head ended")
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    return head, rest


class ForwardProxy:
    """A small forward proxy on a real socket on 127.0.0.1, as a company network has.

    Plain ``http://`` requests arrive in absolute form (``GET http://hub/v1/pull HTTP/1.1``) and
    are forwarded one per connection (``Connection: close`` both ways); ``https://`` goes through
    ``CONNECT host:port`` as a blind tunnel. With ``inspect=(cert, key)`` it is a TLS-inspecting
    proxy instead: it answers CONNECT with its own certificate and talks TLS to the hub itself
    (trusting ``upstream_ca``), which only a client that trusts the proxy's certificate accepts.

    ``requests`` records each request line it got; ``tunnelled`` the raw bytes it carried from
    the client inside CONNECT tunnels (encrypted, unless inspecting).
    """

    def __init__(self, inspect: tuple[Path, Path] | None = None, upstream_ca: Path | None = None) -> None:
        self.requests: list[str] = []
        self.tunnelled: list[bytes] = []
        self.inspected: list[bytes] = []
        self._inspect = inspect
        self._upstream_ca = upstream_ca
        self._server = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._server.getsockname()[1]}"
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self) -> "ForwardProxy":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.close()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._server.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        try:
            head, rest = _read_head(conn)
            line, _, headers = head.partition(b"\r\n")
            method, target, version = line.decode("latin-1").split(" ", 2)
            self.requests.append(f"{method} {target}")
            if method == "CONNECT":
                host, port = target.rsplit(":", 1)
                upstream = socket.create_connection((host, int(port)), timeout=30)
                conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                if self._inspect:
                    self._inspect_tunnel(conn, upstream, host)
                    return
                threading.Thread(target=_pipe, args=(upstream, conn), daemon=True).start()
                if rest:
                    self.tunnelled.append(rest)
                    upstream.sendall(rest)
                _pipe(conn, upstream, self.tunnelled)
                return
            parts = urlsplit(target)
            if parts.scheme != "http" or not parts.hostname:
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                conn.close()
                return
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            kept = [h for h in headers.split(b"\r\n") if h and not h.lower().startswith((b"connection:", b"proxy-"))]
            upstream = socket.create_connection((parts.hostname, parts.port or 80), timeout=30)
            upstream.sendall(f"{method} {path} {version}\r\n".encode("latin-1")
                             + b"\r\n".join(kept + [b"Connection: close"]) + b"\r\n\r\n" + rest)
            threading.Thread(target=_pipe, args=(conn, upstream), daemon=True).start()
            answer_head, answer_rest = _read_head(upstream)
            answer = [h for h in answer_head.split(b"\r\n") if not h.lower().startswith(b"connection:")]
            conn.sendall(b"\r\n".join(answer + [b"Connection: close"]) + b"\r\n\r\n" + answer_rest)
            _pipe(upstream, conn)
        except (OSError, ValueError, ConnectionError):
            conn.close()

    def _inspect_tunnel(self, conn: socket.socket, upstream: socket.socket, host: str) -> None:
        """Terminate the client's TLS with our own certificate; open our own TLS to the hub."""
        assert self._inspect is not None
        server_side = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        server_side.load_cert_chain(*map(str, self._inspect))
        client_side = ssl.create_default_context(cafile=str(self._upstream_ca) if self._upstream_ca else None)
        try:
            inner = server_side.wrap_socket(conn, server_side=True)
        except (OSError, ssl.SSLError):
            conn.close()  # the client refused our certificate, as it should unless it trusts us
            upstream.close()
            return
        try:
            outer = client_side.wrap_socket(upstream, server_hostname=host)
        except (OSError, ssl.SSLError):
            inner.close()
            upstream.close()
            raise
        _relay(inner, outer, self.inspected)


@contextmanager
def tls_front(port: int, tls: tuple[Path, Path]) -> Iterator[str]:
    """HTTPS on 127.0.0.1 in front of a plain-HTTP server on ``port``, as a hub's reverse proxy
    (nginx, Caddy) terminates TLS; yields the https:// base URL."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(*map(str, tls))
    server = socket.create_server(("127.0.0.1", 0))

    def serve_one(raw: socket.socket) -> None:
        try:
            conn = ctx.wrap_socket(raw, server_side=True)
        except (OSError, ssl.SSLError):
            raw.close()  # a client that did not trust us hung up
            return
        upstream = socket.create_connection(("127.0.0.1", port), timeout=30)
        _relay(conn, upstream)

    def accept() -> None:
        while True:
            try:
                raw, _ = server.accept()
            except OSError:
                return
            threading.Thread(target=serve_one, args=(raw,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield f"https://127.0.0.1:{server.getsockname()[1]}"
    finally:
        server.close()
