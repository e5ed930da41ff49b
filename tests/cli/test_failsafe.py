"""Fail safe (issue 19, issue 20): the trail is written before a change, a failed outcome row
is loud, a declined confirmation is 'cancelled', write errors on stdout are errors, and bytes
from a hostile endpoint (request ids, account ids) never reach the terminal raw.

The failing audit writes are a real full disk: the state directory is a 4 KiB tmpfs mounted
in a private mount namespace (unshare -Urm, no root needed where user namespaces are on;
the tests are skipped, and say so, where they are not)."""

import http.server
import json
import os
import pty
import tempfile
import select
import sqlite3
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import BIN, CliTest, Result  # noqa: E402


class QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # sesctl hanging up mid-reply is what some tests provoke


class HostileSts(http.server.BaseHTTPRequestHandler):
    """Answers every request as STS GetCallerIdentity, with what the test chose."""

    account = "123456789012"
    request_id = "7b1a-ok"

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = ("<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                "<GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/ops</Arn>"
                f"<UserId>AIDAEXAMPLE</UserId><Account>{self.account}</Account>"
                "</GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId>"
                "</ResponseMetadata></GetCallerIdentityResponse>").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.send_header("x-amzn-RequestId", self.request_id)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *a):
        pass


# Runs "$@" with $state on a one-page tmpfs, the page filled but for what the prefilled
# audit file leaves free in its own page; copies the audit file out to $out afterwards.
SMALL_STATE = r"""
state="$1"; out="$2"; prefill="$3"; shift 3
mount -t tmpfs -o size=4k,mode=0700 none "$state" || exit 97
mkdir -m 700 "$state/sesctl" || exit 97
if [ -n "$prefill" ]; then cp "$prefill" "$state/sesctl/audit.jsonl" && chmod 600 "$state/sesctl/audit.jsonl" || exit 97; fi
dd if=/dev/zero of="$state/fill" bs=64 2>/dev/null
"$@"; rc=$?
cp "$state/sesctl/audit.jsonl" "$out" 2>/dev/null
exit $rc
"""


def can_mount_tmpfs():
    try:
        return subprocess.run(["unshare", "-Urm", "sh", "-c", "mount -t tmpfs none /mnt"],
                              capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


class Trail(CliTest):
    SEED = "demo"

    def setUp(self):
        super().setUp()
        self.emu.reset("demo")
        self.cache = os.path.join(self.home, ".cache", "sesctl", "cache.sqlite3")
        self.trail = os.path.join(self.home, ".local", "state", "sesctl", "audit.jsonl")
        r = self.sesctl("account", "--json")  # creates the cache
        self.assertEqual(r.code, 0, repr(r))

    def on_full_state_disk(self, args, prefill=""):
        """sesctl ARGS with the state directory on a full 4 KiB tmpfs; returns the result and
        the audit file's lines as the run left them (None: no file)."""
        if not can_mount_tmpfs():
            self.skipTest("cannot mount a tmpfs in a user namespace here (unshare -Urm)")
        out = os.path.join(self.home, "trail-after")
        proc = subprocess.run(["unshare", "-Urm", "sh", "-c", SMALL_STATE, "sh",
                               os.path.join(self.home, ".local", "state"), out, prefill, BIN,
                               *args], env=self.base_env(), capture_output=True, text=True,
                              timeout=120)
        self.assertNotEqual(proc.returncode, 97, proc.stderr)
        lines = None
        if os.path.exists(out):
            with open(out, "rb") as f:
                lines = f.read().decode().splitlines(True)
        return Result(proc), lines

    def sending(self):
        return self.emu.client("sesv2").get_account()["SendingEnabled"]

    def test_no_started_row_no_change(self):
        r, lines = self.on_full_state_disk(["sending", "pause", "--reason", "INC-1", "--yes"])
        self.assertExit(r, "IO")
        self.assertIn("the audit trail could not be written", r.err)
        self.assertIn("No space left on device", r.err)
        self.assertIn("nothing was changed", r.err)
        self.assertTrue(self.sending(), "SES was paused without a trace")
        self.assertIn(lines, (None, []), "a half record was left behind")

    def test_outcome_row_that_cannot_be_written_is_loud(self):
        args = ["sending", "pause", "--reason", "INC-2", "--yes"]
        # the started row's size, from the same command on a roomy disk
        self.assertEqual(self.sesctl(*args).code, 0)
        with open(self.trail, "rb") as f:
            started = f.read().decode().splitlines(True)[0]
        self.assertIn('"result":"started"', started)
        self.assertEqual(self.sesctl("sending", "resume", "--reason", "x", "--yes").code, 0)
        # a padding record that leaves room in the page for the started row and 10 bytes
        room = len(started.encode()) + 10
        pad = '{"time":1,"verb":"padding","result":"ok","message":"%s"}\n'
        pad = pad % ("x" * (4096 - room - len(pad % "")))
        self.assertEqual(len(pad), 4096 - room)
        prefill = self.write(os.path.join(self.home, "prefill"), pad)

        r, lines = self.on_full_state_disk(args, prefill)
        self.assertExit(r, "IO")
        self.assertIn("was done, but its outcome could not be written", r.err)
        self.assertIn("No space left on device", r.err)
        self.assertNotIn("partly done", r.err)
        self.assertFalse(self.sending())  # the change was made, and said so
        self.assertEqual(len(lines), 2, lines)
        self.assertEqual(lines[0], pad)
        row = json.loads(lines[1])
        self.assertEqual((row["verb"], row["result"], row.get("request_id")),
                         ("sending pause", "started", None))

    def test_a_cache_that_cannot_keep_the_change_does_not_make_it_a_failure(self):
        """Before: with the cache's disk full, a pause that SES carried out ended as "sync of
        eu-west-1 partly done", exit 9, and the trail called it failed. The write failure is
        a real sqlite one: a trigger in the test's cache raises as a full disk would."""
        db = sqlite3.connect(self.cache)
        db.execute("CREATE TRIGGER test_full_disk BEFORE INSERT ON account_state"
                   " BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END")
        db.commit()
        db.close()
        r = self.sesctl("sending", "pause", "--reason", "INC-7", "--yes")
        self.assertEqual(r.code, 0, repr(r))
        self.assertIn("the change was made and read back from SES, but the cache could not "
                      "be updated", r.err)
        self.assertIn("disk is full", r.err)
        self.assertNotIn("partly done", r.err)
        self.assertFalse(self.sending())
        audit = self.sesctl("audit", "--json").json()
        self.assertEqual([a["result"] for a in audit], ["ok", "started"], audit)

    def test_the_trail_outlives_the_cache(self):
        r = self.sesctl("sending", "pause", "--reason", "INC-5 outlives", "--yes")
        self.assertEqual(r.code, 0, repr(r))
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(self.cache + suffix):
                os.remove(self.cache + suffix)
        audit = self.sesctl("audit", "--json").json()
        self.assertEqual([a["result"] for a in audit], ["ok", "started"], audit)
        # a damaged cache is moved aside and rebuilt: "who paused" is still known
        with open(self.cache, "wb") as f:
            f.write(b"not a database" * 100)
        acct = self.sesctl("account", "--json")
        self.assertEqual(acct.code, 0, repr(acct))
        self.assertEqual(acct.json()["paused"]["reason"], "INC-5 outlives", acct.out)
        self.assertEqual(len(self.sesctl("audit", "--json").json()), 2)

    def test_a_torn_last_record_is_skipped_and_reported(self):
        self.assertEqual(self.sesctl("sending", "pause", "--reason", "INC-6", "--yes").code, 0)
        with open(self.trail, "ab") as f:
            f.write(b'{"time":1,"verb":"sending res')  # a writer killed mid-line
        r = self.sesctl("audit", "--json")
        self.assertEqual(r.code, 0, repr(r))
        self.assertEqual(len(r.json()), 2)
        self.assertIn("1 damaged record (from line 3)", r.err)
        self.assertIn("the rest is shown", r.err)
        # the next change still lands whole, on its own line
        self.assertEqual(self.sesctl("sending", "resume", "--reason", "ok", "--yes").code, 0)
        audit = self.sesctl("audit", "--json")
        self.assertEqual([a["result"] for a in audit.json()], ["ok", "started", "ok", "started"])
        self.assertEqual(audit.json()[0]["verb"], "sending resume")

    def test_rows_of_an_older_cache_move_over_once(self):
        db = sqlite3.connect(self.cache)
        db.execute("INSERT INTO audit(time, os_user, host, profile, region, account_id,"
                   " argv_json, command, verb, result, status, duration_ms, reason, action)"
                   " VALUES (1700000000, 'bob', 'bastion', 'default', 'us-east-1',"
                   " '123456789012', '[\"sesctl\"]', 'sesctl sending pause', 'sending pause',"
                   " 'ok', 'OK', 5, 'old incident', 1)")
        db.commit()
        db.close()
        self.assertFalse(os.path.exists(self.trail))
        for _ in range(2):
            audit = self.sesctl("audit", "--json").json()
            self.assertEqual([(a["user"], a["reason"]) for a in audit], [("bob", "old incident")])
        self.assertEqual(oct(os.stat(self.trail).st_mode & 0o777), "0o600")
        self.assertEqual(oct(os.stat(os.path.dirname(self.trail)).st_mode & 0o777), "0o700")

    def test_started_row_carries_nothing_of_earlier_calls(self):
        r = self.sesctl("sending", "pause", "--reason", "INC-3", "--yes")
        self.assertEqual(r.code, 0, repr(r))
        audit = self.sesctl("audit", "--json").json()
        started = [a for a in audit if a["result"] == "started"]
        ok = [a for a in audit if a["result"] == "ok"]
        self.assertEqual(len(started), 1, audit)
        self.assertIsNone(started[0].get("request_id"), started)
        self.assertTrue(ok and ok[0].get("request_id"), ok)

    def run_on_a_tty(self, args, answer):
        """sesctl with stdin and stderr on a pseudo-terminal; answer is typed at the prompt."""
        master, slave = os.openpty()
        proc = subprocess.Popen([BIN, *args], env=self.base_env(), stdin=slave,
                                stdout=subprocess.PIPE, stderr=slave, close_fds=True)
        os.close(slave)
        seen = b""
        while b"confirm" not in seen and b"[y/N]" not in seen:
            ready, _, _ = select.select([master], [], [], 60)
            self.assertTrue(ready, f"no prompt; saw {seen!r}")
            seen += os.read(master, 4096)
        os.write(master, answer.encode() + b"\n")
        proc.stdout.read()
        proc.stdout.close()
        proc.wait(60)
        try:
            while select.select([master], [], [], 0.2)[0]:
                seen += os.read(master, 4096)
        except OSError:
            pass
        os.close(master)
        return proc.returncode, seen.decode(errors="replace")

    def test_declined_confirmation_is_cancelled_not_refused(self):
        code, text = self.run_on_a_tty(["sending", "pause", "--reason", "INC-4"], "n")
        self.assertEqual(code, 15, text)
        self.assertIn("cancelled", text)
        self.assertTrue(self.sending())
        audit = self.sesctl("audit", "--json").json()
        self.assertEqual([a["result"] for a in audit], ["cancelled"], audit)
        # with no terminal to ask on it is refused, as before
        self.assertExit(self.sesctl("sending", "pause", "--reason", "INC-4"), "REFUSED")


READ_ONLY = r"""
for d in "$1" "$2"; do mount --bind "$d" "$d" && mount -o remount,ro,bind "$d" || exit 97; done
shift 2
exec "$@"
"""


class ReadOnlyDisk(CliTest):
    SEED = "demo"

    def test_offline_reads_work_from_a_read_only_filesystem(self):
        if not can_mount_tmpfs():
            self.skipTest("cannot mount in a user namespace here (unshare -Urm)")
        self.emu.reset("demo")
        self.assertEqual(self.sesctl("sync").code, 0)
        self.assertEqual(self.sesctl("sending", "pause", "--reason", "INC-RO", "--yes").code, 0)
        dirs = [os.path.join(self.home, ".cache"), os.path.join(self.home, ".local")]

        def ro(*args):
            proc = subprocess.run(["unshare", "-Urm", "sh", "-c", READ_ONLY, "sh", *dirs, BIN,
                                   *args], env=self.base_env(), capture_output=True, text=True,
                                  timeout=120)
            self.assertNotEqual(proc.returncode, 97, proc.stderr)
            return Result(proc)

        r = ro("--offline", "identities", "list", "--json")
        self.assertEqual(r.code, 0, repr(r))
        self.assertIn("shop.example", [i["name"] for i in r.json()])
        self.assertIn("read-only filesystem: showing it as it is", r.err)
        r = ro("--offline", "account", "--json")
        self.assertEqual(r.code, 0, repr(r))
        self.assertEqual(r.json()["paused"]["reason"], "INC-RO")
        r = ro("--offline", "audit", "--json")
        self.assertEqual(r.code, 0, repr(r))
        self.assertEqual(r.json()[0]["reason"], "INC-RO")
        # a change cannot leave a trace there, so it is not made
        r = ro("sending", "resume", "--reason", "x", "--yes")
        self.assertExit(r, "IO")
        self.assertIn("the audit trail could not be written", r.err)
        self.assertFalse(self.emu.client("sesv2").get_account()["SendingEnabled"])


class Output(CliTest):
    SEED = "demo"

    def test_a_write_error_on_stdout_is_an_error(self):
        self.assertEqual(self.sesctl("sync").code, 0)
        for args in (["snapshot"], ["identities", "list", "--json"], ["--version"]):
            with open("/dev/full", "w") as full:
                p = subprocess.run([BIN, *args], env=self.base_env(), stdout=full,
                                   stderr=subprocess.PIPE, text=True, timeout=120)
            self.assertEqual(p.returncode, 13, (args, p.stderr))
            self.assertIn("writing the output failed", p.stderr)


class CacheFile(CliTest):
    SEED = None

    def setUp(self):
        super().setUp()
        self.env = self.base_env(emulator=False)
        self.env["AWS_REGION"] = "eu-west-1"
        self.cache = os.path.join(self.home, ".cache", "sesctl", "cache.sqlite3")
        self.sesctl("--offline", "identities", "list", env=self.env)  # creates the cache
        self.assertTrue(os.path.exists(self.cache))

    def test_a_held_opening_lock_is_named_and_given_up_on(self):
        import fcntl
        with open(self.cache + ".lock", "r+") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            f.truncate(0)
            f.write(f"{os.getpid()} on testhost\n")
            f.flush()
            env = dict(self.env, SESCTL_CACHE_LOCK_TIMEOUT="1")
            r = self.sesctl("--offline", "identities", "list", env=env, timeout=60)
        self.assertExit(r, "IO")
        self.assertIn(f"is being opened by another sesctl by pid {os.getpid()} on testhost; "
                      "gave up after 1 s", r.err)
        r = self.sesctl("--offline", "identities", "list", env=self.env)  # released: opens
        self.assertNotIn("being opened", r.err)

    def test_a_cache_made_read_only_stays_read_only(self):
        # (as root too: the refusal is sesctl's own reading of the mode, not the kernel's)
        os.chmod(self.cache, 0o400)
        r = self.sesctl("--offline", "identities", "list", env=self.env)
        self.assertExit(r, "IO")
        self.assertIn("not readable and writable by you (mode 0400)", r.err)
        self.assertEqual(os.stat(self.cache).st_mode & 0o777, 0o400)
        os.chmod(self.cache, 0o644)  # too open: group and other bits are taken away
        self.sesctl("--offline", "identities", "list", env=self.env)
        self.assertEqual(os.stat(self.cache).st_mode & 0o777, 0o600)


class CredentialProcess(CliTest):
    """A helper that never answers, one that leaves a child holding its stdout, and one
    that only hands out 5-minute keys (issue 19)."""
    SEED = "demo"

    def setUp(self):
        super().setUp()
        self.marker = f"sesctl-helper-{os.getpid()}-{id(self)}"

    def env_for(self, body):
        from clitest import ACCESS_KEY, SECRET_KEY
        env = self.base_env()
        del env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]
        creds = ("printf '{\"Version\": 1, \"AccessKeyId\": \"%s\", \"SecretAccessKey\": \"%s\"%s}' "
                 f"'{ACCESS_KEY}' '{SECRET_KEY}'")
        script = self.write(os.path.join(self.home, "creds.sh"),
                            "#!/bin/bash\n" + body.replace("CREDS", creds) + "\n", 0o700)
        self.write(self.aws_config, f"[default]\ncredential_process = {script}\n")
        return env

    def leftover(self):
        return subprocess.run(["pgrep", "-f", self.marker], capture_output=True).returncode == 0

    def test_a_helper_that_never_answers_is_stopped(self):
        env = self.env_for(f"exec -a {self.marker_arg()} sleep 1000")
        env["SESCTL_CREDENTIAL_PROCESS_TIMEOUT"] = "2"
        r = self.sesctl("whoami", env=env, timeout=120)
        self.assertExit(r, "AUTH")
        self.assertIn("did not answer within 2 s", r.err)
        self.assertFalse(self.leftover(), "the helper outlived sesctl")

    def test_a_child_holding_stdout_does_not_hold_sesctl(self):
        # the default limit (30 s) is never reached: the helper's own exit ends the wait
        env = self.env_for(f"CREDS ''\n(exec -a {self.marker_arg()} sleep 1000) &\nexit 0")
        r = self.sesctl("whoami", "--json", env=env, timeout=120)
        self.assertEqual(r.code, 0, repr(r))
        self.assertFalse(self.leftover(), "the helper's child outlived sesctl")

    def test_short_lived_keys_do_not_run_the_helper_before_every_request(self):
        runs = os.path.join(self.home, "runs")
        exp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 300))
        env = self.env_for(f"echo run >> {runs}\nCREDS ', \"Expiration\": \"{exp}\"'")
        r = self.sesctl("sync", "--force", env=env, timeout=300)
        self.assertEqual(r.code, 0, repr(r))
        with open(runs) as f:
            n = len(f.read().splitlines())
        self.assertLessEqual(n, 2, f"the helper ran {n} times for one sync")

    def test_a_helper_can_still_prompt_on_the_terminal(self):
        """Its own process group must not cost an MFA prompt on /dev/tty: sesctl hands it
        the terminal's foreground while it runs."""
        import fcntl
        import termios
        env = self.env_for("printf 'MFA code: ' > /dev/tty\nread -r code < /dev/tty\n"
                           "[ \"$code\" = 123456 ] || exit 7\nCREDS ''")
        env["SESCTL_CREDENTIAL_PROCESS_TIMEOUT"] = "20"
        master, slave = os.openpty()

        def controlling_tty():
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        proc = subprocess.Popen([BIN, "whoami", "--json"], env=env, stdin=slave,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                preexec_fn=controlling_tty)
        os.close(slave)
        seen = b""
        while b"MFA code:" not in seen:
            ready, _, _ = select.select([master], [], [], 60)
            self.assertTrue(ready, f"no prompt; saw {seen!r}")
            seen += os.read(master, 1024)
        os.write(master, b"123456\n")
        out, err = proc.communicate(timeout=60)
        os.close(master)
        self.assertEqual(proc.returncode, 0, (out, err))

    def marker_arg(self):
        return self.marker


class CarelessMachine(CliTest):
    SEED = None

    def test_a_fifo_as_a_config_file_is_refused_not_waited_on(self):
        fifo = os.path.join(self.home, "fifo")
        os.mkfifo(fifo)
        for var in ("AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "SESCTL_CONFIG"):
            env = self.base_env(emulator=False)
            env.update({var: fifo, "AWS_REGION": "eu-west-1"})
            r = self.sesctl("--offline", "identities", "list", env=env, timeout=60)
            self.assertExit(r, "CONFIG")
            self.assertIn("not a regular file", r.err)
        # /dev/null is the usual "no config file" and reads as empty, as the AWS CLI has it
        env = self.base_env(emulator=False)
        env.update(AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null",
                   AWS_REGION="eu-west-1")
        r = self.sesctl("--offline", "identities", "list", env=env, timeout=60)
        self.assertNotIn("regular file", r.err)
        self.assertNotEqual(r.code, 3, repr(r))


class Pages(HostileSts):
    """STS, then listings whose NextToken cycles a → b → a: only the third page repeats an
    earlier token (not the last one), which the old guard did not catch."""

    hits = 0
    CYCLE = ["a", "b", "a"]

    def do_GET(self):
        Pages.hits += 1
        q = self.path.split("NextToken=")
        page = 0 if len(q) == 1 else {"a": 1, "b": 2}.get(q[1].split("&")[0], 3)
        token = self.CYCLE[page % len(self.CYCLE)]
        if self.path.startswith("/v2/email/identities"):
            body = {"EmailIdentities": [{"IdentityName": f"p{page}.example",
                                         "IdentityType": "DOMAIN", "SendingEnabled": True}],
                    "NextToken": token}
        else:
            body = {"SuppressedDestinationSummaries": [
                {"EmailAddress": f"x{page}@example.com", "Reason": "BOUNCE",
                 "LastUpdateTime": 1700000000}], "NextToken": token}
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class RepeatedTokens(CliTest):
    SEED = None

    @classmethod
    def setUpClass(cls):
        HostileSts.account, HostileSts.request_id = "123456789012", "ok"
        cls.server = QuietServer(("127.0.0.1", 0), Pages)
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()

    def test_a_token_from_any_earlier_page_ends_the_listing_as_a_bad_reply(self):
        e = self.base_env(emulator=False)
        e.update(AWS_ACCESS_KEY_ID="AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY="secret",
                 AWS_REGION="eu-west-1", AWS_MAX_ATTEMPTS="1",
                 AWS_ENDPOINT_URL=f"http://127.0.0.1:{self.server.server_address[1]}")
        for kind, op in (("identities", "ListEmailIdentities"),
                         ("suppression", "ListSuppressedDestinations")):
            Pages.hits = 0
            r = self.sesctl("sync", "--kind", kind, "--force", env=e, timeout=60)
            self.assertNotEqual(r.code, 0, repr(r))
            self.assertIn(f"{op}: the endpoint repeated a page token (page 3 gave the token "
                          "of page 1)", r.out)
            # the summary is no one call's error: no request id of an earlier call on it
            self.assertIn("sync of eu-west-1 partly done", r.err)
            self.assertNotIn("request id", r.err)
            self.assertEqual(Pages.hits, 3, r.err)  # stopped at once, nothing held on to


class Endless(HostileSts):
    """Listings that never end: 1,000 items a page, a fresh token every time. The first
    suppression listing (mode "ok") ends after 3 pages, to have a previous list to keep."""

    mode = "endless"
    page = 0

    def do_GET(self):
        Endless.page += 1
        n, last = Endless.page, Endless.mode == "ok" and Endless.page >= 3
        if self.path.startswith("/v2/email/identities"):
            body = {"EmailIdentities": [{"IdentityName": f"d{n}-{i}.example",
                                         "IdentityType": "DOMAIN", "SendingEnabled": True}
                                        for i in range(1000)]}
        else:
            body = {"SuppressedDestinationSummaries": [
                {"EmailAddress": f"u{n}-{i}@bounce.example", "Reason": "BOUNCE",
                 "LastUpdateTime": 1700000000} for i in range(1000)]}
        if not last:
            body["NextToken"] = f"t{n}"
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class EndlessPages(CliTest):
    """Before: fresh tokens forever grew memory without bound (suppression 1.2 GB, identities
    2.3 GB in 30 s, measured); the suppression list was held whole before it was cached."""
    SEED = None

    @classmethod
    def setUpClass(cls):
        HostileSts.account, HostileSts.request_id = "123456789012", "ok"
        cls.server = QuietServer(("127.0.0.1", 0), Endless)
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()

    def env(self, **more):
        e = self.base_env(emulator=False)
        e.update(AWS_ACCESS_KEY_ID="AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY="secret",
                 AWS_REGION="eu-west-1", AWS_MAX_ATTEMPTS="1",
                 AWS_ENDPOINT_URL=f"http://127.0.0.1:{self.server.server_address[1]}", **more)
        return e

    def run_measured(self, *args):
        """sesctl ARGS; the result and its peak resident memory in MB."""
        if "ASAN_OPTIONS" in os.environ:  # make asan: the quarantine holds freed memory
            self.skipTest("peak memory says nothing under AddressSanitizer (make asan)")
        with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
            p = subprocess.Popen([BIN, *args], env=self.env(), stdout=out, stderr=err, text=True)
            _, status, usage = os.wait4(p.pid, 0)  # this child's own peak
            p.returncode = os.waitstatus_to_exitcode(status)
            out.seek(0)
            err.seek(0)
            proc = subprocess.CompletedProcess(p.args, p.returncode, out.read(), err.read())
        return Result(proc), usage.ru_maxrss / 1024

    def suppressed(self):
        db = sqlite3.connect(os.path.join(self.home, ".cache", "sesctl", "cache.sqlite3"))
        rows = db.execute("SELECT region, count(*) FROM suppressed GROUP BY region").fetchall()
        db.close()
        return dict(rows)

    def test_the_suppression_list_streams_to_the_cache_in_bounded_memory(self):
        Endless.mode, Endless.page = "ok", 0
        r = self.sesctl("sync", "--kind", "suppression", env=self.env())
        self.assertEqual(r.code, 0, repr(r))
        self.assertEqual(self.suppressed(), {"eu-west-1": 3000})
        Endless.mode, Endless.page = "endless", 0
        r, mb = self.run_measured("--deadline", "8", "sync", "--kind", "suppression", "--force")
        print(f"\nendless suppression listing, 8 s: {Endless.page} pages, peak {mb:.0f} MB",
              file=sys.stderr)
        self.assertExit(r, "NETWORK")  # the deadline ended it
        self.assertGreater(Endless.page, 20, "too few pages to say anything about memory")
        self.assertLess(mb, 120, "memory grows with the pages")
        # the previous list stays whole, and nothing staged is left behind
        self.assertEqual(self.suppressed(), {"eu-west-1": 3000})

    def test_an_identity_listing_that_never_ends_is_a_bad_reply(self):
        Endless.mode, Endless.page = "endless", 0
        r, mb = self.run_measured("sync", "--kind", "identities")
        self.assertExit(r, "PARTIAL")
        self.assertIn("ListEmailIdentities: more than 200000 items and the endpoint does not "
                      "end its listing", r.out + r.err)
        self.assertLess(Endless.page, 205)
        print(f"\nendless identity listing: stopped after {Endless.page} pages, peak {mb:.0f} MB",
              file=sys.stderr)


class Expiring(HostileSts):
    """40 identities listed, then every GetEmailIdentity refused: the session token expired
    mid-sync."""

    details = 0

    def do_GET(self):
        path = self.path.split("?")[0]
        if path == "/v2/email/identities":
            code, body, extra = 200, {"EmailIdentities": [
                {"IdentityName": f"d{i}.example", "IdentityType": "DOMAIN",
                 "SendingEnabled": True} for i in range(40)]}, {}
        else:
            Expiring.details += 1
            code = 403
            body = {"__type": "ExpiredTokenException",
                    "message": "The security token included in the request is expired"}
            extra = {"x-amzn-ErrorType": "ExpiredTokenException"}
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        for k, v in extra.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class ExpiredMidSync(CliTest):
    SEED = None

    @classmethod
    def setUpClass(cls):
        HostileSts.account, HostileSts.request_id = "123456789012", "ok"
        cls.server = QuietServer(("127.0.0.1", 0), Expiring)
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()

    def test_expired_credentials_stop_the_sync_with_exit_4_and_honest_counts(self):
        e = self.base_env(emulator=False)
        e.update(AWS_ACCESS_KEY_ID="AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY="secret",
                 AWS_SESSION_TOKEN="expired", AWS_REGION="eu-west-1", AWS_MAX_ATTEMPTS="1",
                 AWS_ENDPOINT_URL=f"http://127.0.0.1:{self.server.server_address[1]}")
        Expiring.details = 0
        r = self.sesctl("sync", "--kind", "identities", "--force", "--concurrency", "4", env=e,
                        timeout=120)
        self.assertExit(r, "AUTH")
        self.assertIn("the credentials stopped working during the sync", r.err)
        self.assertIn("expired", r.err)
        self.assertNotIn("40 identity details fetched", r.out + r.err)
        self.assertLessEqual(Expiring.details, 4, "it kept asking after the first refusal")


class Stall(HostileSts):
    """STS answers; every SES call hangs (a black-holed endpoint)."""

    listing = threading.Event()  # set when an SES call has arrived (STS is behind us)

    def do_GET(self):
        Stall.listing.set()
        time.sleep(600)


class Interrupt(CliTest):
    SEED = None

    @classmethod
    def setUpClass(cls):
        HostileSts.account, HostileSts.request_id = "123456789012", "ok"
        cls.server = QuietServer(("127.0.0.1", 0), Stall)
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()

    def test_ctrl_c_cancels_the_call_in_flight(self):
        """Before: SIGINT 2 s into a slow sync waited for every attempt (3 x 30 s)."""
        e = self.base_env(emulator=False)
        e.update(AWS_ACCESS_KEY_ID="AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY="secret",
                 AWS_REGION="eu-west-1", AWS_MAX_ATTEMPTS="3",
                 AWS_ENDPOINT_URL=f"http://127.0.0.1:{self.server.server_address[1]}")
        for args in (["sync", "--kind", "identities"], ["identities", "list", "--refresh"]):
            Stall.listing.clear()
            p = subprocess.Popen([BIN, *args], env=e, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
            self.assertTrue(Stall.listing.wait(60), "the listing never started")
            sent = time.monotonic()
            p.send_signal(2)
            try:
                out, err = p.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                p.kill()
                self.fail(f"{args}: still running 60 s after SIGINT")
            print(f"\n{args[0]}: ended {time.monotonic() - sent:.2f} s after SIGINT",
                  file=sys.stderr)
            self.assertEqual(p.returncode, 15, (args, out, err))
            self.assertIn("interrupted", out + err)


class Deadline(CliTest):
    """Before: a black-holed endpoint held a sync for 3 attempts x 30 s per call, and a slow
    one for minutes (365 s measured); there was no overall limit."""
    SEED = None

    @classmethod
    def setUpClass(cls):
        HostileSts.account, HostileSts.request_id = "123456789012", "ok"
        cls.server = QuietServer(("127.0.0.1", 0), Stall)
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()

    def env(self, **more):
        e = self.base_env(emulator=False)
        e.update(AWS_ACCESS_KEY_ID="AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY="secret",
                 AWS_REGION="eu-west-1", AWS_MAX_ATTEMPTS="3",
                 AWS_ENDPOINT_URL=f"http://127.0.0.1:{self.server.server_address[1]}", **more)
        return e

    def test_a_verb_stops_at_its_deadline_and_says_so(self):
        for args, env in ((["--deadline", "2", "sync"], self.env()),
                          (["identities", "list", "--refresh"], self.env(SESCTL_DEADLINE="2"))):
            # the subprocess timeout only catches a hang: without the deadline this runs
            # for 3 x 30 s per call
            r = self.sesctl(*args, env=env, timeout=80)
            self.assertExit(r, "NETWORK")
            self.assertIn("stopped at the deadline (2 s; --deadline or SESCTL_DEADLINE", r.err)
            self.assertIn("interrupted", r.err)  # what was done follows

    def test_a_deadline_that_is_not_seconds_is_a_usage_error(self):
        for args, env in ((["--deadline", "soon", "sync"], self.env()),
                          (["sync"], self.env(SESCTL_DEADLINE="-1")),
                          (["--deadline", "86401", "sync"], self.env())):
            r = self.sesctl(*args, env=env)
            self.assertExit(r, "USAGE")
            self.assertIn("whole seconds from 0", r.err)


class HostileBytes(CliTest):
    SEED = None

    @classmethod
    def setUpClass(cls):
        cls.server = QuietServer(("127.0.0.1", 0), HostileSts)
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()

    def env(self):
        e = self.base_env(emulator=False)
        e.update(AWS_ACCESS_KEY_ID="AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY="secret",
                 AWS_REGION="eu-west-1", AWS_MAX_ATTEMPTS="1",
                 AWS_ENDPOINT_URL=f"http://127.0.0.1:{self.server.server_address[1]}")
        return e

    def test_request_id_header_never_reaches_the_terminal_raw(self):
        HostileSts.request_id = "\x1b]52;c;ZXZpbA==\x07\x1b]0;owned\x07\x1b[2J"
        HostileSts.account = "123456789012"
        r = self.sesctl("-v", "whoami", env=self.env())
        self.assertEqual(r.code, 0, repr(r))
        self.assertIn("request id ?]52;c;ZXZpbA==??]0;owned??[2J", r.err)
        self.assertNotIn("\x1b", r.err + r.out)
        self.assertNotIn("\x07", r.err + r.out)

    def test_an_account_id_that_is_not_12_digits_is_a_bad_reply(self):
        HostileSts.request_id = "ok"
        for account in ("12345678901\u202e", "1234567890\u009b2J", "12345678901", "abcdefghijkl"):
            HostileSts.account = account
            r = self.sesctl("whoami", env=self.env())
            self.assertExit(r, "BAD_REPLY")
            self.assertIn("not 12 digits", r.err)
            self.assertNotIn("\u202e", r.err + r.out)
            self.assertNotIn("\u009b", r.err + r.out)


if __name__ == "__main__":
    unittest.main()
