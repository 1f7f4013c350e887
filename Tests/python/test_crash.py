"""Acceptance 2 of the paging engine: SIGKILL at random points during a burst of events with
pending escalations, 20 rounds on one database; then nothing acknowledged is lost, every due
step fired once and every page reached the console (duplicates only within the one-message
window of a crash)."""
import json
import os
import random
import signal
import threading
import time
from collections import Counter, defaultdict

from conftest import Server, create_key
from paging import Api, EventSender, query, wait_until

ROUNDS = 20
THREADS = 4
EVENTS_PER_THREAD = 25
STEP_DELAY = 2  # seconds between policy steps, so escalations are pending across restarts
STEPS = 3


def burst(server, secret, round_no, rng, received):
    """Fires events from THREADS threads until done or the server dies; records every 202."""
    plans = []
    for t in range(THREADS):
        keys = []
        for i in range(EVENTS_PER_THREAD):
            # every fifth event repeats an earlier key of the same thread: a dedup update
            keys.append(keys[rng.randrange(len(keys))] if i % 5 == 4 else f"r{round_no}-t{t}-e{i}")
        plans.append(keys)

    def run(keys):
        sender = EventSender(server.port, secret, timeout=5)
        try:
            for key in keys:
                try:
                    status, body = sender.trigger(key)
                except Exception:
                    return  # killed: whatever was in flight got no answer
                if 200 <= status < 300:
                    received.append((round_no, key, body["alertId"]))
                else:
                    received.append((round_no, key, f"status {status}: {body}"))
        finally:
            sender.close()

    threads = [threading.Thread(target=run, args=(keys,)) for keys in plans]
    for thread in threads:
        thread.start()
    return threads


def test_sigkill_during_bursts_loses_nothing(database):
    seed = int(os.environ.get("WATCHKEEPER_CRASH_SEED", "20261123"))
    print(f"crash test seed {seed} (set WATCHKEEPER_CRASH_SEED to repeat another)")
    rng = random.Random(seed)
    admin = create_key(database)
    received = []  # (round, dedup key, alert id) for every 2xx
    round_users = {}  # round → [user ids of steps 1..3]
    kills = 0
    started = time.monotonic()
    for round_no in range(ROUNDS):
        server = Server(database)
        threads = []
        try:
            api = Api(server, admin)
            # Each round its own service and three people, so pages of this round are not
            # throttled behind those of earlier rounds.
            users = [api.paged_user(f"Crash {round_no}-{s}", f"+1555{round_no:03d}{s:04d}")[0] for s in range(STEPS)]
            round_users[round_no] = users
            policy = api.policy(f"crash {round_no}", [([u], STEP_DELAY) for u in users])
            secret = api.integration_key(api.service(f"Crash {round_no}", policy))
            # Three rounds in four are killed inside the burst, after a random number of answers
            # (so on any machine speed); the others a moment after it, while the engine works.
            answers_before_kill = rng.randrange(1, THREADS * EVENTS_PER_THREAD) if rng.random() < 0.75 else None
            pause_after_burst = rng.uniform(0.0, 0.3)
            answered_before = len(received)
            threads = burst(server, secret, round_no, rng, received)
            if answers_before_kill is not None:
                deadline = time.monotonic() + 20
                while len(received) - answered_before < answers_before_kill and time.monotonic() < deadline:
                    time.sleep(0.001)
            else:
                for thread in threads:
                    thread.join(20)
                time.sleep(pause_after_burst)
        finally:
            server.process.send_signal(signal.SIGKILL)
            server.process.wait(10)
        kills += 1
        for thread in threads:
            thread.join(10)
    per_round = Counter(r[0] for r in received)
    print(f"{kills} kills, {len(received)} answers 2xx, {time.monotonic() - started:.1f} s; answers per round "
          f"(of {THREADS * EVENTS_PER_THREAD} sent unless killed first): {[per_round[r] for r in range(ROUNDS)]}")
    failures = [r for r in received if not r[2].startswith("alt_")]
    assert not failures, failures[:5]
    # The kills must land inside bursts, or the test proves little.
    assert sum(1 for r in range(ROUNDS) if per_round[r] < THREADS * EVENTS_PER_THREAD) >= ROUNDS // 4

    # The last restart: everything overdue fires at once; wait for the last steps to come due
    # and for the outbox to settle.
    server = Server(database)
    checked = {}
    try:
        def settled():
            pending = query(database, "SELECT count(*) AS n FROM alert_escalations WHERE next_step_at IS NOT NULL")[0]["n"]
            notifying = query(database, "SELECT count(*) AS n FROM alert_notifications WHERE state = 'pending'")[0]["n"]
            now_ms = int(time.time() * 1000)
            outbox = query(database, "SELECT count(*) AS n FROM messages WHERE state = 'sending' OR (state = 'queued' AND next_attempt_at <= ?)",
                           (now_ms,))[0]["n"]
            checked["ms"] = now_ms
            return pending == 0 and notifying == 0 and outbox == 0
        wait_until(settled, timeout=STEPS * STEP_DELAY + 20, what="escalations, rules and the outbox to settle")
        time.sleep(0.5)
    finally:
        assert server.stop() == 0
    verify(database, received, round_users, kills, checked["ms"])


def verify(database, received, round_users, kills, settled_ms):
    """The acceptance's invariants over the database of a stopped server."""
    # 1. Every event answered 2xx has its alert, under its dedup key.
    alerts = {row["id"]: row for row in query(database, "SELECT id, dedup_key, status FROM alerts")}
    for round_no, key, alert_id in received:
        assert alert_id in alerts, f"alert {alert_id} of {key} (round {round_no}) was answered 202 and is lost"
        assert alerts[alert_id]["dedup_key"] == key
    assert all(a["status"] == "triggered" for a in alerts.values())
    round_of = {alert_id: round_no for round_no, _, alert_id in received}
    # Alerts that committed but whose 202 was not read before the kill are checked like the others.
    for alert in alerts.values():
        round_of.setdefault(alert["id"], int(alert["dedup_key"].split("-")[0][1:]))

    # 2. Every due step fired exactly once (all are due now: the last alert is STEPS×delay old).
    escalated = defaultdict(Counter)
    for row in query(database, "SELECT alert_id, message FROM alert_timeline WHERE kind = 'escalated'"):
        if row["message"].startswith("escalated to step "):
            escalated[row["alert_id"]][row["message"].split(":")[0]] += 1
    for alert_id in alerts:
        expected = {f"escalated to step {s} of {STEPS}": 1 for s in range(1, STEPS + 1)}
        assert dict(escalated[alert_id]) == expected, f"{alert_id}: {dict(escalated[alert_id])}"

    # 3. One notification per (alert, user, rule), each turned into exactly one page in the
    #    outbox, and no page lost: sent, folded into a bundle, or waiting for the throttle.
    notifications = query(database, "SELECT alert_id, user_id, rule_id, state FROM alert_notifications")
    per_alert = defaultdict(set)
    for n in notifications:
        assert n["state"] == "queued", n
        per_alert[n["alert_id"]].add(n["user_id"])
    for alert_id in alerts:
        assert per_alert[alert_id] == set(round_users[round_of[alert_id]]), alert_id
    assert len(notifications) == len(alerts) * STEPS
    messages = {m["id"]: m for m in query(database, "SELECT id, alert_id, user_id, kind, state, bundle_id, next_attempt_at FROM messages")}
    pages = Counter((m["alert_id"], m["user_id"]) for m in messages.values() if m["kind"] == "alert" and m["alert_id"])
    for alert_id in alerts:
        for user_id in round_users[round_of[alert_id]]:
            assert pages[(alert_id, user_id)] == 1, f"{alert_id} → {user_id}: {pages[(alert_id, user_id)]} pages in the outbox"
    deliveries = query(database, "SELECT message_id, contact_method_id, alert_ids FROM console_messages WHERE kind = 'alert' ORDER BY id")
    delivered = Counter(d["message_id"] for d in deliveries)
    states = Counter(m["state"] for m in messages.values() if m["kind"] == "alert")
    print(f"{len(alerts)} alerts, outbox pages by state {dict(states)}, {len(deliveries)} console deliveries")
    for m in messages.values():
        if m["kind"] != "alert":
            continue
        assert m["state"] in ("sent", "bundled", "queued"), m
        if m["state"] == "sent":
            assert delivered[m["id"]] >= 1, f"{m['id']} is sent but never reached the console"
        elif m["state"] == "bundled":
            bundle = messages.get(m["bundle_id"])
            assert bundle and bundle["state"] in ("sent", "queued"), (m, bundle)
        else:  # held back by the throttle, due later: not overdue and forgotten
            assert m["next_attempt_at"] > settled_ms, m
    for d in deliveries:
        message = messages.get(d["message_id"])
        assert message, d
        if message["state"] == "bundled":
            # At a provider when the server was killed: put back in the queue at the restart and
            # folded into a later bundle, which was sent (the one-message crash window).
            assert messages[message["bundle_id"]]["state"] == "sent", (d, message)
        else:
            assert message["state"] == "sent", d
        for alert_id in json.loads(d["alert_ids"]):
            assert alert_id in alerts
    # A crash repeats at most the one message each contact method had at a provider (the claim
    # never puts a second message of a method at a provider before the first one's answer), alone
    # or folded into a bundle: a delivery repeating an alert already delivered to its contact
    # method is one duplicate message, whatever else it carries.
    seen = defaultdict(set)
    per_page = Counter()
    per_method = Counter()
    for d in deliveries:
        ids = json.loads(d["alert_ids"])
        if seen[d["contact_method_id"]] & set(ids):
            per_method[d["contact_method_id"]] += 1
        seen[d["contact_method_id"]] |= set(ids)
        for alert_id in ids:
            per_page[(alert_id, d["contact_method_id"])] += 1
    duplicates = sum(per_method.values())
    print(f"{duplicates} duplicate deliveries after {kills} kills, at most {max(per_method.values(), default=0)} on one contact method")
    assert all(n <= kills for n in per_method.values()), per_method
    assert all(n <= 1 + kills for n in per_page.values())
