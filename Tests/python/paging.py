"""Helpers for the paging black-box tests (crash, storm): set-up through the API, events over
keep-alive connections, and reads of what the console provider "delivered"."""
import http.client
import json
import re
import sqlite3
import time
from contextlib import closing


class ApiError(AssertionError):
    pass


class Api:
    """The admin API of one running `Server`."""

    def __init__(self, server, token):
        self.server = server
        self.token = token

    def call(self, method, path, body=None, expect=None):
        status, _, data = self.server.request(method, path, body=body, token=self.token)
        if expect is not None and status != expect:
            raise ApiError(f"{method} {path} answered {status}, expected {expect}: {data}")
        return data

    def user(self, name):
        email = re.sub(r"[^a-z0-9]+", ".", name.lower()) + "@example.com"
        return self.call("POST", "/api/v1/users", {"name": name, "email": email, "timeZone": "UTC", "role": "responder"}, 201)["id"]

    def contact_method(self, user_id, kind, address, name=None):
        """Creates a contact method and verifies it with the code the console provider delivered."""
        cm = self.call("POST", f"/api/v1/users/{user_id}/contact-methods",
                       {"type": kind, "name": name or kind, "address": address}, 201)
        assert cm["verified"] is False
        self.call("POST", f"/api/v1/users/{user_id}/contact-methods/{cm['id']}/send-verification", None, 202)
        code = self.verification_code(user_id, cm["id"])
        verified = self.call("POST", f"/api/v1/users/{user_id}/contact-methods/{cm['id']}/verify", {"code": code}, 200)
        assert verified.get("verified") is True, verified
        return cm["id"]

    def verification_code(self, user_id, contact_method_id, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.console_messages(userId=user_id):
                if message.get("contactMethodId") == contact_method_id and message.get("kind") == "verification":
                    match = re.search(r"code:\s*(\d{6})", message["text"])
                    if match:
                        return match.group(1)
            time.sleep(0.02)
        raise ApiError(f"no verification code for {contact_method_id} reached the console")

    def rule(self, user_id, contact_method_id, delay_seconds=0):
        return self.call("POST", f"/api/v1/users/{user_id}/notification-rules",
                         {"contactMethodId": contact_method_id, "delaySeconds": delay_seconds}, 201)["id"]

    def paged_user(self, name, number, voice_number=None):
        """A user with a verified SMS method (and optionally a voice one), each used at once."""
        user_id = self.user(name)
        methods = {"sms": self.contact_method(user_id, "sms", number)}
        if voice_number:
            methods["voice"] = self.contact_method(user_id, "voice", voice_number)
        for cm in methods.values():
            self.rule(user_id, cm, 0)
        return user_id, methods

    def policy(self, name, steps, repeat_count=0):
        """steps: [(user ids, delay seconds)]."""
        body = {"name": name, "repeatCount": repeat_count,
                "steps": [{"targets": [{"kind": "user", "id": u} for u in users], "delaySeconds": delay} for users, delay in steps]}
        return self.call("POST", "/api/v1/escalation-policies", body, 201)["id"]

    def service(self, name, policy_id):
        return self.call("POST", "/api/v1/services", {"name": name, "escalationPolicyId": policy_id}, 201)["id"]

    def integration_key(self, service_id):
        return self.call("POST", f"/api/v1/services/{service_id}/integration-keys", {"name": "test", "format": "events-v2"}, 201)["secret"]

    def console_messages(self, **filters):
        """Every console delivery matching the filters, oldest first (follows `after`)."""
        items, after = [], None
        while True:
            query = dict(filters, limit=500)
            if after is not None:
                query["after"] = after
            path = "/api/v1/console/messages?" + "&".join(f"{k}={v}" for k, v in query.items())
            page = self.call("GET", path, expect=200)
            batch = page["items"] if isinstance(page, dict) else page
            items += batch
            if len(batch) < 500:
                return items
            after = batch[-1]["id"]

    def alerts(self, **filters):
        """Every alert matching the filters (follows the cursor)."""
        items, cursor = [], None
        while True:
            query = dict(filters, limit=500)
            if cursor:
                query["cursor"] = cursor
            page = self.call("GET", "/api/v1/alerts?" + "&".join(f"{k}={v}" for k, v in query.items()), expect=200)
            items += page["items"]
            cursor = page.get("nextCursor")
            if not cursor:
                return items


class EventSender:
    """POSTs Events v2 triggers on one keep-alive connection."""

    def __init__(self, port, secret, timeout=10):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        self.path = f"/api/v1/integrations/{secret}/events"

    def trigger(self, dedup_key, summary=None):
        """Returns (status, parsed body); raises OSError/HTTPException when the connection breaks."""
        body = json.dumps({"routing_key": "x", "event_action": "trigger", "dedup_key": dedup_key,
                           "payload": {"summary": summary or f"alert {dedup_key}", "severity": "critical", "source": "pytest"}})
        self.connection.request("POST", self.path, body=body, headers={"Content-Type": "application/json"})
        response = self.connection.getresponse()
        raw = response.read()
        return response.status, (json.loads(raw) if raw else None)

    def close(self):
        self.connection.close()


def query(database, sql, params=()):
    """Rows of a read-only query on the server's SQLite file (the server may be running: WAL)."""
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=10)) as db:
        db.row_factory = sqlite3.Row
        return [dict(row) for row in db.execute(sql, params)]


def wait_until(predicate, timeout, interval=0.1, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")
