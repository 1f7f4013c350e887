"""The `watchkeeper` command as an operator meets it."""
import hashlib
import json
import signal
import socket
import sqlite3
import subprocess
import threading
import time

import pytest
from openapi_spec_validator import validate
from prometheus_client.parser import text_string_to_metric_families

from conftest import BIN, Server, create_key, raw_request, run_cli


def test_health_readiness_and_console(server):
    status, _, body = server.request("GET", "/healthz")
    assert (status, body) == (200, {"status": "ok"})
    status, _, body = server.request("GET", "/readyz")
    assert (status, body) == (200, {"status": "ok"})
    status, headers, body = server.request("GET", "/")
    assert status == 200 and headers["Content-Type"].startswith("text/html") and "Watchkeeper" in body


def test_openapi_document_is_valid_openapi_3_1(server):
    status, _, document = server.request("GET", "/openapi.json")
    assert status == 200
    validate(document)  # raises on any violation of the OpenAPI 3.1 schema
    assert document["openapi"] == "3.1.0"
    assert "/api/v1/me" in document["paths"]
    assert document["paths"]["/api/v1/me"]["get"]["security"] == [{"bearerAuth": []}]


def test_metrics_parse_with_the_prometheus_client(server):
    server.request("GET", "/healthz")
    server.request("GET", "/nowhere")
    status, headers, text = server.request("GET", "/metrics")
    assert status == 200 and headers["Content-Type"].startswith("text/plain; version=0.0.4")
    families = {family.name: family for family in text_string_to_metric_families(text)}
    assert {"watchkeeper_http_requests", "watchkeeper_http_request_duration_seconds",
            "watchkeeper_http_open_connections", "watchkeeper_database_commit_duration_seconds"} <= set(families)
    routes = {sample.labels.get("route") for sample in families["watchkeeper_http_requests"].samples}
    assert "/healthz" in routes and "/nowhere" not in routes  # labelled by pattern, never by raw path
    open_connections = families["watchkeeper_http_open_connections"].samples[0].value
    assert open_connections >= 1


def test_api_key_is_printed_alone_and_stored_only_as_a_hash(database):
    result = run_cli("api-key", "create", "--name", "ops", "--role", "responder", "--database", str(database))
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith("wk_") and len(lines[0]) >= 40
    secret = lines[0]
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT name, role, key_hash FROM api_keys").fetchall()
        dump = "\n".join(db.iterdump())
    assert rows == [("ops", "responder", hashlib.sha256(secret.encode()).digest())]
    assert secret not in dump and secret[3:] not in dump


def test_api_key_create_rejects_bad_role(database):
    result = run_cli("api-key", "create", "--name", "x", "--role", "root", "--database", str(database), check=False)
    assert result.returncode != 0 and "--role" in result.stderr and result.stdout == ""


def test_bearer_authentication_and_roles(database):
    admin = create_key(database, "admin", "alice")
    viewer = create_key(database, "viewer", "dashboard")
    server = Server(database)
    try:
        status, headers, body = server.request("GET", "/api/v1/me")
        assert status == 401 and headers["Content-Type"] == "application/problem+json" and "WWW-Authenticate" in headers
        assert server.request("GET", "/api/v1/me", token="wk_forged")[0] == 401
        status, _, body = server.request("GET", "/api/v1/me", token=viewer)
        assert status == 200 and body["name"] == "dashboard" and body["role"] == "viewer"
        status, _, body = server.request("POST", "/api/v1/api-keys", body={"name": "x", "role": "viewer"}, token=viewer)
        assert status == 403 and body["status"] == 403
        status, _, body = server.request("POST", "/api/v1/api-keys", body={"name": "ci", "role": "responder"}, token=admin)
        assert status == 201 and body["secret"].startswith("wk_") and body["key"]["role"] == "responder"
        new_id = body["key"]["id"]
        assert server.request("GET", "/api/v1/me", token=body["secret"])[0] == 200
        assert server.request("DELETE", f"/api/v1/api-keys/{new_id}", token=admin)[0] == 204
        assert server.request("GET", "/api/v1/me", token=body["secret"])[0] == 401
    finally:
        server.stop()


def test_port_zero_without_public_url_gives_links_with_the_real_port(database):
    admin = create_key(database)
    server = Server(database)  # --listen 127.0.0.1:0, no --public-url
    try:
        status, _, service = server.request("POST", "/api/v1/services", body={"name": "links"}, token=admin)
        assert status == 201
        status, _, key = server.request("POST", f"/api/v1/services/{service['id']}/integration-keys",
                                        body={"name": "k", "format": "generic"}, token=admin)
        assert status == 201
        assert key["ingestURL"].startswith(f"http://127.0.0.1:{server.port}/api/v1/integrations/"), key["ingestURL"]
    finally:
        server.stop()


def test_bad_input_is_a_problem_naming_the_field_and_changes_nothing(database):
    admin = create_key(database)
    server = Server(database)
    try:
        status, headers, body = server.request("POST", "/api/v1/api-keys", body={"name": "x", "role": "king"}, token=admin)
        assert status == 400 and headers["Content-Type"] == "application/problem+json"
        assert body["errors"][0]["field"] == "role"
        status, _, body = server.request("POST", "/api/v1/api-keys", body={"role": "viewer"}, token=admin)
        assert status == 400 and body["errors"][0]["field"] == "name"
        _, _, listing = server.request("GET", "/api/v1/api-keys", token=admin)
        assert [k["name"] for k in listing["items"]] == ["test"]
    finally:
        server.stop()


def test_sigterm_stops_gracefully(database):
    server = Server(database)
    idle = socket.create_connection(("127.0.0.1", server.port))
    started = time.monotonic()
    assert server.stop(signal.SIGTERM) == 0
    assert time.monotonic() - started < 10
    idle.close()
    assert any("stopped" in line for line in server.log)


def test_sigint_stops_gracefully(database):
    server = Server(database)
    assert server.stop(signal.SIGINT) == 0


def test_migrate_applies_then_is_a_no_op(database):
    first = run_cli("migrate", "--database", str(database))
    assert "applied 1 api_keys" in first.stdout
    second = run_cli("migrate", "--database", str(database))
    assert "up to date" in second.stdout
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()[0] == (1,)


def test_server_refuses_to_start_when_a_migration_fails(database):
    with sqlite3.connect(database) as db:  # a table in the way makes migration 1 fail
        db.execute("CREATE TABLE api_keys (x INTEGER)")
    result = subprocess.run([BIN, "serve", "--listen", "127.0.0.1:0", "--database", str(database)],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert "migration failed" in result.stderr and "api_keys" in result.stderr
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT count(*) FROM schema_migrations").fetchone() == (0,)


def test_server_refuses_a_database_from_a_newer_version(database):
    run_cli("migrate", "--database", str(database))
    with sqlite3.connect(database) as db:
        db.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 0)")
    result = run_cli("serve", "--listen", "127.0.0.1:0", "--database", str(database), check=False)
    assert result.returncode == 1 and "newer" in result.stderr


def test_backup_of_a_live_database_is_consistent(database, tmp_path):
    admin = create_key(database)
    server = Server(database)
    stop = threading.Event()

    def writer():
        while not stop.is_set():
            server.request("POST", "/api/v1/api-keys", body={"name": "load", "role": "viewer"}, token=admin)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        time.sleep(0.3)
        copy = tmp_path / "copy.db"
        result = run_cli("backup", str(copy), "--database", str(database))
        assert "backed up" in result.stdout
        with sqlite3.connect(copy) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert db.execute("SELECT count(*) FROM api_keys").fetchone()[0] >= 1
        again = run_cli("backup", str(copy), "--database", str(database), check=False)
        assert again.returncode != 0  # never overwrites
    finally:
        stop.set()
        thread.join()
        server.stop()


def test_serve_help_documents_every_setting():
    help_text = run_cli("serve", "--help").stdout
    for flag, env in [("--listen", "WATCHKEEPER_LISTEN"), ("--database", "WATCHKEEPER_DATABASE"),
                      ("--public-url", "WATCHKEEPER_PUBLIC_URL"), ("--tls-cert", "WATCHKEEPER_TLS_CERT"),
                      ("--tls-key", "WATCHKEEPER_TLS_KEY"), ("--log-level", "WATCHKEEPER_LOG_LEVEL")]:
        assert flag in help_text and env in help_text, flag


def test_configuration_precedence_flag_then_environment_then_file(database, tmp_path):
    def free_port():
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]

    file_port, env_port, flag_port = free_port(), free_port(), free_port()
    config = tmp_path / "watchkeeper.json"
    config.write_text(json.dumps({"listen": f"127.0.0.1:{file_port}", "log-level": "debug"}))
    for env, args, expected in [
        ({"WATCHKEEPER_CONFIG": str(config)}, [], file_port),
        ({"WATCHKEEPER_CONFIG": str(config), "WATCHKEEPER_LISTEN": f"127.0.0.1:{env_port}"}, [], env_port),
        ({"WATCHKEEPER_CONFIG": str(config), "WATCHKEEPER_LISTEN": f"127.0.0.1:{env_port}"}, ["--listen", f"127.0.0.1:{flag_port}"], flag_port),
    ]:
        server = Server(database, extra_args=args, env=env)
        try:
            assert server.port == expected
        finally:
            server.stop()
    config.write_text(json.dumps({"listen": "127.0.0.1:1", "colour": "blue"}))
    result = run_cli("serve", "--config", str(config), "--database", str(database), check=False)
    assert result.returncode != 0 and "colour" in result.stderr


def test_static_files_cannot_escape_public(server):
    for target in ["/../README.md", "/%2e%2e/README.md", "/..%2fREADME.md", "/style.css/..%2f..%2fPackage.swift"]:
        response = raw_request(server.port, f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        assert response.split(b" ", 2)[1] in (b"400", b"404"), target
        assert b"swift-tools-version" not in response and b"# Watchkeeper" not in response
    status, headers, _ = server.request("GET", "/style.css")
    assert status == 200 and headers["Content-Type"].startswith("text/css") and headers["ETag"]
    status, _, _ = server.request("GET", "/style.css", headers={"If-None-Match": headers["ETag"]})
    assert status == 304


def test_integration_key_never_reaches_the_log(database):
    admin = create_key(database)
    server = Server(database)
    try:
        status, _, service = server.request("POST", "/api/v1/services", body={"name": "SOC Tier 1"}, token=admin)
        assert status == 201, service
        status, _, key = server.request("POST", f"/api/v1/services/{service['id']}/integration-keys",
                                        body={"name": "sentinel", "format": "events-v2"}, token=admin)
        assert status == 201, key
        secret = key["secret"]
        event = {"event_action": "trigger", "dedup_key": "inc-1", "payload": {"summary": "Brute force", "severity": "error", "source": "x"}}
        status, _, answer = server.request("POST", f"/api/v1/integrations/{secret}/events", body=event)
        assert status == 202 and answer["alertId"]
    finally:
        server.stop()
    log = "".join(server.log)
    assert "/api/v1/integrations/:key/events" in log
    assert secret not in log
