"""Two sesctl processes syncing into the same cache at once (two SSH sessions of one operator):
neither fails with a locked database, neither waits forever, the cache stays sound and holds
every identity once. Also when both start on no cache at all, and when both find the same
damaged cache (it is moved aside once, not twice).

Size: SESCTL_CONCURRENCY_ROUNDS (default 3; `make soak` runs 20) over SESCTL_CONCURRENCY_IDENTITIES
(default 150).
"""

import glob
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hardtest import HardTest, env_int, report  # noqa: E402

ROUNDS = env_int("SESCTL_CONCURRENCY_ROUNDS", 3)
K = env_int("SESCTL_CONCURRENCY_IDENTITIES", 150)
HANG = 900   # seconds: only a ceiling against a deadlock, far above a normal run


class TwoSessions(HardTest):
    SEED = f"bulk:{K}"

    def together(self, *argvs, env):
        procs = [self.popen(*a, env=env) for a in argvs]
        out = []
        for p, a in zip(procs, argvs):
            o, e = p.communicate(timeout=HANG)
            self.assertNoSanitizerReport(e, a)
            out.append((p.returncode, o, e))
        return out

    def assertSound(self, env):
        self.assertIntegrity(self.cache)
        r = self.sesctl("identities", "list", "--offline", "--json", env=env)
        self.assertEqual(r.code, 0, repr(r))
        names = [i["name"] for i in r.json()]
        self.assertEqual(len(names), len(set(names)), "an identity is cached twice")
        self.assertEqual(len(names), K)

    def test_two_syncs_at_once(self):
        env = self.env()
        # both start on no cache at all: one creates it, the other waits and uses it
        res = self.together(("sync",), ("sync",), env=env)
        for code, o, e in res:
            self.assertEqual(code, 0, e.decode(errors="replace"))
        self.assertSound(env)
        for i in range(ROUNDS):
            res = self.together(("sync", "--force"), ("sync", "--force"), ("identities", "list", "--offline"),
                                ("log", "--json"), env=env)
            for code, o, e in res:
                self.assertEqual(code, 0, f"round {i}: {e.decode(errors='replace')}")
                self.assertNotIn(b"locked", e.lower())
            self.assertSound(env)
        report(f"concurrency rounds={ROUNDS} identities={K} two_force_syncs_plus_readers=ok")

    def test_both_find_a_damaged_cache(self):
        env = self.env()
        self.assertEqual(self.sesctl("sync", env=env).code, 0)
        with open(self.cache, "r+b") as f:
            f.write(b"garbage garbage garbage garbage!" * 8)
        for p in glob.glob(self.cache + "-*"):
            os.unlink(p)
        res = self.together(("sync",), ("sync",), env=env)
        for code, o, e in res:
            self.assertEqual(code, 0, e.decode(errors="replace"))
        moved = glob.glob(self.cache + ".corrupt-*")
        self.assertEqual(len([m for m in moved if not m.endswith(("-wal", "-shm"))]), 1, moved)
        warned = [e for _, _, e in res if b"unusable" in e]
        self.assertEqual(len(warned), 1, "exactly one of the two rebuilt the cache and said so")
        self.assertSound(env)


if __name__ == "__main__":
    unittest.main()
