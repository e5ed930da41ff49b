"""Harness for the console's tests (tig's method): scripted keys, screen dumps as text.

    class T(TuiTest):
        def test_x(self):
            screens = self.run_script("key ?", "dump help", cols=80, rows=24)
            self.assert_screen("help-80x24", screens["help"])

A script is the SESCTL_TEST_SCRIPT language (tests/tui/README.md) plus one shorthand:
`dump NAME` becomes `:save-display <tmp>/NAME.screen`; run_script() returns the dumps by
name. Expected screens live in tests/tui/expected/NAME.screen; SESCTL_UPDATE_EXPECTED=1
rewrites them from the run instead of comparing.

seed_cache() writes identities, the account state and audit rows straight into a cache
file that sesctl created, so screens with data need neither network nor emulator.
"""

import json
import re
import shlex
import os
import shutil
import sqlite3
import subprocess
import tempfile
import time
import unittest

ROOT = os.environ.get("SESCTL_ROOT") or os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("SESCTL_BIN") or os.path.join(ROOT, "sesctl")
EXPECTED = os.path.join(ROOT, "tests", "tui", "expected")
CEILING = 30.0  # seconds a tmux test waits for expected screen content
ACCOUNT = "123456789012"
REGION = "eu-west-1"



def dialog_text(screen):
    """The words inside the dialog's frame, joined into one line."""
    return " ".join(m.group(1).strip() for m in re.finditer(r"\u2502 (.*?)\u2502", screen))

class Run:
    def __init__(self, proc, screens):
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr
        self.screens = screens

    def __repr__(self):
        return f"<exit {self.code}\nstdout:\n{self.out}\nstderr:\n{self.err}>"


class TuiTest(unittest.TestCase):
    maxDiff = None

    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="sesctl-tui-")
        for d in (".aws", ".config/sesctl", ".cache", ".local/state"):
            os.makedirs(os.path.join(self.home, d), exist_ok=True)
        for f in ("config", "credentials"):
            open(os.path.join(self.home, ".aws", f), "w").close()
        self.cache = os.path.join(self.home, "cache.sqlite3")

    def tearDown(self):
        shutil.rmtree(self.home, ignore_errors=True)

    def env(self, cols=80, rows=24, extra=None):
        # FAKETIME_SHARED names libfaketime's semaphore of the test process: under a moved
        # clock a console that inherits it exits 1 when that semaphore is gone (CI saw
        # "sem_open failed … sem_name was /faketime_sem_N" in a tmux pane). The offset needs no
        # shared state, so each console makes its own.
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("AWS_", "SESCTL_", "XDG_", "TMUX", "STY", "FAKETIME_SHARED"))}
        env.update(HOME=self.home, XDG_CONFIG_HOME=os.path.join(self.home, ".config"),
                   XDG_CACHE_HOME=os.path.join(self.home, ".cache"),
                   XDG_STATE_HOME=os.path.join(self.home, ".local/state"),
                   AWS_CONFIG_FILE=os.path.join(self.home, ".aws", "config"),
                   AWS_SHARED_CREDENTIALS_FILE=os.path.join(self.home, ".aws", "credentials"),
                   AWS_EC2_METADATA_DISABLED="true", LC_ALL="C.UTF-8", TZ="UTC", NO_COLOR="1",
                   TERM="dumb", LINES=str(rows), COLUMNS=str(cols), SESCTL_NO_DISPLAY="1")
        env.pop("LANG", None)
        if extra:
            env.update(extra)
        return env

    def write_config(self, text):
        with open(os.path.join(self.home, ".config", "sesctl", "config"), "w") as f:
            f.write(text)

    def run_script(self, *steps, cols=80, rows=24, args=(), env=None, check=True, region=REGION):
        """Run the console headless on a script; returns a Run with .screens by name."""
        dumps = {}
        lines = []
        for step in steps:
            if step.startswith("dump "):
                name = step[5:].strip()
                dumps[name] = os.path.join(self.home, name + ".screen")
                lines.append(":save-display " + dumps[name])
            else:
                lines.append(step)
        script = os.path.join(self.home, "script")
        with open(script, "w") as f:
            f.write("\n".join(lines) + "\n")
        e = self.env(cols, rows, env)
        e["SESCTL_TEST_SCRIPT"] = script
        argv = [BIN, "--cache", self.cache, *(("--region", region) if region else ()), *args]
        proc = subprocess.run(argv, env=e, capture_output=True, text=True, timeout=120,
                              stdin=subprocess.DEVNULL)
        screens = {}
        for name, path in dumps.items():
            if os.path.exists(path):
                with open(path, encoding="utf-8") as f:
                    screens[name] = f.read()
        r = Run(proc, screens)
        if check:
            self.assertEqual(r.code, 0, r)
            self.assertEqual(sorted(screens), sorted(dumps), r)
        return r

    def assert_screen(self, name, actual):
        """Compare with expected/NAME.screen; absolute times read <time> on both sides."""
        actual = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)?Z", "<time>", actual)
        path = os.path.join(EXPECTED, name + ".screen")
        if os.environ.get("SESCTL_UPDATE_EXPECTED") == "1":
            os.makedirs(EXPECTED, exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(actual)
            return
        self.assertTrue(os.path.exists(path),
                        f"{path} is missing; run with SESCTL_UPDATE_EXPECTED=1 and review it")
        with open(path, encoding="utf-8") as f:
            expected = f.read()
        self.assertEqual(actual, expected, f"screen {name} differs from {path}")

    # ---- data ----

    def make_cache(self):
        """Let sesctl create (and migrate) the cache file: an empty script exits at once."""
        if not os.path.exists(self.cache):
            self.run_script()

    def seed_cache(self, identities, account=None, pauses=(), age=6 * 3600 + 1800):
        """Write rows into the cache: identities (dicts of the identities table's columns,
        plus 'policies'/'tags' lists), the account state, and pause/resume audit rows
        (dicts: time, os_user, reason, action 1=pause 2=resume)."""
        self.make_cache()
        fetched = int(time.time()) - age
        db = sqlite3.connect(self.cache)
        with db:
            db.execute("INSERT OR REPLACE INTO accounts(account_id, region, profile, last_used)"
                       " VALUES (?,?,?,?)", (ACCOUNT, REGION, "default", fetched))
            for x in identities:
                row = dict(x)
                extra = {}
                for k in ("policies", "tags"):
                    if k in row:
                        extra[k] = row.pop(k)
                if "dkim_tokens" in row and isinstance(row["dkim_tokens"], list):
                    row["dkim_tokens"] = "\n".join(row["dkim_tokens"])
                row.update(account_id=ACCOUNT, region=REGION, fetched=fetched,
                           extra=json.dumps(extra) if extra else None)
                cols = ", ".join(row)
                marks = ", ".join("?" for _ in row)
                db.execute(f"INSERT INTO identities({cols}) VALUES ({marks})", list(row.values()))
            kinds = ["identities"]
            if account is not None:
                db.execute("INSERT OR REPLACE INTO account_state(account_id, region, fetched, data)"
                           " VALUES (?,?,?,?)", (ACCOUNT, REGION, fetched, json.dumps(account)))
                kinds.append("account")
            for k in kinds:
                db.execute("INSERT OR REPLACE INTO sync_state(account_id, region, kind, fetched)"
                           " VALUES (?,?,?,?)", (ACCOUNT, REGION, k, fetched))
            for p in pauses:
                verb = "sending pause" if p["action"] == 1 else "sending resume"
                argv = ["sesctl", *verb.split(), "--reason", p["reason"]]
                db.execute("INSERT INTO audit(time, os_user, host, profile, region, account_id,"
                           " argv_json, command, verb, result, status, reason, action)"
                           " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                           (p["time"], p["os_user"], "host", "default", REGION, ACCOUNT,
                            json.dumps(argv), " ".join(argv), verb, "ok", "OK", p["reason"],
                            p["action"]))
        db.close()


class TmuxMixin:
    """Run the console on a real pty in a private tmux server (mix into a TuiTest)."""

    def setUp(self):
        super().setUp()
        self.sock = f"sesctl-tui-{os.getpid()}-{id(self)}"
        self.started = False
        self.status_file = None

    def tearDown(self):
        if self.started:
            sock = self.tmux("display-message", "-p", "#{socket_path}", check=False).strip()
            self.tmux("kill-server", check=False)
            if sock.endswith(self.sock) and os.path.exists(sock):
                os.unlink(sock)  # tmux leaves the socket file of a killed server behind
        super().tearDown()

    def tmux(self, *args, check=True):
        # The tmux server runs on the real clock: under `make check-dates` it would inherit
        # libfaketime and its FAKETIME_SHARED semaphore from this process and hand both to
        # the pane's shell, which then failed on a semaphore gone with the client that made
        # it (a blank pane, "sem_name was /faketime_sem_N", at the year boundary). The
        # console gets its moved clock from its own environment (run.sh's env -i line).
        env = {k: v for k, v in os.environ.items()
               if k != "LD_PRELOAD" and not k.startswith("FAKETIME")}
        p = subprocess.run(["tmux", "-L", self.sock, "-f", "/dev/null", *args],
                           capture_output=True, text=True, timeout=60, env=env)
        if check:
            self.assertEqual(p.returncode, 0, p.stderr)
        return p.stdout

    def start(self, cols=100, rows=30, args=(), extra_env=None, term="tmux-256color"):
        env = self.env(cols, rows, extra_env)
        for k in ("SESCTL_NO_DISPLAY", "LINES", "COLUMNS"):
            env.pop(k)
        env["TERM"] = term
        script = os.path.join(self.home, "run.sh")
        self.status_file = os.path.join(self.home, "status")
        # a second start in one test must not see the first run's exit (its .done would
        # let wait_dead read the status file while the next exit truncates it)
        for stale in (self.status_file, self.status_file + ".done"):
            if os.path.exists(stale):
                os.unlink(stale)
        with open(script, "w") as f:
            # TMUX comes from the pane: the console copies through this private server
            f.write('env -i TMUX="$TMUX" ' + " ".join(shlex.quote(f"{k}={v}") for k, v in env.items())
                    + " " + " ".join(shlex.quote(a) for a in
                                     [BIN, "--cache", self.cache, "--region", REGION, *args]) + "\n")
            f.write(f"echo $? > {shlex.quote(self.status_file + '.tmp')}\n")
            f.write(f"mv {shlex.quote(self.status_file + '.tmp')} {shlex.quote(self.status_file)}\n")
            f.write(f": > {shlex.quote(self.status_file + '.done')}\n")
        self.tmux("new-session", "-d", "-x", str(cols), "-y", str(rows), f"sh {shlex.quote(script)}",
                  ";", "set-option", "-g", "remain-on-exit", "on")
        self.started = True

    def screen(self):
        return self.tmux("capture-pane", "-p")

    def wait_for(self, *texts, ceiling=CEILING):
        """The screen once every text is on it; a failure after ceiling seconds (a bound for
        a hang, not a speed target: long waits pass a larger one)."""
        deadline = time.monotonic() + ceiling
        while True:
            s = self.screen()
            if all(t in s for t in texts):
                return s
            if self.status_file and os.path.exists(self.status_file + ".done"):
                s = self.screen()  # the pane stays after the exit: the last frame counts
                if all(t in s for t in texts):
                    return s
                with open(self.status_file) as f:
                    status = f.read().strip()
                self.fail(f"{texts!r} did not appear: sesctl exited with status {status}; "
                          f"screen:\n{s}")
            if time.monotonic() > deadline:
                self.fail(f"{texts!r} did not appear; screen:\n{s}")
            time.sleep(0.05)

    def pane_value(self, fmt):
        return self.tmux("display-message", "-p", fmt).strip()

    def wait_dead(self):
        """Wait for the process to end; returns its exit status as run.sh recorded it
        (tmux's own #{pane_dead_status} is sometimes left empty by tmux 3.3a)."""
        deadline = time.monotonic() + CEILING
        while not os.path.exists(self.status_file + ".done"):
            if time.monotonic() > deadline:
                self.fail("sesctl did not exit; screen:\n" + self.screen())
            time.sleep(0.05)
        with open(self.status_file) as f:
            return f.read().strip()



def frame_lines(screen):
    """The screen's lines without the banner line paused tenants add under the header (the
    demo account has two), so a test about something else can count lines from the tabs."""
    lines = screen.splitlines()
    if len(lines) > 1 and re.match(r" \d+ TENANTS? PAUSED ", lines[1]):
        del lines[1]
    return lines


def demo_identities():
    """A small account in every state the pane distinguishes."""
    tokens = ["tok1aaaaaaaaaaaaaaaaaaaaaaaaaaaa", "tok2bbbbbbbbbbbbbbbbbbbbbbbbbbbb",
              "tok3cccccccccccccccccccccccccccc"]
    base = dict(type="DOMAIN", sending_enabled=1, verified_for_sending=1, has_details=1,
                dkim_signing_enabled=1, dkim_status="SUCCESS", dkim_origin="AWS_SES",
                dkim_current_key_length="RSA_2048_BIT", verification_status="SUCCESS")
    return [
        dict(base, name="shop.example", dkim_tokens=tokens, mail_from_domain="bounce.shop.example",
             mail_from_status="SUCCESS", mail_from_on_mx_failure="USE_DEFAULT_VALUE",
             configuration_set="transactional",
             policies=[{"name": "allow-app", "document": '{"Version":"2012-10-17",\n"Statement":[]}'}],
             tags=[{"key": "team", "value": "payments"}]),
        dict(base, name="newbrand.example", verification_status="PENDING", dkim_status="PENDING",
             verified_for_sending=0),
        dict(base, name="legacy-brand.example", verification_status="FAILED", dkim_status="FAILED",
             verified_for_sending=0, verification_error="HOST_NOT_FOUND"),
        dict(base, name="partner.example", verification_status="TEMPORARY_FAILURE",
             dkim_status="TEMPORARY_FAILURE"),
        dict(base, name="xn--bcher-kva.example"),
        dict(base, name="xn--55qx5d.example"),  # 公司.example: two wide characters
        dict(base, name="old.example", dkim_signing_enabled=0),
        dict(base, name="billing.example", mail_from_domain="bounce.billing.example",
             mail_from_status="FAILED", mail_from_on_mx_failure="REJECT_MESSAGE"),
        dict(name="ops@shop.example", type="EMAIL_ADDRESS", verification_status="SUCCESS",
             sending_enabled=1, verified_for_sending=1, has_details=1),
        dict(base, name="evil\x1b[2J\x07.example"),
    ]


DEMO_ACCOUNT = {"sending_enabled": True, "production_access": True,
                "enforcement_status": "HEALTHY", "max_24h_send": 50000, "max_send_rate": 14}
