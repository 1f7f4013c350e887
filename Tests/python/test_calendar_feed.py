"""The iCalendar feeds, read by an independent RFC 5545 parser (the `icalendar` package).

The CRUD routes for schedules are built in parallel, so the data is written with sqlite3 in the
storage contract of migration 0002 (JSON bodies as the API writes them) before the server starts.
"""
import datetime as dt
import json
import sqlite3
import urllib.error
import urllib.parse
import urllib.request

import icalendar
import pytest

from conftest import Server, create_key, run_cli

UTC = dt.timezone.utc
PUBLIC_URL = "https://oncall.example.com"

# Names long and awkward enough to need escaping (, ; \) and folding (multi-byte characters).
USERS = {
    "alice": "Alice Ångström-Øvergård, Nachtschicht; Bereitschaft \\ Überwachung des Sicherheitsbetriebs",
    "bob": "Bob Brown",
    "carol": "Carol Chen",
    "dave": "Dave Diaz",
}


def seed(database):
    """A schedule in Europe/Oslo (so the range crosses DST changes): a daily rotation of three
    handing off at 09:00 local time, dave on weekdays 08:00–16:00, and a one-day override."""
    run_cli("migrate", "--database", str(database))
    now = int(dt.datetime.now(UTC).timestamp() * 1000)
    db = sqlite3.connect(database)
    with db:
        for uid, name in USERS.items():
            body = {"id": uid, "name": name, "email": f"{uid}@example.com", "timeZone": "Europe/Oslo", "role": "responder"}
            db.execute("INSERT INTO users (id, version, created_at, updated_at, email, body) VALUES (?, 1, ?, ?, ?, ?)",
                       (uid, now, now, body["email"], json.dumps(body)))
        rotation = {"id": "follow-the-sun", "name": "Follow the sun", "timeZone": "Europe/Oslo",
                    "participants": ["alice", "bob", "carol"], "shiftLength": {"count": 1, "unit": "days"},
                    "anchor": {"start": "2026-01-05T09:00", "participantIndex": 0}, "advanceMode": "byCalendar"}
        db.execute("INSERT INTO rotations (id, version, created_at, updated_at, body) VALUES (?, 1, ?, ?, ?)",
                   ("follow-the-sun", now, now, json.dumps(rotation)))
        for position, uid in enumerate(rotation["participants"]):
            db.execute("INSERT INTO rotation_participants (rotation_id, position, user_id) VALUES (?, ?, ?)",
                       ("follow-the-sun", position, uid))
        schedule = {"id": "oslo", "name": "Oslo SOC", "timeZone": "Europe/Oslo"}
        db.execute("INSERT INTO schedules (id, version, created_at, updated_at, body) VALUES (?, 1, ?, ?, ?)",
                   ("oslo", now, now, json.dumps(schedule)))
        weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday"]
        parts = [
            ("r-rotation", "rule", None, None, {"id": "r-rotation", "target": {"kind": "rotation", "id": "follow-the-sun"}, "windows": []}),
            ("r-dave", "rule", None, None, {"id": "r-dave", "target": {"kind": "user", "id": "dave"},
                                           "windows": [{"days": weekdays, "start": "08:00", "end": "16:00"}]}),
        ]
        start = dt.datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) + dt.timedelta(days=3)
        end = start + dt.timedelta(days=1)
        parts.append(("o-bob", "override", int(start.timestamp() * 1000), int(end.timestamp() * 1000),
                      {"id": "o-bob", "action": "replace", "removeUserId": "alice", "addUserId": "bob",
                       "start": start.strftime("%Y-%m-%dT%H:%M:%SZ"), "end": end.strftime("%Y-%m-%dT%H:%M:%SZ")}))
        for pid, kind, start_at, end_at, body in parts:
            db.execute("INSERT INTO schedule_parts (id, schedule_id, kind, version, created_at, updated_at, start_at, end_at, body) "
                       "VALUES (?, 'oslo', ?, 1, ?, ?, ?, ?, ?)", (pid, kind, now, now, start_at, end_at, json.dumps(body)))
    db.close()
    return start, end


@pytest.fixture
def seeded(database):
    override = seed(database)
    key = create_key(database)
    server = Server(database, extra_args=("--public-url", PUBLIC_URL))
    yield server, key, override
    server.stop()


def fetch(server, path):
    """Raw bytes of a GET, or the HTTP status for an error."""
    try:
        with urllib.request.urlopen(server.url + path, timeout=10) as response:
            return response.status, response.headers.get("Content-Type"), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type"), error.read()


def feed_path(server, key, subject):
    status, _, body = server.request("POST", f"/api/v1/{subject}/calendar-token", token=key)
    assert status == 200, body
    url = urllib.parse.urlsplit(body["url"])
    assert f"{url.scheme}://{url.netloc}" == PUBLIC_URL
    return f"{url.path}?{url.query}"


def feed_range():
    """The server's feed window: 30 days back to 180 ahead, in whole UTC days."""
    today = dt.datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return today - dt.timedelta(days=30), today + dt.timedelta(days=181)


def rfc3339(instant):
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")


def check_wire_format(raw):
    assert raw.endswith(b"\r\n")
    lines = raw[:-2].split(b"\r\n")
    assert all(b"\n" not in line and b"\r" not in line for line in lines), "bare CR or LF"
    assert max(len(line) for line in lines) <= 75, "a line longer than 75 octets"
    assert any(line.startswith(b" ") for line in lines), "expected at least one folded line"
    for line in lines:
        if line.startswith((b"DTSTART", b"DTEND", b"DTSTAMP")):
            assert line.endswith(b"Z") and b"TZID" not in line, line


def events_of(raw):
    calendar = icalendar.Calendar.from_ical(raw)
    events = []
    for event in calendar.walk("VEVENT"):
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert start.utcoffset() == dt.timedelta(0) and end.utcoffset() == dt.timedelta(0)
        events.append({"uid": str(event["UID"]), "start": start, "end": end, "summary": str(event["SUMMARY"])})
    return calendar, events


def parse_instant(text):
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_schedule_feed_parses_and_matches_the_shifts_endpoint(seeded):
    server, key, override = seeded
    path = feed_path(server, key, "schedules/oslo")
    status, kind, raw = fetch(server, path)
    assert status == 200 and kind == "text/calendar; charset=utf-8"
    check_wire_format(raw)
    calendar, events = events_of(raw)
    assert str(calendar["VERSION"]) == "2.0"

    start, end = feed_range()
    status, _, shifts = server.request("GET", f"/api/v1/schedules/oslo/shifts?from={rfc3339(start)}&to={rfc3339(end)}", token=key)
    assert status == 200
    expected = [(parse_instant(s["start"]), parse_instant(s["end"]), "On call: " + s["userName"]) for s in shifts["shifts"]]
    assert [(e["start"], e["end"], e["summary"]) for e in events] == expected
    assert len(events) > 200
    # Unescaped by the parser back to the stored name.
    assert any(e["summary"] == "On call: " + USERS["alice"] for e in events)
    # Handoffs at 09:00 Oslo time: 08:00Z in winter, 07:00Z in summer, never anything else
    # (except where the override, which is in UTC days, begins or ends).
    handoffs = {e["start"].time() for e in events
                if e["summary"] != "On call: Dave Diaz" and e["start"] != start and not override[0] <= e["start"] <= override[1]}
    assert handoffs and handoffs <= {dt.time(8, 0), dt.time(7, 0)}

    uids = [e["uid"] for e in events]
    assert len(set(uids)) == len(uids)
    _, _, again = fetch(server, path)
    assert [e["uid"] for e in events_of(again)[1]] == uids


def test_user_feed_matches_the_users_shifts(seeded):
    server, key, override = seeded
    path = feed_path(server, key, "users/dave")
    status, _, raw = fetch(server, path)
    assert status == 200
    _, events = events_of(raw)
    start, end = feed_range()
    status, _, shifts = server.request("GET", f"/api/v1/users/dave/shifts?from={rfc3339(start)}&to={rfc3339(end)}", token=key)
    assert status == 200
    expected = [(parse_instant(s["start"]), parse_instant(s["end"]), "On call: " + s["scheduleName"]) for s in shifts["shifts"]]
    assert [(e["start"], e["end"], e["summary"]) for e in events] == expected
    assert len(events) > 100 and all(e["start"].weekday() < 5 for e in events)


def test_rotated_and_wrong_tokens_get_404(seeded):
    server, key, override = seeded
    old = feed_path(server, key, "schedules/oslo")
    new = feed_path(server, key, "schedules/oslo")
    assert fetch(server, old)[0] == 404
    assert fetch(server, new)[0] == 200
    assert fetch(server, "/api/v1/schedules/oslo/calendar.ics")[0] == 404
    assert fetch(server, new.replace("oslo", "elsewhere"))[0] == 404
    assert not any("wkcal_" in line for line in server.log), "a feed token reached the log"
