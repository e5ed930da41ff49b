"""Secrets never leave memory: after a full CLI run (sync, identity create --generate-key,
pause/resume, -v, a failing call, whoami) with AWS_SESSION_TOKEN set to a marker, neither the
secret key, the session token nor the BYODKIM private key body is in the cache (with its WAL
and SHM while a sesctl is running; the audit trail and API log are tables in it), any file
sesctl wrote, or stdout/stderr.
The same with credentials from a credential_process. Core dumps are off while secrets are in
memory: a sesctl blocked on a slow emulator shows "Max core file size 0" in /proc/PID/limits
even when started with an unlimited core limit.
"""

import os
import resource
import shutil
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hardtest import HardTest, SECRET_KEY  # noqa: E402

TOKEN = "FwoGZXIvYXdzEXAMPLE-SESSION-TOKEN-MARKER-7f3a9c2e1d"
PROC_SECRET = "procSECRETkeyMARKER/0123456789abcdefghijklmnopq"
PROC_TOKEN = "PROC-SESSION-TOKEN-MARKER-55aa66bb77cc"


def public_body(private_b64):
    """The base64 body of the public key that goes with a PEM private key body."""
    pem = "-----BEGIN PRIVATE KEY-----\n" + private_b64 + "\n-----END PRIVATE KEY-----\n"
    r = subprocess.run(["openssl", "pkey", "-pubout"], input=pem, capture_output=True, text=True, check=True)
    return "".join(line for line in r.stdout.splitlines() if not line.startswith("-----"))


class Secrets(HardTest):
    SEED = "demo"

    def setUp(self):
        super().setUp()
        self.emu.reset("demo")
        self.outputs = []

    def run_and_keep(self, *args, env):
        r = self.run_bytes(*args, env=env)
        self.outputs.append((" ".join(args), r))
        return r

    def needles(self, key_body=None):
        n = {"secret key": SECRET_KEY.encode(), "session token": TOKEN.encode(),
             "secret key (url-encoded)": SECRET_KEY.replace("/", "%2F").encode(),
             "process secret": PROC_SECRET.encode(), "process token": PROC_TOKEN.encode()}
        if key_body:
            # slices of the private key's base64, but not those that are also in the public
            # key (the modulus is in both, and the public key is published on purpose)
            pub = public_body(key_body)
            for i in range(0, len(key_body) - 40, 100):
                if key_body[i:i + 40] not in pub:
                    n[f"private key [{i}:]"] = key_body[i:i + 40].encode()
        return n

    def scan(self, needles, skip=()):
        hits = []
        for root, _, files in os.walk(self.home):
            for f in files:
                path = os.path.join(root, f)
                if path in skip or os.path.islink(path):
                    continue
                with open(path, "rb") as fh:
                    data = fh.read()
                hits += [f"{what} in {path}" for what, n in needles.items() if n in data]
        for what_run, r in self.outputs:
            for what, n in needles.items():
                for stream, data in (("stdout", r.out), ("stderr", r.err)):
                    if n in data:
                        hits.append(f"{what} on {stream} of `{what_run}`")
        return hits

    def snapshot_wal(self, env):
        """Copy the cache's -wal/-shm while a sesctl holds them open (a slow call)."""
        self.emu.set_faults(rules=[{"kind": "latency", "rate": 1.0, "ms": 1500, "operation": "ListReceiptFilters"}])
        p = self.popen("sync", "--force", env=env)
        copies = []
        try:
            for _ in range(3000):                      # bounded: until the WAL is there
                if os.path.exists(self.cache + "-wal") or p.poll() is not None:
                    break
                time.sleep(0.01)
            time.sleep(0.2)                            # let it write a little more
            for ext in ("-wal", "-shm"):
                if os.path.exists(self.cache + ext):
                    shutil.copy(self.cache + ext, self.cache + ext + ".copy")
                    copies.append(ext)
        finally:
            p.communicate(timeout=120)
            self.emu.clear_faults()
        return copies

    @unittest.skipUnless(shutil.which("openssl"), "SKIP: the openssl command derives the public key")
    def test_env_credentials_and_byodkim_key(self):
        env = self.env(AWS_SESSION_TOKEN=TOKEN)
        keyfile = os.path.join(self.home, "dkim.pem")
        steps = [("sync",), ("-v", "sync", "--force"), ("identities", "list", "--json"),
                 ("identity", "create", "byo.shop.example", "--selector", "s1", "--generate-key",
                  "--write-key", keyfile),
                 ("identity", "show", "byo.shop.example", "--json"),
                 ("sending", "pause", "--reason", "secret scan", "--yes"),
                 ("sending", "resume", "--reason", "done", "--yes"),
                 ("identity", "create", "byo.shop.example", "--generate-key", "--selector", "s2",
                  "--write-key", keyfile + "2"),       # fails: exists (a failing mutation is audited)
                 ("whoami", "--json"), ("log", "--json"), ("audit", "--json"), ("account", "--json")]
        for s in steps:
            r = self.run_and_keep(*s, env=env)
            if s[0] not in ("identity",) or "--json" in s:
                self.assertEqual(r.code, 0, f"{s}: {r!r}")
        self.assertEqual(self.outputs[3][1].code, 0, repr(self.outputs[3][1]))
        self.assertEqual(os.stat(keyfile).st_mode & 0o777, 0o600)
        with open(keyfile) as f:
            pem = f.read()
        body = "".join(line for line in pem.splitlines() if not line.startswith("-----"))
        self.assertGreater(len(body), 800)
        self.assertGreater(len(self.needles(body)), 10, "too few private-only slices to look for")
        # the emulator got the key (so it was really sent) and the token (so it was really used)
        got = self.emu.client("sesv2").get_email_identity(EmailIdentity="byo.shop.example")
        self.assertEqual(got["DkimAttributes"]["SigningAttributesOrigin"], "EXTERNAL")
        audit = next(r for what, r in self.outputs if what.startswith("audit")).json()
        self.assertGreaterEqual(len(audit), 4, "the audit trail (a file under XDG_STATE_HOME, inside the home) is scanned below")
        self.assertTrue(os.path.exists(os.path.join(self.home, ".local", "state", "sesctl", "audit.jsonl")))
        self.assertIn("-wal", self.snapshot_wal(env))
        hits = self.scan(self.needles(body), skip={keyfile, self.aws_config, self.aws_credentials})
        self.assertEqual(hits, [])
        # the scan can find things: the key file itself holds the body
        self.assertTrue(self.scan(self.needles(body), skip=set()), "the scan finds nothing even in the key file")

    def test_credential_process(self):
        helper = self.write(os.path.join(self.home, "helper.py"),
                            "import json\nprint(json.dumps({'Version': 1, 'AccessKeyId': 'AKIDEXAMPLE', "
                            f"'SecretAccessKey': {PROC_SECRET!r}, 'SessionToken': {PROC_TOKEN!r}}}))\n", 0o700)
        self.write(self.aws_config, f"[profile proc]\nregion = eu-west-1\n"
                                    f"credential_process = {sys.executable} {helper}\n")
        env = self.env()
        for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
            env.pop(k, None)
        for s in (("--profile", "proc", "whoami"), ("--profile", "proc", "-v", "sync"),
                  ("--profile", "proc", "sending", "pause", "--reason", "x", "--yes"),
                  ("--profile", "proc", "sending", "resume", "--yes")):
            r = self.run_and_keep(*s, env=env)
            # the emulator checks signatures with its own secret: these calls fail as
            # SignatureDoesNotMatch, which is what we want: an error path with secrets in play
            self.assertNotEqual(r.code, 3, f"{s}: {r!r}")
        self.assertIn(b"SignatureDoesNotMatch", self.outputs[0][1].err)
        self.assertEqual(self.scan(self.needles(), skip={helper, self.aws_config}), [])


class CoreDumps(HardTest):
    SEED = "empty"

    def test_core_limit_zero_while_running(self):
        self.emu.set_faults(rules=[{"kind": "latency", "rate": 1.0, "ms": 3000}])
        hard = resource.getrlimit(resource.RLIMIT_CORE)[1]

        def unlimited():
            resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))

        from hardtest import BIN
        p = subprocess.Popen([BIN, "sync"], env=self.env(AWS_SESSION_TOKEN=TOKEN), stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, preexec_fn=unlimited)
        try:
            for _ in range(500):                      # until a request is in flight
                if self.emu.requests():
                    break
                time.sleep(0.02)
            self.assertTrue(self.emu.requests(), "sesctl sent nothing")
            self.assertIsNone(p.poll(), "sesctl should still be waiting on the slow emulator")
            with open(f"/proc/{p.pid}/limits") as f:
                line = next(x for x in f if x.startswith("Max core file size"))
            soft, hard_now = line.split()[4:6]
            self.assertEqual(soft, "0", line)
            self.assertNotEqual(hard, 0, "the test could not start sesctl with core dumps allowed")
            with open(f"/proc/{p.pid}/status") as f:
                dumpable = [x for x in f if x.startswith("CoreDumping") or x.startswith("Name")]
            self.assertTrue(dumpable)
        finally:
            p.kill()
            p.wait()
            self.emu.clear_faults()


if __name__ == "__main__":
    unittest.main()
