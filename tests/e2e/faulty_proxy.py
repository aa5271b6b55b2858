"""A TCP proxy between the laptop and the hub that the test controls: the flaky network.

Each new connection gets a fate from the policy: pass (with added latency, and cut at a random
moment after a short life, wherever the transfer is), drop at once, reset part-way through the
request (the hub never sees it whole), or lose the response (the hub got and committed the
request, but the answer never arrives). Counts what it did.
"""

from __future__ import annotations

import random
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable

FATES = ("pass", "drop", "reset_request", "lose_response")


def _hard_close(sock: socket.socket) -> None:
    """Close with RST rather than FIN, as a dying middlebox does (and wake a thread blocked on it)."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.shutdown(socket.SHUT_RD)
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass


class FaultyProxy:
    def __init__(self, target_port: int, *, seed: int = 0, latency: tuple[float, float] = (0.0, 0.0)) -> None:
        self.lifetime: tuple[float, float] | None = None
        self.target_port = target_port
        self.rng = random.Random(seed)
        self.latency = latency
        self.policy: Callable[[random.Random], str] = lambda rng: "pass"
        self.counts: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._live: set[socket.socket] = set()  # both ends of every connection being passed on
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def flaky(self, drop: float = 1 / 3, reset: float = 0.1, lose: float = 0.1,
              lifetime: tuple[float, float] | None = (0.05, 0.5)) -> None:
        """From now on: drop, reset or lose these shares of new connections; cut the rest after ``lifetime`` s."""
        self.lifetime = lifetime
        def policy(rng: random.Random) -> str:
            x = rng.random()
            if x < drop:
                return "drop"
            if x < drop + reset:
                return "reset_request"
            if x < drop + reset + lose:
                return "lose_response"
            return "pass"

        self.policy = policy

    def line_down(self) -> None:
        """The line goes down: every new connection dropped, and those open now (a client's kept-alive
        connection to the hub, say) cut as well, as when a laptop loses its network."""
        self.policy = lambda rng: "drop"
        with self._lock:
            live, self._live = list(self._live), set()
        for sock in live:
            _hard_close(sock)

    def close(self) -> None:
        self._stop.set()
        self._server.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            with self._lock:
                fate = self.policy(self.rng)
                self.counts[fate] += 1
            threading.Thread(target=self._serve, args=(client, fate), daemon=True).start()

    def _delay(self) -> None:
        low, high = self.latency
        if high:
            time.sleep(random.uniform(low, high))

    def _serve(self, client: socket.socket, fate: str) -> None:
        if fate == "drop":
            _hard_close(client)
            return
        try:
            upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=30)
        except OSError:
            _hard_close(client)
            return
        if fate == "reset_request":
            try:
                client.settimeout(5)
                data = client.recv(65536)
                upstream.sendall(data[: max(1, len(data) // 2)])  # half a request, then the line dies
            except OSError:
                pass
            _hard_close(client)
            _hard_close(upstream)
            return
        with self._lock:
            self._live.update((client, upstream))
        done = threading.Event()
        if fate == "pass" and self.lifetime:
            def cut() -> None:
                if not done.is_set():
                    with self._lock:
                        self.counts["cut"] += 1
                    done.set()
                    _hard_close(client)
                    _hard_close(upstream)

            timer = threading.Timer(self.rng.uniform(*self.lifetime), cut)
            timer.daemon = True
            timer.start()

        def pump(src: socket.socket, dst: socket.socket, to_client: bool) -> None:
            try:
                while not done.is_set():
                    data = src.recv(65536)
                    if not data:
                        break
                    self._delay()
                    if to_client and fate == "lose_response":
                        with self._lock:
                            self.counts["responses_lost"] += 1
                        break  # the hub answered (so it committed); the answer is lost
                    dst.sendall(data)
            except OSError:
                pass
            finally:
                done.set()
                with self._lock:
                    self._live.difference_update((client, upstream))
                _hard_close(client)
                _hard_close(upstream)

        threading.Thread(target=pump, args=(client, upstream, False), daemon=True).start()
        pump(upstream, client, True)
