"""An SMTP server for the Swift mail tests (Tests/GatewaysTests/MailGatewayTests.swift).

Listens on 127.0.0.1, an ephemeral port (printed as "PORT <n>" on stdout), in one of three modes:
plain, starttls (STARTTLS required before MAIL) or smtps (TLS from the first byte). Every accepted
message is parsed by Python's own email package, an independent judge of what the Swift side
rendered, and written to DIR/<n>.json before the server answers 250. Recipients whose local part
is "unknown" get 550, "busy" gets 451.
"""
import argparse
import asyncio
import base64
import email
import email.policy
import json
import os
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Sink:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0]
        if local == "unknown":
            return "550 5.1.1 No such user here"
        if local == "busy":
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        parts = []
        for part in message.walk():
            if part.is_multipart():
                continue
            parts.append({
                "contentType": part.get_content_type(),
                "charset": part.get_content_charset(),
                "transferEncoding": part.get("Content-Transfer-Encoding"),
                "content": part.get_content(),
            })
        lines = raw.split(b"\r\n")
        record = {
            "mailFrom": envelope.mail_from,
            "rcptTos": envelope.rcpt_tos,
            "tls": session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None,
            "authenticated": bool(session.authenticated),
            "login": session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None,
            "headers": {name: str(value) for name, value in message.items()},
            "rawSubject": email.message_from_bytes(raw, policy=email.policy.compat32).get("Subject"),
            "contentType": message.get_content_type(),
            "parts": parts,
            "defects": [str(d) for d in message.defects] + [str(d) for p in message.walk() for d in p.defects],
            "longestLine": max(len(line) for line in lines),
            "bareLineFeeds": raw.replace(b"\r\n", b"").count(b"\n"),
            "raw": base64.b64encode(raw).decode(),
        }
        self.count += 1
        path = os.path.join(self.directory, f"{self.count}.json")
        with open(path + ".tmp", "w") as out:
            json.dump(record, out)
        os.rename(path + ".tmp", path)
        return "250 2.0.0 Queued as sink-%d" % self.count


class Authenticator:
    def __init__(self, username, password):
        self.username = username.encode()
        self.password = password.encode()

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login == self.username and auth_data.password == self.password
        return AuthResult(success=ok, handled=False, auth_data=auth_data)


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--mode", choices=["plain", "starttls", "smtps"], default="plain")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--auth", help="user:password; AUTH then required before MAIL")
    args = parser.parse_args()

    context = None
    if args.mode != "plain":
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)
    authenticator = None
    if args.auth:
        user, password = args.auth.split(":", 1)
        authenticator = Authenticator(user, password)
    sink = Sink(args.dir)

    def factory():
        return SMTP(
            sink,
            hostname="sink.test",
            tls_context=context if args.mode == "starttls" else None,
            require_starttls=args.mode == "starttls",
            authenticator=authenticator,
            auth_required=authenticator is not None,
            # Plain-mode auth tests run on loopback without TLS.
            auth_require_tls=False,
        )

    loop = asyncio.get_running_loop()
    server = await loop.create_server(factory, "127.0.0.1", 0, ssl=context if args.mode == "smtps" else None)
    print("PORT", server.sockets[0].getsockname()[1], flush=True)
    # Stops when the test closes our stdin (or exits), so no sink outlives its test.
    await loop.run_in_executor(None, sys.stdin.read)
    server.close()


if __name__ == "__main__":
    asyncio.run(main())
