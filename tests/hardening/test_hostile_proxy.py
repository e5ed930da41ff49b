"""Issue 19, "Done when": sesctl against the emulator behind a hostile proxy
(tests/hardening/hostile_proxy.py) that spoils chosen answers — an earlier page token coming
back, a body that trickles in a byte a second, a call that never answers, request ids full
of terminal escapes, numbers out of range. Each run must end by itself with a clear error
and leave the cache as it was; the subprocess timeout is only a net for a hang. Figures go
to stderr as FIGURE lines (doc/reliability.md)."""

import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hardtest import HardTest, hostile_bytes_in, report  # noqa: E402
from hostile_proxy import HostileProxy  # noqa: E402

SUPPRESSION = {"path": r"^/v2/email/suppression/addresses$", "method": "GET"}
IDENTITIES = {"path": r"^/v2/email/identities$", "method": "GET"}
ACCOUNT = {"path": r"^/v2/email/account$", "method": "GET"}


class HostileProxyTest(HardTest):
    SEED = "demo"

    def setUp(self):
        super().setUp()
        self.emu.reset("demo")
        self.proxy = HostileProxy(self.emu.url).start()

    def tearDown(self):
        self.proxy.stop()
        super().tearDown()

    def penv(self, **extra):
        e = self.env(**extra)
        e["AWS_ENDPOINT_URL"] = self.proxy.url
        return e

    def cached(self, *verb):
        r = self.sesctl(*verb, "--offline", "--json", env=self.penv())
        self.assertEqual(r.code, 0, repr(r))
        data = r.json()
        for row in data if isinstance(data, list) else [data]:
            row.pop("age", None)  # moves on with the clock
        return data

    def test_an_earlier_token_coming_back_keeps_the_previous_list(self):
        self.assertEqual(self.sesctl("sync", env=self.penv()).code, 0)
        before = self.cached("suppression", "list")
        self.assertTrue(before)
        self.proxy.set_rules([{"match": SUPPRESSION, "reply": "cycle_tokens",
                               "tokens": ["A", "B"]}])
        r = self.sesctl("sync", "--kind", "suppression", "--force", env=self.penv(), timeout=300)
        report(f"tokens A,B,A through the proxy (suppression): exit {r.code}, "
               f"{self.proxy.hits(0)} pages")
        self.assertExit(r, "PARTIAL")
        self.assertIn("repeated a page token (page 3 gave the token of page 1)", r.out)
        self.assertEqual(self.proxy.hits(0), 3)
        self.assertEqual(self.cached("suppression", "list"), before)

    def test_a_trickling_body_is_ended_by_the_deadline(self):
        self.proxy.set_rules([{"match": IDENTITIES, "reply": "trickle", "trickle_bytes": 1,
                               "trickle_interval": 0.5}])
        t0 = time.monotonic()
        r = self.sesctl("--deadline", "3", "sync", "--kind", "identities", env=self.penv(),
                        timeout=300)
        report(f"a body trickling 2 bytes a second, --deadline 3: exit {r.code} after "
               f"{time.monotonic() - t0:.1f} s")
        self.assertExit(r, "NETWORK")
        self.assertIn("stopped at the deadline (3 s", r.err)

    def test_a_call_that_never_answers_is_ended_by_the_deadline(self):
        self.assertEqual(self.sesctl("sync", env=self.penv()).code, 0)
        before = self.cached("identities", "list")
        self.proxy.set_rules([{"match": IDENTITIES, "reply": "stall"}])
        r = self.sesctl("--deadline", "3", "identities", "list", "--refresh", env=self.penv(),
                        timeout=300)
        self.assertExit(r, "NETWORK")
        self.assertIn("stopped at the deadline", r.err)
        self.assertEqual(self.cached("identities", "list"), before)

    def test_request_ids_with_escapes_never_reach_the_terminal(self):
        self.proxy.set_rules([{"match": {}, "reply": "hostile_headers"}])
        r = self.run_bytes("-v", "sync", "--kind", "account", env=self.penv())
        self.assertEqual(r.code, 0, repr(r))
        self.assertIn(b"request id", r.err)
        self.assertEqual(hostile_bytes_in(r.out + r.err), [])

    def test_numbers_out_of_range_are_a_bad_reply(self):
        self.assertEqual(self.sesctl("sync", "--kind", "account", env=self.penv()).code, 0)
        before = self.cached("account")
        self.proxy.set_rules([{"match": ACCOUNT, "reply": "big_numbers", "number": "1e400"}])
        r = self.sesctl("sync", "--kind", "account", "--force", env=self.penv())
        self.assertExit(r, "PARTIAL")
        self.assertIn("GetAccount: SendQuota.Max24HourSend is out of range", r.out)
        self.assertEqual(self.cached("account"), before)


if __name__ == "__main__":
    unittest.main()
