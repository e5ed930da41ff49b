"""Libraries loaded on first use (src/util/libs.c): a run that only reads the cache never
loads libcurl, libcrypto, libxml2, GMime or libarchive; a run that goes online loads what it
uses and works. The dynamic loader says what it opened (LD_DEBUG=files)."""

import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import CliTest  # noqa: E402

LAZY = ("libcurl.so", "libcrypto.so", "libxml2.so", "libgmime-3.0.so", "libarchive.so")


def opened(stderr):
    """The shared objects the loader opened, by soname."""
    return set(re.findall(r"file=(\S+\.so[.\d]*) \[", stderr))


class Startup(CliTest):
    SEED = "demo"

    def traced(self, *args):
        env = self.base_env()
        env["LD_DEBUG"] = "files"
        return self.sesctl(*args, env=env)

    def assertNoneLoaded(self, r):
        libs = opened(r.err)
        self.assertTrue(libs, "LD_DEBUG=files printed nothing: " + r.err[-500:])
        self.assertFalse([l for l in libs if l.startswith(LAZY)], sorted(libs))

    def test_version_loads_none(self):
        r = self.traced("--version")
        self.assertEqual(r.code, 0, r)
        self.assertNoneLoaded(r)

    def test_cache_only_verbs_load_none(self):
        cache = os.path.join(self.home, "c.sqlite3")
        r = self.sesctl("--cache", cache, "sync")          # online: fills the cache
        self.assertEqual(r.code, 0, r)
        for args in (("identities", "list", "--json"), ("find", "example.com")):
            r = self.traced("--cache", cache, "--offline", *args)
            self.assertIn(r.code, (0, 5), r)                # find: 5 when nothing matches
            self.assertNoneLoaded(r)
        # the console's first frame and the rest of the list, headless, from the cache
        script = os.path.join(self.home, "script")
        with open(script, "w") as f:
            f.write(":save-display " + os.path.join(self.home, "screen") + "\n")
        env = self.base_env()
        env.update(LD_DEBUG="files", SESCTL_NO_DISPLAY="1", SESCTL_TEST_SCRIPT=script,
                   LINES="24", COLUMNS="80", TERM="xterm-256color")
        r = self.sesctl("--cache", cache, env=env)
        self.assertEqual(r.code, 0, r)
        with open(os.path.join(self.home, "screen")) as f:
            self.assertIn("accounts.example", f.read())
        self.assertNoneLoaded(r)

    def test_online_verb_loads_libcurl_and_works(self):
        r = self.traced("whoami", "--json")
        self.assertEqual(r.code, 0, r)
        libs = opened(r.err)
        self.assertTrue(any(l.startswith("libcurl.so") for l in libs), sorted(libs))
        self.assertTrue(any(l.startswith("libcrypto.so") for l in libs), sorted(libs))
        out = r.out[r.out.index("{"):]
        self.assertIn("123456789012", out)


if __name__ == "__main__":
    unittest.main()
