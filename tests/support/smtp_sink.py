"""A real SMTP server for tests (driven by tests/support/smtp_sink.h).

Listens on 127.0.0.1, on --port or a free port bound here (no race), and prints "PORT <n>" on
stdout once it accepts connections. Each accepted message is written atomically as <dir>/<n>.eml
(n = 1, 2, ... continuing across restarts on the same dir); <dir>/sink.log gets one line per
event:
    connect <host>:<port>
    message <n> from=<addr> to=<addr>[,<addr>...]
    reply <RCPT|DATA> <code>
Exits when stdin reaches EOF (the test process died) or on SIGTERM.

Needs aiosmtpd: run it with Debian's /usr/bin/python3 (python3-aiosmtpd).
"""

import argparse
import asyncio
import logging
import os
import socket
import ssl
import subprocess
import sys
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

DEFAULT_TEXT = {
    "4": "4.3.0 Temporary failure (test sink)",
    "5": "5.1.1 Rejected by test sink",
}


def reply_line(value):
    """'550' -> '550 5.1.1 Rejected by test sink'; a full reply line is kept as it is."""
    if value is None:
        return None
    value = value.strip()
    if len(value) == 3 and value.isdigit():
        return f"{value} {DEFAULT_TEXT.get(value[0], 'Reply from test sink')}"
    return value


class Sink:
    def __init__(self, directory, rcpt_reply, data_reply):
        self.dir = directory
        self.rcpt_reply = rcpt_reply
        self.data_reply = data_reply
        self.log_file = open(os.path.join(directory, "sink.log"), "a", encoding="utf-8")
        self.count = sum(1 for f in os.listdir(directory) if f.endswith(".eml"))

    def log(self, line):
        self.log_file.write(line + "\n")
        self.log_file.flush()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_reply:
            self.log(f"reply RCPT {self.rcpt_reply[:3]}")
            return self.rcpt_reply.replace("{address}", address)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_reply:
            self.log(f"reply DATA {self.data_reply[:3]}")
            return self.data_reply
        self.count += 1
        name = os.path.join(self.dir, f"{self.count}.eml")
        temp = os.path.join(self.dir, f".{self.count}.eml.tmp")
        with open(temp, "wb") as f:
            f.write(envelope.original_content)
        os.replace(temp, name)
        self.log(f"message {self.count} from={envelope.mail_from} to={','.join(envelope.rcpt_tos)}")
        return f"250 2.0.0 Accepted as message {self.count}"


def make_smtp_class(sink):
    class LoggingSMTP(SMTP):
        def connection_made(self, transport):
            is_new = self._original_transport is None  # not the STARTTLS upgrade of one
            super().connection_made(transport)
            if is_new:
                host, port = transport.get_extra_info("peername")[:2]
                sink.log(f"connect {host}:{port}")

    return LoggingSMTP


def make_tls_context(directory):
    """A self-signed certificate for CN=localhost, made with the openssl command."""
    cert = os.path.join(directory, "sink-cert.pem")
    key = os.path.join(directory, "sink-key.pem")
    if not os.path.exists(cert):
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
             "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert,
             "-days", "2", "-subj", "/CN=localhost"],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def make_authenticator(credentials):
    user, _, password = credentials.partition(":")

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login == user.encode()
              and auth_data.password == password.encode())
        return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd replies 535

    return authenticate


async def serve(args):
    sink = Sink(args.dir, reply_line(args.rcpt_reply), reply_line(args.data_reply))
    smtp_class = make_smtp_class(sink)
    kwargs = {"hostname": "sink.test", "ident": "vouch test sink"}
    if args.auth:
        kwargs.update(authenticator=make_authenticator(args.auth), auth_required=True,
                      auth_require_tls=bool(args.starttls))
    if args.starttls:
        kwargs.update(tls_context=make_tls_context(args.dir), require_starttls=True)

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", args.port))
    sock.listen(64)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: smtp_class(sink, **kwargs), sock=sock)

    done = loop.create_future()

    def on_stdin():
        if not os.read(sys.stdin.fileno(), 4096) and not done.done():
            done.set_result(None)

    loop.add_reader(sys.stdin.fileno(), on_stdin)
    print(f"PORT {sock.getsockname()[1]}", flush=True)
    # The reader of stdout goes away after the port line; later prints must not hit a closed pipe.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    async with server:
        await done


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", required=True, help="where messages and sink.log go")
    parser.add_argument("--port", type=int, default=0, help="0: pick a free port")
    parser.add_argument("--rcpt-reply", help="answer RCPT TO with this code or line, e.g. 550 "
                        "({address} in a line: the recipient, as real servers echo it)")
    parser.add_argument("--data-reply", help="answer the end of DATA with this code or line")
    parser.add_argument("--auth", help="user:pass; require AUTH (PLAIN or LOGIN)")
    parser.add_argument("--starttls", action="store_true",
                        help="offer and require STARTTLS with a self-signed cert")
    args = parser.parse_args()
    warnings.simplefilter("ignore")  # aiosmtpd warns about AUTH without TLS
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    asyncio.run(serve(args))


if __name__ == "__main__":
    main()
