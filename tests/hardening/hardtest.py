"""Helpers shared by the hardening suites (tests/hardening/test_*.py), on top of clitest.

    class T(HardTest):
        SEED = "bulk:200"
        def test_x(self):
            r = self.run_bytes("sync")          # stdout/stderr as bytes
            self.assertIntegrity(self.cache)     # PRAGMA integrity_check == ok

Sizes come from the environment so `make check` runs a scaled-down version and `make soak`
the full one (SESCTL_SOAK_IDENTITIES, SESCTL_CRASH_RUNS, ...): see doc/reliability.md.
"""

import datetime
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.environ.get("SESCTL_ROOT") or os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "cli"))
from clitest import BIN, EXIT, CliTest, Result, Sesemu  # noqa: E402,F401
from sesemu_fixture import ACCESS_KEY, SECRET_KEY  # noqa: E402,F401


def env_int(name, default):
    v = os.environ.get(name)
    return int(v) if v else default


def report(line):
    """A figure for doc/reliability.md; tests/run.sh keeps stderr in its log."""
    print(f"FIGURE {line}", file=sys.stderr, flush=True)


class BytesResult:
    def __init__(self, proc):
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def json(self):
        return json.loads(self.out)

    def __repr__(self):
        return f"<exit {self.code}\nstdout:\n{self.out[-3000:]!r}\nstderr:\n{self.err[-3000:]!r}>"


class HardTest(CliTest):
    def setUp(self):
        super().setUp()
        self.cache = os.path.join(self.home, ".cache", "sesctl", "cache.sqlite3")

    def env(self, **extra):
        e = self.base_env()
        e.update({k: str(v) for k, v in extra.items()})
        return e

    def run_bytes(self, *args, env=None, timeout=600):
        proc = subprocess.run([BIN, *args], env=env or self.base_env(), capture_output=True,
                              timeout=timeout, stdin=subprocess.DEVNULL)
        self.assertNoSanitizerReport(proc.stderr, args)
        return BytesResult(proc)

    def sesctl(self, *args, **kw):
        r = super().sesctl(*args, **kw)
        self.assertNoSanitizerReport(r.err.encode(errors="replace"), args)
        return r

    def assertNoSanitizerReport(self, err, args):
        """Under `make asan` (an ASan+UBSan sesctl) a report on stderr fails the test even
        where a non-zero exit is expected."""
        for mark in (b"Sanitizer", b"runtime error:"):
            self.assertNotIn(mark, err, f"{args}: {err[-3000:]!r}")

    def popen(self, *args, env=None):
        return subprocess.Popen([BIN, *args], env=env or self.base_env(), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)

    def integrity(self, path):
        r = subprocess.run(["sqlite3", path, "PRAGMA integrity_check;"], capture_output=True, text=True,
                           timeout=120)
        return (r.stdout + r.stderr).strip()

    def assertIntegrity(self, path, msg=""):
        self.assertEqual(self.integrity(path), "ok", msg)

    # ---- the emulator's view, read with boto3 ------------------------------------------------
    def boto_identities(self, region=None):
        """Every identity with its GetEmailIdentity detail, keyed by name."""
        v2 = self.emu.client("sesv2", region=region, max_attempts=10)
        out, token = {}, None
        while True:
            page = v2.list_email_identities(PageSize=1000, **({"NextToken": token} if token else {}))
            for i in page["EmailIdentities"]:
                self.assertNotIn(i["IdentityName"], out, "emulator listed an identity twice")
                out[i["IdentityName"]] = dict(i)
            token = page.get("NextToken")
            if not token:
                break
        for name, i in out.items():
            d = v2.get_email_identity(EmailIdentity=name)
            d.pop("ResponseMetadata", None)
            i["detail"] = d
        return out

    def assertCacheMatches(self, mine, theirs):
        """mine: `identities list --json` rows; theirs: boto_identities(). Field by field."""
        names = [m["name"] for m in mine]
        self.assertEqual(len(names), len(set(names)), "an identity is listed twice")
        self.assertEqual(set(names), set(theirs), "identities lost or invented")
        for m in mine:
            t = theirs[m["name"]]
            d = t["detail"]
            dk = d.get("DkimAttributes", {})
            mf = d.get("MailFromAttributes", {})
            exp = {
                "type": t["IdentityType"],
                "verification_status": d.get("VerificationStatus", t.get("VerificationStatus")),
                "sending_enabled": t["SendingEnabled"],
                "verified_for_sending": d.get("VerifiedForSendingStatus"),
                "feedback_forwarding": d.get("FeedbackForwardingStatus"),
                "dkim_signing_enabled": dk.get("SigningEnabled"),
                "dkim_status": dk.get("Status"),
                "dkim_origin": dk.get("SigningAttributesOrigin"),
                "dkim_current_key_length": dk.get("CurrentSigningKeyLength"),
                "dkim_next_key_length": dk.get("NextSigningKeyLength"),
                "dkim_tokens": dk.get("Tokens", []),
                "mail_from_domain": mf.get("MailFromDomain"),
                "mail_from_status": mf.get("MailFromDomainStatus"),
                "mail_from_on_mx_failure": mf.get("BehaviorOnMxFailure"),
                "configuration_set": d.get("ConfigurationSetName"),
                "tags": {x["Key"]: x["Value"] for x in d.get("Tags", [])},
                "policies": {k: json.loads(v) for k, v in d.get("Policies", {}).items()},
            }
            got = dict(m)
            got["policies"] = {k: (json.loads(v) if isinstance(v, str) else v)
                               for k, v in (m.get("policies") or {}).items()}
            got["dkim_tokens"] = m.get("dkim_tokens") or []
            got["tags"] = m.get("tags") or {}
            for k, v in exp.items():
                self.assertEqual(got.get(k), v, f"{m['name']}: {k}")
            self.assertTrue(m["has_details"], m["name"])
            ts = dk.get("LastKeyGenerationTimestamp")
            if ts is not None:
                want = ts.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
                self.assertEqual(m.get("dkim_last_key_generation"), want, m["name"])


class HttpFixture:
    """tests/unit/httpfixture.py (scripted HTTP/HTTPS server on 127.0.0.1) as a context manager.

        with HttpFixture({"default": {"status": 400, "body": "..."}}, tmpdir) as srv:
            srv.url            # http://127.0.0.1:PORT (https:// with cert/key)
            srv.requests()     # what it received, oldest first
    """

    def __init__(self, script, tmpdir, cert=None, key=None):
        self.script_path = os.path.join(tmpdir, f"script-{id(self)}.json")
        self.log_path = os.path.join(tmpdir, f"requests-{id(self)}.jsonl")
        with open(self.script_path, "w") as f:
            json.dump(script, f)
        self.tls = bool(cert)
        self.argv = [sys.executable, os.path.join(ROOT, "tests", "unit", "httpfixture.py"),
                     self.script_path, self.log_path] + ([cert, key] if cert else [])

    def __enter__(self):
        self.proc = subprocess.Popen(self.argv, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, text=True)
        self.port = int(self.proc.stdout.readline())
        self.url = f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"
        return self

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait(timeout=30)
        self.proc.stdout.close()

    def requests(self):
        with open(self.log_path) as f:
            return [json.loads(line) for line in f if line.strip()]


BIDI = set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))


def hostile_bytes_in(data):
    """What in data (bytes sesctl printed) a terminal would act on: invalid UTF-8 (a raw 8-bit
    CSI 0x9b among it), C0 controls but TAB and LF, DEL, C1 controls, bidi overrides and
    isolates. Returns a list of descriptions; empty when the output is inert."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return [f"invalid UTF-8 at byte {e.start}: {data[max(0, e.start - 20):e.start + 10]!r}"]
    found = []
    for i, ch in enumerate(text):
        cp = ord(ch)
        if (cp < 0x20 and ch not in "\t\n") or 0x7F <= cp <= 0x9F or cp in BIDI:
            found.append(f"U+{cp:04X} at {i}: {text[max(0, i - 20):i + 10]!r}")
    return found


def fuzz_seeds():
    """tests/fuzz/seeds.py as a module (its name collides with tests/emulator/seeds.py)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("fuzz_seeds", os.path.join(ROOT, "tests", "fuzz", "seeds.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod
