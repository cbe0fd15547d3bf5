"""Helpers shared by the end-to-end tests: free ports, polling, and the SMTP sink process."""

import os
import re
import select
import signal
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SINK_SCRIPT = os.path.normpath(os.path.join(HERE, "..", "support", "smtp_sink.py"))
# The sink needs aiosmtpd, which Debian installs for its own Python (python3-aiosmtpd).
DEBIAN_PYTHON = "/usr/bin/python3"


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(what, condition, timeout, interval=0.05):
    """Polls `condition` until it returns a true value (returned) or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out after %.0f s waiting for %s" % (timeout, what))
        time.sleep(interval)


def start_sink(maildir, cwd, timeout=20, extra=()):
    """Starts tests/support/smtp_sink.py writing each message into `maildir` (`extra`: more of its
    arguments, e.g. ("--rcpt-reply", "550")).

    Returns (process, port) once the sink printed "PORT n"; raises AssertionError with its stderr
    when it does not start within `timeout` seconds. The caller stops the process.
    """
    python = DEBIAN_PYTHON if os.path.exists(DEBIAN_PYTHON) else sys.executable
    p = subprocess.Popen([python, SINK_SCRIPT, "--dir", maildir, *extra], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd)
    deadline = time.monotonic() + timeout
    line = b""
    while time.monotonic() < deadline and not line.endswith(b"\n"):
        ready, _, _ = select.select([p.stdout], [], [], 0.1)
        if ready:
            chunk = os.read(p.stdout.fileno(), 256)
            if not chunk:
                break
            line += chunk
    m = re.match(rb"PORT (\d+)", line)
    if not m:
        p.kill()
        raise AssertionError("SMTP sink did not start (%r): %s"
                             % (line, p.stderr.read().decode(errors="replace")))
    return p, int(m.group(1))


def stop_processes(procs, grace):
    """Stops every child, newest first: SIGTERM (a node finishes in-flight work), then SIGKILL
    after `grace` seconds; closes their pipes."""
    for p in reversed(procs):
        if p.poll() is None:
            try:
                p.send_signal(signal.SIGTERM)
                p.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(timeout=grace)
        for stream in (p.stdin, p.stdout, p.stderr):
            if stream:
                stream.close()
