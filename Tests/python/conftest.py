"""Black-box tests of the real `watchkeeper` binary: processes, sockets and SQLite files."""
import json
import os
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.request
import urllib.error
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = os.environ.get("WATCHKEEPER_BIN") or str(ROOT / ".build" / "debug" / "watchkeeper")


def run_cli(*args, env=None, check=True):
    """Runs a subcommand; returns the CompletedProcess."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("WATCHKEEPER_")}
    full_env.update(env or {})
    result = subprocess.run([BIN, *args], capture_output=True, text=True, env=full_env, timeout=60)
    if check and result.returncode != 0:
        raise AssertionError(f"{args} exited {result.returncode}: {result.stderr}")
    return result


class Server:
    """A `watchkeeper serve` process on an ephemeral port."""

    def __init__(self, database, extra_args=(), env=None):
        self.database = str(database)
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("WATCHKEEPER_")}
        full_env.update(env or {})
        args = [BIN, "serve", "--database", self.database, "--public-dir", str(ROOT / "Public")]
        listen_configured = "WATCHKEEPER_LISTEN" in full_env or "WATCHKEEPER_CONFIG" in full_env
        if not any(a == "--listen" for a in extra_args) and not listen_configured:
            args += ["--listen", "127.0.0.1:0"]
        self.process = subprocess.Popen([*args, *extra_args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=full_env)
        self.log = []
        self.port = None
        ready = threading.Event()

        def pump():
            for line in self.process.stderr:
                self.log.append(line)
                match = re.search(r"listening on \S+:(\d+)", line)
                if match and self.port is None:
                    self.port = int(match.group(1))
                    ready.set()
            ready.set()

        threading.Thread(target=pump, daemon=True).start()
        if not ready.wait(30) or self.port is None:
            self.process.kill()
            raise AssertionError("server did not start:\n" + "".join(self.log))

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def request(self, method, path, body=None, token=None, headers=None):
        """Returns (status, headers, parsed JSON or text)."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.headers, decode(response)
        except urllib.error.HTTPError as error:
            return error.code, error.headers, decode(error)

    def stop(self, sig=signal.SIGTERM, timeout=15):
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                raise
        return self.process.returncode


def decode(response):
    raw = response.read()
    kind = response.headers.get("Content-Type", "")
    return json.loads(raw) if "json" in kind and raw else raw.decode()


def raw_request(port, payload: bytes, timeout=5.0) -> bytes:
    """Sends bytes on a fresh connection and reads until the server closes or goes quiet."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(payload)
        chunks = []
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
                if b"\r\n\r\n" in b"".join(chunks) and b"Connection: close" not in b"".join(chunks):
                    sock.settimeout(0.5)
        except socket.timeout:
            pass
        return b"".join(chunks)


@pytest.fixture
def database(tmp_path):
    return tmp_path / "watchkeeper.db"


@pytest.fixture
def server(database):
    s = Server(database)
    yield s
    s.stop()


def create_key(database, role="admin", name="test"):
    result = run_cli("api-key", "create", "--name", name, "--role", role, "--database", str(database))
    return result.stdout.strip()
