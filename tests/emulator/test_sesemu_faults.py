"""sesemu: fault injection happens at the configured rate (statistically, fixed seeds),
reproducibly, only for the operations named, and SES's per-operation rate limits."""

import http.client
import json
import os
import random
import sys
import unittest
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from botocore.exceptions import ClientError, ConnectionClosedError  # noqa: E402

from emutest import EmuTestCase, raw_request  # noqa: E402
from sesemu_fixture import Sesemu  # noqa: E402

N = 60
RATE = 0.25
# per kind, 2 x 60 requests at p=0.25: mean 30, sd 4.7; the band is +-3.5 sd. The exact
# count is checked too: each matching rule draws one random.Random(seed).random() per
# request, so the documented algorithm predicts it.
LOW, HIGH = 14, 46
SEED = 1234


def predicted_hits(seed, rate, n):
    rng = random.Random(seed)
    return sum(rng.random() < rate for _ in range(n))


def outcome(emu, family="v2"):
    """One request, classified by what a client sees on the wire."""
    if family == "v2":
        args = ("GET", "/v2/email/account")
    else:
        args = ("POST", "/", b"Action=ListIdentities&Version=2010-12-01",
                {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    try:
        status, headers, body = raw_request(emu, *args)
    except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
        return "drop"
    except http.client.IncompleteRead:
        return "truncate"
    ctype = headers.get("content-type", "")
    if status == 429 or (status == 400 and b"Throttling" in body):
        return "throttle"
    if status in (500, 503):
        return f"error{status}"
    if status == 200 and ctype.startswith("text/html"):
        return "content_type"
    try:
        if family == "v2":
            json.loads(body)
        else:
            ET.fromstring(body)
    except ValueError:
        return "malformed"
    except ET.ParseError:
        return "malformed"
    return "ok" if status == 200 else f"status{status}"


class Faults(EmuTestCase):
    def test_each_kind_at_its_rate(self):
        for kind in ("throttle", "error500", "error503", "drop", "truncate", "malformed", "content_type"):
            with self.subTest(kind=kind):
                self.emu.set_faults(rules=[{"kind": kind, "rate": RATE,
                                            "operation": ["GetAccount", "ListIdentities"]}], seed=SEED)
                hits = 0
                for family in ("v2", "v1"):
                    seen = [outcome(self.emu, family) for _ in range(N)]
                    self.assertEqual(seen.count(kind) + seen.count("ok"), N, set(seen))
                    self.assertGreater(seen.count(kind), 0, family)
                    hits += seen.count(kind)
                self.assertTrue(LOW <= hits <= HIGH, f"{kind}: {hits}/{2 * N}")
                self.assertEqual(hits, predicted_hits(SEED, RATE, 2 * N))
                self.assertEqual(self.emu.faults()["counts"].get(kind, 0), hits)

    def test_latency_rate_is_counted(self):
        self.emu.set_faults(rules=[{"kind": "latency", "rate": RATE, "ms": 1}], seed=99)
        for _ in range(2 * N):
            self.v2.get_account()
        hits = self.emu.faults()["counts"].get("latency", 0)
        self.assertTrue(LOW <= hits <= HIGH, hits)

    def test_same_seed_same_faults_other_seed_others(self):
        def run(seed):
            self.emu.set_faults(rules=[{"kind": "throttle", "rate": 0.5}], seed=seed)
            return [outcome(self.emu) for _ in range(40)]
        first, again, other = run(7), run(7), run(8)
        self.assertEqual(first, again)
        self.assertNotEqual(first, other)
        self.assertEqual(set(first), {"ok", "throttle"})

    def test_only_named_operations_fault(self):
        self.emu.set_faults(rules=[{"kind": "error500", "rate": 1.0, "operation": "GetAccount"}])
        self.assertEqual(self.v2.list_email_identities()["EmailIdentities"], [])
        self.assertAwsError("InternalServiceErrorException", self.v2.get_account, status=500)

    def test_sdk_sees_the_faults(self):
        self.emu.set_faults(rules=[{"kind": "throttle", "rate": 1.0, "operation": "ListIdentities"},
                                   {"kind": "drop", "rate": 1.0, "operation": "GetAccount"}])
        self.assertAwsError("Throttling", self.v1.list_identities, status=400)
        with self.assertRaises(ConnectionClosedError):
            self.v2.get_account()
        self.emu.clear_faults()
        # standard-mode retries get through a 50 % error rate
        self.emu.set_faults(rules=[{"kind": "error503", "rate": 0.5, "operation": "GetAccount"}], seed=3)
        retrying = self.emu.client("sesv2", max_attempts=10)
        for _ in range(5):
            retrying.get_account()

    def test_cloudwatch_faults_in_its_protocols(self):
        import datetime
        cw = self.emu.client("cloudwatch")          # botocore speaks smithy-rpc-v2-cbor to CloudWatch
        now = datetime.datetime.now(datetime.timezone.utc)
        kw = dict(Namespace="AWS/SES", MetricName="Send", StartTime=now - datetime.timedelta(hours=1),
                  EndTime=now, Period=3600, Statistics=["Sum"])
        cw.get_metric_statistics(**kw)
        self.emu.set_faults(rules=[{"kind": "throttle", "rate": 1.0, "operation": "GetMetricStatistics"}])
        self.assertAwsError("Throttling", cw.get_metric_statistics, status=400, **kw)
        self.emu.set_faults(rules=[{"kind": "error503", "rate": 1.0, "operation": "GetMetricStatistics"}])
        self.assertAwsError("ServiceUnavailable", cw.get_metric_statistics, status=503, **kw)

    def test_custom_and_real_rate_limits(self):
        self.emu.set_faults(rate_limits={"v1:ListReceiptFilters": 0.001})
        self.v1.list_receipt_filters()
        self.assertAwsError("Throttling", self.v1.list_receipt_filters, status=400)
        self.v1.list_identities()     # other operations are not limited
        self.emu.set_faults(real_rate_limits=True)
        table = self.emu.faults()["real_limits_table"]
        self.assertEqual(table["v1:SetReceiptRulePosition"], 1.0)
        self.assertEqual(table["v1:CreateReceiptRule"], 1.0)
        codes = []
        for _ in range(5):
            try:
                self.v1.list_receipt_rule_sets()
                codes.append("ok")
            except ClientError as e:
                codes.append(e.response["Error"]["Code"])
        self.assertIn("Throttling", codes)
        self.assertEqual(codes[0], "ok")
        for _ in range(5):
            self.v2.get_account()     # no documented limit: never throttled


class FaultFlags(unittest.TestCase):
    def test_faults_from_command_line_flags(self):
        with Sesemu(args=["--fault", "throttle:1:ListEmailIdentities", "--fault", "error503:0.5",
                          "--fault-seed", "5"]) as emu:
            v2 = emu.client("sesv2")
            with self.assertRaises(ClientError) as cm:
                v2.list_email_identities()
            self.assertEqual(cm.exception.response["Error"]["Code"], "TooManyRequestsException")
            cfg = emu.faults()
            self.assertEqual(cfg["seed"], 5)
            self.assertEqual([r["kind"] for r in cfg["rules"]], ["throttle", "error503"])
            self.assertEqual(cfg["rules"][0]["operation"], ["ListEmailIdentities"])


if __name__ == "__main__":
    unittest.main()
