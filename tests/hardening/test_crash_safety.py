"""Crash safety of the cache.

- kill -9 at seeded random moments of a `sesctl sync --force` (every identity detail is
  fetched and written again, so kills land in transfers and in writes): after each kill
  `PRAGMA integrity_check` is ok, and the next sync completes with every identity.
- a damaged cache file (garbage header, truncated, not sqlite at all, scrambled pages) is detected,
  moved aside as cache.sqlite3.corrupt-*, rebuilt, and the CLI says so on stderr.

Size: SESCTL_CRASH_RUNS kills (default 6; `make soak` runs 50) over SESCTL_CRASH_IDENTITIES
identities (default 120; soak 300); SESCTL_CRASH_SEED picks the moments.
"""

import glob
import os
import random
import signal
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hardtest import HardTest, env_int, report  # noqa: E402

RUNS = env_int("SESCTL_CRASH_RUNS", 6)
K = env_int("SESCTL_CRASH_IDENTITIES", 120)
SEED = env_int("SESCTL_CRASH_SEED", 9)


class KillNine(HardTest):
    SEED = f"bulk:{K}"

    def count_offline(self, env):
        r = self.sesctl("identities", "list", "--offline", "--json", env=env)
        self.assertEqual(r.code, 0, repr(r))
        names = [i["name"] for i in r.json()]
        self.assertEqual(len(names), len(set(names)), "an identity is cached twice")
        return len(names)

    def test_kill_during_sync(self):
        env = self.env()
        # a little latency on the detail calls spreads the sync over time
        self.emu.set_faults(rules=[{"kind": "latency", "rate": 0.2, "ms": 30, "operation": "GetEmailIdentity"}],
                            seed=SEED)
        try:
            t0 = time.monotonic()
            r = self.sesctl("sync", env=env, timeout=1200)
            full = time.monotonic() - t0
            self.assertEqual(r.code, 0, repr(r))
            self.assertEqual(self.count_offline(env), K)
            rng = random.Random(SEED)
            killed = finished = 0
            for i in range(RUNS):
                delay = rng.uniform(0.0, full * 1.2)
                p = self.popen("sync", "--force", env=env)
                try:
                    p.wait(timeout=delay)
                except Exception:
                    pass
                if p.poll() is None:
                    os.kill(p.pid, signal.SIGKILL)
                    killed += 1
                else:
                    finished += 1
                p.communicate(timeout=600)
                self.assertIntegrity(self.cache, f"run {i}: integrity after kill -9 at {delay:.2f}s")
                for extra in glob.glob(self.cache + "-*"):   # no stray journal files but WAL/SHM
                    self.assertRegex(extra, r"-(wal|shm)$")
                # what survived is consistent: no identity twice, never more than exist
                self.assertLessEqual(self.count_offline(env), K)
                r = self.sesctl("sync", env=env, timeout=1200)
                self.assertEqual(r.code, 0, f"run {i}: the sync after the kill: {r!r}")
                self.assertEqual(self.count_offline(env), K, f"run {i}")
            self.assertIntegrity(self.cache)
            self.assertFalse(glob.glob(self.cache + ".corrupt-*"), "a killed sync left a cache that was moved aside")
            self.assertGreater(killed, 0, "no run was killed mid-sync")
            report(f"kill9 runs={RUNS} identities={K} killed_mid_sync={killed} finished_first={finished} "
                   f"full_sync_seconds={full:.1f} seed={SEED}")
        finally:
            self.emu.clear_faults()


class KillMutation(HardTest):
    """kill -9 while `sending pause` waits on the service: the cache stays sound, the next
    sync shows what the service really has, and pause/resume work afterwards."""
    SEED = "demo"

    def test_kill_during_pause(self):
        env = self.env()
        self.assertEqual(self.sesctl("sync", env=env).code, 0)
        self.emu.requests(clear=True)
        self.emu.set_faults(rules=[{"kind": "latency", "rate": 1.0, "ms": 1500,
                                    "operation": "PutAccountSendingAttributes"}])
        try:
            p = self.popen("sending", "pause", "--reason", "killed midway", "--yes", env=env)
            # the emulator lists a request once answered: wait for the one before the pause
            # (STS), then give the slow PutAccountSendingAttributes a moment to be sent
            for _ in range(1000):
                if self.emu.requests() or p.poll() is not None:
                    break
                time.sleep(0.01)
            time.sleep(0.5)
            self.assertIsNone(p.poll(), "the pause finished before it could be killed")
            os.kill(p.pid, signal.SIGKILL)
            p.communicate(timeout=120)
        finally:
            self.emu.clear_faults()
        for _ in range(500):                           # the emulator finishes the slow call
            put = [q for q in self.emu.requests() if q.get("op") == "PutAccountSendingAttributes"]
            if put:
                break
            time.sleep(0.01)
        self.assertTrue(put, "the pause request never reached the service: nothing was tested")
        self.assertIntegrity(self.cache)
        self.assertEqual(self.sesctl("sync", "--kind", "account", env=env).code, 0)
        mine = self.sesctl("account", "--json", "--offline", env=env).json()
        theirs = self.emu.client("sesv2").get_account()["SendingEnabled"]
        self.assertEqual(mine["sending_enabled"], theirs)
        audit = self.sesctl("audit", "--json", env=env)
        self.assertEqual(audit.code, 0, repr(audit))
        # the killed attempt left its "started" row, written before the call: whoever comes
        # next sees that someone tried to pause, when and why, though not the outcome
        started = [a for a in audit.json() if a["verb"] == "sending pause"]
        self.assertEqual([a["result"] for a in started], ["started"])
        self.assertIn("killed midway", started[0]["command"])
        report(f"kill_during_pause service_paused={not theirs} put_status={put[0].get('status')} "
               f"audit_rows={len(audit.json())}")
        for verb in (("sending", "pause", "--reason", "again", "--yes"), ("sending", "resume", "--reason", "recovered", "--yes")):
            r = self.sesctl(*verb, env=env)
            self.assertEqual(r.code, 0, repr(r))
        self.assertTrue(self.emu.client("sesv2").get_account()["SendingEnabled"])
        self.assertIntegrity(self.cache)


class Damaged(HardTest):
    SEED = "bulk:20"

    def damage_and_check(self, how):
        env = self.env()
        self.assertEqual(self.sesctl("sync", env=env).code, 0)
        size = os.path.getsize(self.cache)
        self.assertGreater(size, 4096)
        how(self.cache, size)
        r = self.sesctl("identities", "list", "--offline", "--json", env=env)
        # the rebuilt cache is empty: offline there is nothing to show, and it says why
        self.assertExit(r, "NOT_FOUND")
        self.assertEqual(r.out, "", "a damaged cache was read as if it were fine")
        moved = sorted(glob.glob(self.cache + ".corrupt-*"))
        self.assertTrue(moved, "the damaged file was not moved aside")
        self.assertIn("unusable", r.err)
        self.assertIn(moved[0], r.err, "the warning names where the damaged file went")
        self.assertIn("rebuilt", r.err)
        # said once: the next run finds a sound (empty) cache and says nothing about it
        again = self.sesctl("identities", "list", "--offline", "--json", env=env)
        self.assertNotIn("unusable", again.err)
        r = self.sesctl("sync", env=env)
        self.assertEqual(r.code, 0, repr(r))
        self.assertIntegrity(self.cache)
        r = self.sesctl("identities", "list", "--offline", "--json", env=env)
        self.assertEqual(len(r.json()), 20)
        return moved

    def test_garbage_header(self):
        def how(path, size):
            with open(path, "r+b") as f:
                f.write(b"this is not a database file at all" * 4)
        self.damage_and_check(how)

    def test_truncated(self):
        def how(path, size):
            os.truncate(path, size // 2 - 100)
        self.damage_and_check(how)

    def test_text_file(self):
        def how(path, size):
            with open(path, "w") as f:
                f.write("[default]\nregion = eu-west-1\n")
        self.damage_and_check(how)

    def test_pages_overwritten(self):
        def how(path, size):
            rng = random.Random(3)
            with open(path, "r+b") as f:     # keep the header, scramble the b-tree pages
                for page in range(1, size // 4096):
                    f.seek(page * 4096 + 8)
                    f.write(bytes(rng.randrange(256) for _ in range(64)))
        self.damage_and_check(how)


if __name__ == "__main__":
    unittest.main()
