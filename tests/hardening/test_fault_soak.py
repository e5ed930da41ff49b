"""Fault soak: a full `sesctl sync` of a bulk account while the emulator throttles 30 % of
calls, fails 5 % with 5xx (3 % 503, 2 % 500), drops 2 % of connections and truncates 1 % of
bodies (seeded). With AWS_MAX_ATTEMPTS high enough the sync completes, and the cache then
equals the emulator's state field by field (read with boto3): nothing lost, nothing twice.

Size: SESCTL_SOAK_IDENTITIES (default 200 for `make check`; `make soak` runs 2000).
The figures (calls, retries, time) are printed as FIGURE lines for doc/reliability.md.
"""

import collections
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hardtest import HardTest, env_int, report  # noqa: E402

N = env_int("SESCTL_SOAK_IDENTITIES", 200)
STRICT = env_int("SESCTL_SOAK_STRICT", 1 if N <= 500 else 0)
FAULTS = [{"kind": "throttle", "rate": 0.30}, {"kind": "error503", "rate": 0.03},
          {"kind": "error500", "rate": 0.02}, {"kind": "drop", "rate": 0.02},
          {"kind": "truncate", "rate": 0.01}]


class FaultSoak(HardTest):
    SEED = f"bulk:{N}"

    def test_sync_under_faults_equals_the_emulator(self):
        env = self.env(AWS_MAX_ATTEMPTS=25)
        self.emu.requests(clear=True)
        self.emu.set_faults(rules=FAULTS, seed=int(os.environ.get("SESCTL_SOAK_SEED", "20261124")))
        t0 = time.monotonic()
        passes = []
        try:
            # SDK standard mode spends a 500-token retry budget (5 per retry, 10 per timeout,
            # refunded by successes); a long sync under sustained 30 % throttling can drain it,
            # and the calls that find it empty fail as throttled. The sync then reports PARTIAL
            # and the next one fetches only what is missing. Small runs must finish in one pass.
            for _ in range(3):
                r = self.sesctl("sync", "--json", env=env, timeout=3600)
                self.assertIn(r.code, (0, 9), repr(r))
                rep = r.json()[0]
                passes.append(rep)
                bad = {k: v for k, v in rep["kinds"].items() if v["status"] != "OK"}
                if r.code == 0:
                    self.assertEqual(bad, {})
                    break
                for kind, v in bad.items():   # a kind stops part-way, keeping what it had
                    self.assertEqual(v["status"], "PARTIAL", f"{kind}: {v}")
        finally:
            stats = self.emu.faults()
            self.emu.clear_faults()
        wall = time.monotonic() - t0
        self.assertEqual(r.code, 0, f"not complete after {len(passes)} passes: {r!r}")
        if STRICT:
            self.assertEqual(len(passes), 1, "the retry budget ran dry on a small account")
        self.assertEqual(passes[0]["kinds"]["identities"]["count"], N)
        self.assertEqual(passes[0]["details_fetched"], N)
        counts = stats["counts"]
        # the faults really happened (else this test proves nothing)
        self.assertGreater(sum(counts.values()), 0, "no fault was injected")
        for rule in FAULTS:   # each kind that should have hit a few times did
            if rule["rate"] * stats["requests"] >= 5:
                self.assertGreater(counts.get(rule["kind"], 0), 0, f"no {rule['kind']}: {counts}")

        mine = self.sesctl("identities", "list", "--json", "--offline", env=env)
        self.assertEqual(mine.code, 0, repr(mine))
        self.assertCacheMatches(mine.json(), self.boto_identities())

        log = self.sesctl("log", "--json", "--limit", "1000000", env=env)
        self.assertEqual(log.code, 0, repr(log))
        calls = log.json()
        ops = collections.Counter(c["operation"] for c in calls)
        retries = sum(c.get("retries") or 0 for c in calls)
        failed = [c for c in calls if c["status"] != "OK"]
        # with the budget empty, a throttle, a 5xx, a dropped or a truncated reply is final
        transient = [c for c in failed if c["status"] in ("THROTTLED", "ERR", "NETWORK", "BAD_REPLY")]
        why = collections.Counter(c["status"] for c in failed)
        self.assertGreaterEqual(ops["GetEmailIdentity"], N)
        self.assertGreater(retries, 0, "faults were injected but the log shows no retry")
        self.assertEqual(failed, transient, "a call failed for a reason no fault explains")
        if STRICT:
            self.assertEqual(failed, [], "a call failed after its retries")
        served = stats["requests"]
        report(f"soak identities={N} passes={len(passes)} seconds={wall:.1f} "
               f"sync_seconds={'+'.join(format(p['seconds'], '.1f') for p in passes)} "
               f"calls_failed_after_budget={dict(why)} "
               f"logged_calls={len(calls)} retries={retries} emulator_requests={served} "
               f"faults={dict(counts)} max_retries_one_call={max((c.get('retries') or 0) for c in calls)}")
        # every request the emulator saw is a logged call or one of its retries
        self.assertEqual(served, len(calls) + retries, "requests the log does not account for")


if __name__ == "__main__":
    unittest.main()
