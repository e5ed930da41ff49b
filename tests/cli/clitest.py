"""Shared harness for the CLI suites: a private HOME per test, the emulator, and a runner.

    class T(CliTest):
        SEED = "demo"                     # one emulator per TestCase class (None: no emulator)
        def test_x(self):
            r = self.sesctl("whoami", "--json")
            self.assertEqual(r.code, 0, r.err); data = r.json()
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.environ.get("SESCTL_ROOT") or os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("SESCTL_BIN") or os.path.join(ROOT, "sesctl")
sys.path.insert(0, os.path.join(ROOT, "tests", "emulator"))
from sesemu_fixture import Sesemu, ACCESS_KEY, SECRET_KEY  # noqa: E402

EXIT = {"OK": 0, "ERR": 1, "USAGE": 2, "CONFIG": 3, "AUTH": 4, "NOT_FOUND": 5, "THROTTLED": 6,
        "NETWORK": 7, "REFUSED": 8, "PARTIAL": 9, "BAD_REPLY": 10, "UNSUPPORTED": 11,
        "NOMEM": 12, "IO": 13, "CONFLICT": 14, "CANCELLED": 15, "DNS_NOT_OK": 16}


class Result:
    def __init__(self, proc):
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def json(self):
        return json.loads(self.out)

    def __repr__(self):
        return f"<exit {self.code}\nstdout:\n{self.out}\nstderr:\n{self.err}>"


class CliTest(unittest.TestCase):
    SEED = "empty"
    emu = None

    @classmethod
    def setUpClass(cls):
        if cls.SEED is not None:
            cls.emu = Sesemu(seed=cls.SEED).start()

    @classmethod
    def tearDownClass(cls):
        if cls.emu:
            cls.emu.stop()
            cls.emu = None

    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="sesctl-cli-")
        for d in (".aws", ".config", ".cache", ".local/state"):
            os.makedirs(os.path.join(self.home, d), exist_ok=True)
        self.aws_config = os.path.join(self.home, ".aws", "config")
        self.aws_credentials = os.path.join(self.home, ".aws", "credentials")
        open(self.aws_config, "w").close()
        open(self.aws_credentials, "w").close()

    def tearDown(self):
        shutil.rmtree(self.home, ignore_errors=True)

    def base_env(self, emulator=True):
        """A clean environment: nothing from the developer's AWS setup leaks in."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SESCTL_", "XDG_"))}
        env.update(HOME=self.home, XDG_CONFIG_HOME=os.path.join(self.home, ".config"),
                   XDG_CACHE_HOME=os.path.join(self.home, ".cache"),
                   XDG_STATE_HOME=os.path.join(self.home, ".local/state"),
                   AWS_CONFIG_FILE=self.aws_config, AWS_SHARED_CREDENTIALS_FILE=self.aws_credentials,
                   AWS_EC2_METADATA_DISABLED="true", LC_ALL="C.UTF-8", TZ="UTC", NO_COLOR="1")
        if emulator and self.emu:
            env = self.emu.env(env)
            env["AWS_MAX_ATTEMPTS"] = "1"
        return env

    def sesctl(self, *args, env=None, stdin=None, emulator=True, timeout=120):
        e = self.base_env(emulator) if env is None else env
        proc = subprocess.run([BIN, *args], env=e, input=stdin, capture_output=True, text=True,
                              timeout=timeout)
        return Result(proc)

    def write(self, path, text, mode=0o600):
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, mode)
        return path

    def assertExit(self, r, name):
        self.assertEqual(r.code, EXIT[name], f"expected exit {name}: {r!r}")
