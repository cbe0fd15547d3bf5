"""A real Kannel on loopback, for e2e.sms_kannel and bench/run's text-message dispatch.

bearerbox runs two fake SMSCs: "mt" takes every text sent and hands it to a long-lived fakesmsc,
the handset, whose log shows what arrived; "mo" carries the phones' replies (one fakesmsc per
reply, see reply_argv). smsbox offers the sendsms interface Vouch sends through, and forwards
replies to Vouch's /hooks/kannel. Every port is picked free on 127.0.0.1.
"""

import datetime
import os
import re
import socket
import subprocess
import zoneinfo

from e2e_support import free_port, wait_for

BEARERBOX = "/usr/sbin/bearerbox"
SMSBOX = "/usr/sbin/smsbox"
FAKESMSC = "/usr/lib/kannel/test/fakesmsc"
SENDER = "12345"
SECRET = "kannel-hook-secret-0123456789"

# Mobile numbers of regions Vouch knows one zone for: a number as a customer writes it in that
# country, its E.164 form, and the E.164 prefix that any `digits` more digits make a valid mobile.
NUMBERS = [
    ("GB", "Europe/London", "07400 123456", "+447400123456", "+447400", 6),
    ("DE", "Europe/Berlin", "0151 12345678", "+4915112345678", "+49151", 8),
    ("IN", "Asia/Kolkata", "098123 45678", "+919812345678", "+9198", 8),
    ("JP", "Asia/Tokyo", "090-1234-5678", "+819012345678", "+8190", 8),
    ("NZ", "Pacific/Auckland", "021 123 4567", "+64211234567", "+6421", 7),
]


def installed():
    return all(os.access(tool, os.X_OK) for tool in (BEARERBOX, SMSBOX, FAKESMSC))


def daytime_region(hours=(9.5, 20)):
    """The NUMBERS row of a region where the local time is within `hours` now, so quiet hours
    (21:00-09:00 at the customer) hold nothing up."""
    now = datetime.datetime.now(datetime.timezone.utc)
    for row in NUMBERS:
        local = now.astimezone(zoneinfo.ZoneInfo(row[1]))
        if hours[0] <= local.hour + local.minute / 60 < hours[1]:
            return row
    raise AssertionError("no region of the table is in daytime at %s" % now)


class Fakesmsc:
    """fakesmsc's output: 'Got message N: <from to text body>' per text it received."""

    def __init__(self, log):
        self.log = log

    def text(self):
        try:
            with open(self.log, encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def messages(self):
        return re.findall(r"Got message \d+: <(\S+) (\S+) text (.*)>\s*$", self.text(), re.M)

    def count(self):
        return len(re.findall(r"Got message \d+:", self.text()))


def wait_port(port, timeout=15):
    def up():
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            return False
    wait_for("port %d" % port, up, timeout)


class Kannel:
    """Kannel's configuration and processes. `spawn(argv, log_name, stdin)` starts a process
    (the caller owns and stops it) with its output in `tmp/log_name`; `public` is Vouch's base
    URL, where replies and delivery reports go."""

    def __init__(self, tmp, public, spawn):
        self.tmp, self.public, self.spawn = tmp, public, spawn
        self.admin_port, self.box_port = free_port(), free_port()
        self.mt_port, self.mo_port, self.sendsms_port = free_port(), free_port(), free_port()
        self.handset = Fakesmsc(os.path.join(tmp, "fakesmsc.log"))

    def sms_url(self):
        """VOUCH_SMS_URL for this gateway."""
        return "kannel://vouch:%s@127.0.0.1:%d" % (SECRET, self.sendsms_port)

    def start(self):
        get_url = "%s/hooks/kannel?secret=%s&from=%%p&to=%%P&text=%%a" % (self.public, SECRET)
        conf = """
group = core
admin-port = {admin}
admin-password = {secret}
admin-interface = 127.0.0.1
smsbox-port = {box}
box-allow-ip = 127.0.0.1
log-level = 1
dlr-storage = internal
sms-resend-freq = 1

group = smsc
smsc = fake
smsc-id = mt
port = {mt}
connect-allow-ip = 127.0.0.1

group = smsc
smsc = fake
smsc-id = mo
allowed-smsc-id = mo
port = {mo}
connect-allow-ip = 127.0.0.1

group = smsbox
bearerbox-host = 127.0.0.1
sendsms-port = {sendsms}
sendsms-interface = 127.0.0.1
global-sender = {sender}
log-level = 1

group = sendsms-user
username = vouch
password = {secret}
max-messages = 3
concatenation = true

group = sms-service
keyword = default
catch-all = true
get-url = "{get_url}"
max-messages = 1
concatenation = true
omit-empty = true
""".format(admin=self.admin_port, box=self.box_port, mt=self.mt_port, mo=self.mo_port,
           sendsms=self.sendsms_port, sender=SENDER, secret=SECRET, get_url=get_url)
        path = os.path.join(self.tmp, "kannel.conf")
        with open(path, "w") as f:
            f.write(conf)
        self.spawn([BEARERBOX, path], "bearerbox.log", subprocess.DEVNULL)
        wait_port(self.mt_port)
        # The handset: receives every text (stdin kept open: fakesmsc's interactive mode).
        self.spawn([FAKESMSC, "-H", "127.0.0.1", "-r", str(self.mt_port), "-m", "0"], "fakesmsc.log",
                   subprocess.PIPE)
        self.spawn([SMSBOX, path], "smsbox.log", subprocess.DEVNULL)
        wait_port(self.sendsms_port)

    def reply_argv(self, phone, text):
        """The command line of a fakesmsc that sends one text from `phone` to the sender."""
        return [FAKESMSC, "-H", "127.0.0.1", "-r", str(self.mo_port), "-m", "1", "-i", "0.1",
                "%s %s text %s" % (phone, SENDER, text)]
