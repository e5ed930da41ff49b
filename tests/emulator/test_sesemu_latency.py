"""--latency MIN-MAX (issue 21's fleet bench): every AWS request waits a random MIN..MAX ms
before its answer, admin calls do not, and concurrent requests wait at the same time (the
server serves each request in its own thread and sleeps outside the moto lock). No
wall-clock upper limit here: the assertions are lower bounds and the server's own record
of when each delay ran."""

import os
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from emutest import EmuTestCase  # noqa: E402
from sesemu import parse_latency  # noqa: E402

MIN_MS, MAX_MS = 400, 600


class LatencyTest(EmuTestCase):
    SEED = "fleet:4x2"
    ARGS = ("--latency", f"{MIN_MS}-{MAX_MS}")

    def test_parse(self):
        self.assertEqual(parse_latency("30-80"), (30.0, 80.0))
        self.assertEqual(parse_latency("50"), (50.0, 50.0))
        for bad in ("80-30", "x", "-5", "1-y"):
            with self.assertRaises(Exception, msg=bad):
                parse_latency(bad)

    def test_every_aws_request_waits_at_least_min(self):
        self.emu.requests(clear=True)
        for _ in range(3):
            t0 = time.monotonic()
            self.v2.get_account()
            self.assertGreaterEqual(time.monotonic() - t0, MIN_MS / 1000.0)
        log = self.emu.requests()
        self.assertEqual([q["op"] for q in log], ["GetAccount"] * 3)
        for q in log:
            d = q["delayed"]
            self.assertTrue(MIN_MS <= d["ms"] <= MAX_MS, d)
            self.assertGreaterEqual(d["end"] - d["start"], MIN_MS / 1000.0)

    def test_admin_calls_are_not_delayed(self):
        self.emu.requests(clear=True)
        for _ in range(3):
            self.emu.admin("GET", "health")
        self.assertEqual(self.emu.requests(), [], "admin calls are not SES requests")

    def test_concurrent_requests_wait_at_the_same_time(self):
        # one client per thread (different accounts and regions, as a fleet sync does);
        # clients are built first so the threads only send
        cells = [(alias, region) for alias in ("prod-eu", "prod-us", "staging", "dev")
                 for region in ("eu-west-1", "us-east-1")]
        clients = [self.emu.client("sesv2", account=a, region=r) for a, r in cells]
        self.emu.requests(clear=True)
        go = threading.Barrier(len(clients))
        errors = []

        def call(c):
            try:
                go.wait()
                c.get_account()
            except Exception as e:   # noqa: BLE001 - reported below
                errors.append(e)

        threads = [threading.Thread(target=call, args=(c,)) for c in clients]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        log = [q for q in self.emu.requests() if q["op"] == "GetAccount"]
        self.assertEqual(len(log), len(clients))
        self.assertEqual({q["account"] for q in log}, {self.emu.account(a)["id"] for a, _ in cells})
        # a serial server would start each delay after the previous one ended; here every
        # delay began before any of them finished, so all of them overlapped
        last_start = max(q["delayed"]["start"] for q in log)
        first_end = min(q["delayed"]["end"] for q in log)
        self.assertLess(last_start, first_end, log)


if __name__ == "__main__":
    unittest.main()
