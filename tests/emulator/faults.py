"""Fault injection and SES's per-operation rate limits, reproducible with a seed.

A rule is {"kind": K, "rate": 0..1, "operation": "Op" or "*" or ["Op", ...], "ms": N}.
Kinds: throttle, error500, error503, latency (ms), drop (close the connection without a
reply), truncate (half the body, then close), malformed (a body that does not parse),
content_type (an HTML page with 200, as a captive proxy would send), denied (an access
denial naming the operation, as IAM gives credentials without the permission).

Every matching rule draws one number from one random.Random(seed) per request, so the same
seed and the same sequence of requests give the same faults.
"""

import random
import threading
import time
from collections import Counter

KINDS = ("throttle", "error500", "error503", "latency", "drop", "truncate", "malformed", "content_type",
         "denied")

# Documented SES quotas ("no more than once per second" for every v1 control-plane call
# below; BatchGetMetricData 16/s; the identity policy calls and ListRecommendations 1/s).
_V1_ONE_PER_SECOND = (
    "ListReceiptRuleSets DescribeActiveReceiptRuleSet DescribeReceiptRuleSet DescribeReceiptRule "
    "CreateReceiptRuleSet DeleteReceiptRuleSet SetActiveReceiptRuleSet CloneReceiptRuleSet "
    "CreateReceiptRule UpdateReceiptRule DeleteReceiptRule SetReceiptRulePosition ReorderReceiptRuleSet "
    "ListReceiptFilters CreateReceiptFilter DeleteReceiptFilter GetSendStatistics GetSendQuota "
    "GetAccountSendingEnabled UpdateAccountSendingEnabled "
    "GetIdentityNotificationAttributes SetIdentityNotificationTopic SetIdentityHeadersInNotificationsEnabled "
    "SetIdentityFeedbackForwardingEnabled").split()
REAL_LIMITS = {("v1", op): 1.0 for op in _V1_ONE_PER_SECOND}
REAL_LIMITS.update({("v2", "BatchGetMetricData"): 16.0})
REAL_LIMITS.update({("v2", op): 1.0 for op in ("CreateEmailIdentityPolicy", "GetEmailIdentityPolicies",
                                               "UpdateEmailIdentityPolicy", "DeleteEmailIdentityPolicy",
                                               "ListRecommendations")})


class Faults:
    def __init__(self):
        self.lock = threading.Lock()
        self.service_limits = {}
        self.configure({})

    def set_service_limit(self, family, op, rate):
        """A limit that stays through configure() (the emulator's own flags, e.g.
        --cloudtrail-rate); rate None or 0 removes it."""
        with self.lock:
            if rate:
                self.service_limits[(family, op)] = float(rate)
            else:
                self.service_limits.pop((family, op), None)

    def configure(self, cfg):
        rules = []
        for r in cfg.get("rules", []):
            kind = r.get("kind")
            if kind not in KINDS:
                raise ValueError(f"unknown fault kind {kind!r}; one of {', '.join(KINDS)}")
            rate = float(r.get("rate", 1.0))
            if not 0 <= rate <= 1:
                raise ValueError("rate must be within 0..1")
            ops = r.get("operation", "*")
            rules.append({"kind": kind, "rate": rate, "operation": ops, "ms": int(r.get("ms", 200))})
        with self.lock:
            self.seed = int(cfg.get("seed", 0))
            self.rng = random.Random(self.seed)
            self.rules = rules
            self.real_limits = bool(cfg.get("real_rate_limits", False))
            self.custom_limits = {tuple(k.split(":", 1)) if ":" in k else ("*", k): float(v)
                                  for k, v in cfg.get("rate_limits", {}).items()}
            self.buckets = {}
            self.counts = Counter()
            self.requests = 0

    def describe(self):
        with self.lock:
            return {"seed": self.seed, "rules": self.rules, "real_rate_limits": self.real_limits,
                    "rate_limits": {f"{f}:{o}": r for (f, o), r in self.custom_limits.items()},
                    "service_limits": {f"{f}:{o}": r for (f, o), r in self.service_limits.items()},
                    "real_limits_table": {f"{f}:{o}": r for (f, o), r in sorted(REAL_LIMITS.items())},
                    "requests": self.requests, "counts": dict(self.counts)}

    @staticmethod
    def _matches(rule, op):
        ops = rule["operation"]
        if ops in ("*", None):
            return True
        return op == ops or (isinstance(ops, list) and op in ops)

    def _limit_for(self, family, op):
        for key in ((family, op), ("*", op)):
            if key in self.custom_limits:
                return self.custom_limits[key]
        if self.real_limits and (family, op) in REAL_LIMITS:
            return REAL_LIMITS[(family, op)]
        return self.service_limits.get((family, op))

    def decide(self, family, op, region=None, account=None):
        """Returns (faults: dict kind -> rule, rate_limited: bool) for one request. Limits
        are per operation, region and account (SES's and CloudTrail's quotas are per account
        and region)."""
        now = time.monotonic()
        hit = {}
        with self.lock:
            self.requests += 1
            limited = False
            rate = self._limit_for(family, op)
            if rate:
                tokens, last = self.buckets.get((family, op, region, account), (1.0, now))
                tokens = min(max(1.0, rate), tokens + (now - last) * rate)
                if tokens >= 1.0:
                    tokens -= 1.0
                else:
                    limited = True
                    self.counts["rate_limited"] += 1
                self.buckets[(family, op, region, account)] = (tokens, now)
            for rule in self.rules:
                if self._matches(rule, op) and self.rng.random() < rule["rate"]:
                    hit.setdefault(rule["kind"], rule)
            for kind in hit:
                self.counts[kind] += 1
        return hit, limited
