"""Every verb against the emulator's demo account; each change read back with boto3."""

import csv
import io
import json
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import CliTest, Sesemu  # noqa: E402


class Reads(CliTest):
    SEED = "demo"

    def test_sync_fills_the_cache(self):
        r = self.sesctl("sync", "--json")
        self.assertEqual(r.code, 0, repr(r))
        rep = r.json()[0]
        self.assertEqual(rep["region"], "eu-west-1")
        for kind in ("account", "identities", "config-sets", "suppression", "rule-sets",
                     "filters", "send-stats", "metrics", "mail-manager"):
            self.assertEqual(rep["kinds"][kind]["status"], "OK", kind)
        self.assertEqual(rep["kinds"]["identities"]["count"], 40)
        # a second sync reads no identity details: nothing changed
        r = self.sesctl("sync", "--kind", "identities", "--json")
        self.assertEqual(r.json()[0]["details_fetched"], 0)

    def test_identities_list_matches_boto3(self):
        r = self.sesctl("identities", "list", "--json")
        self.assertEqual(r.code, 0, repr(r))
        mine = {i["name"]: i for i in r.json()}
        v2 = self.emu.client("sesv2")
        theirs, token = {}, None
        while True:
            page = v2.list_email_identities(**({"NextToken": token} if token else {}))
            for i in page["EmailIdentities"]:
                theirs[i["IdentityName"]] = i
            token = page.get("NextToken")
            if not token:
                break
        self.assertEqual(set(mine), set(theirs))
        for name, i in theirs.items():
            self.assertEqual(mine[name]["verification_status"], i["VerificationStatus"], name)
            self.assertEqual(mine[name]["sending_enabled"], i["SendingEnabled"], name)
        dk = v2.get_email_identity(EmailIdentity="shop.example")["DkimAttributes"]
        self.assertEqual(mine["shop.example"]["dkim_tokens"], dk["Tokens"])

    def test_sort_is_stable_and_by_the_key(self):
        by_name = [i["name"] for i in self.sesctl("identities", "list", "--json").json()]
        for sort, key in (("status", "verification_status"), ("type", "type")):
            rows = self.sesctl("identities", "list", "--sort", sort, "--json").json()
            self.assertEqual(len(rows), len(by_name))
            keys = [r[key] or "" for r in rows]
            self.assertEqual(keys, sorted(keys), sort)
            for k in set(keys):     # equal keys keep the name order
                names = [r["name"] for r in rows if (r[key] or "") == k]
                self.assertEqual(names, [n for n in by_name if n in set(names)], (sort, k))
        self.assertExit(self.sesctl("identities", "list", "--sort", "age"), "USAGE")

    def test_filters_and_csv(self):
        r = self.sesctl("identities", "list", "--type", "domain", "--status", "PENDING", "--csv")
        self.assertEqual(r.code, 0, repr(r))
        rows = list(csv.DictReader(io.StringIO(r.out)))
        self.assertTrue(rows)
        for row in rows:
            self.assertEqual(row["type"], "DOMAIN")
            self.assertEqual(row["verification_status"], "PENDING")

    def test_identity_show_and_not_found(self):
        r = self.sesctl("identity", "show", "shop.example", "--json")
        self.assertEqual(r.code, 0, repr(r))
        self.assertEqual(r.json()["mail_from_domain"], "bounce.shop.example")
        r = self.sesctl("identity", "show", "nope.example")
        self.assertExit(r, "NOT_FOUND")
        self.assertIn("nope.example", r.err)

    def test_dns_records_and_formats(self):
        r = self.sesctl("dns", "shop.example", "--json")
        self.assertEqual(r.code, 0, repr(r))
        self.assertIn("shop.example", r.out)
        tokens = self.emu.client("sesv2").get_email_identity(
            EmailIdentity="shop.example")["DkimAttributes"]["Tokens"]
        zone = self.sesctl("dns", "shop.example", "--format", "zone").out
        for t in tokens:
            self.assertIn(f"{t}._domainkey\t", zone)
            self.assertIn(f"{t}.dkim.amazonses.com.", zone)
        self.assertIn("feedback-smtp.eu-west-1.amazonses.com.", zone)
        r53 = json.loads(self.sesctl("dns", "shop.example", "--format", "route53").out)
        self.assertTrue(all(c["Action"] == "UPSERT" for c in r53["Changes"]))
        # a suggested DMARC record is applied only when asked for
        names = [c["ResourceRecordSet"]["Name"] for c in r53["Changes"]]
        self.assertNotIn("_dmarc.shop.example.", names)
        self.assertIn("suggested record(s) left out", r53["Comment"])
        # Easy DKIM verifies the domain: its legacy _amazonses TXT is optional, held back
        # like a suggestion, and marked in every format (issue 20)
        self.assertNotIn("_amazonses.shop.example.", names)
        legacy = [x for x in r.json()["records"] if x["name"] == "_amazonses.shop.example"]
        self.assertTrue(legacy and all(x["optional"] for x in legacy), legacy)
        self.assertIn("(optional)", self.sesctl("dns", "shop.example").out)
        r53 = json.loads(self.sesctl("dns", "shop.example", "--format", "route53",
                                     "--include-suggested").out)
        self.assertIn("_dmarc.shop.example.", [c["ResourceRecordSet"]["Name"] for c in r53["Changes"]])
        self.assertExit(self.sesctl("dns", "not a domain!"), "USAGE")
        self.assertExit(self.sesctl("dns", "absent.example"), "NOT_FOUND")

    def test_idn_domain(self):
        r = self.sesctl("dns", "bücher.example", "--format", "csv")
        self.assertEqual(r.code, 0, repr(r))
        self.assertIn("xn--bcher-kva.example", r.out)
        text = self.sesctl("identities", "list").out  # people read the Unicode form
        self.assertIn("bücher.example", text)
        self.assertNotIn("xn--bcher-kva", text)
        names = [i["name"] for i in self.sesctl("identities", "list", "--json").json()]
        self.assertIn("xn--bcher-kva.example", names)  # programs get what SES holds

    def test_account_and_stats(self):
        a = self.sesctl("account", "--json").json()
        self.assertEqual(a["account"], "123456789012")
        self.assertTrue(a["production_access"])
        self.assertEqual(a["enforcement_status"], "HEALTHY")
        s = self.sesctl("stats", "--json")
        self.assertEqual(s.code, 0, repr(s))
        days = s.json()["per_day"]
        self.assertEqual(len(days), 14)
        self.assertIn("review", [d["bounce_level"] for d in days])  # the seeded bounce incident

    def test_receipt_trace_scenario(self):
        r = self.sesctl("receipt", "trace", "support@help.shop.example", "--json")
        self.assertEqual(r.code, 0, repr(r))
        t = r.json()
        self.assertTrue(t["stopped"])
        self.assertEqual(t["steps"][-1]["name"], "spam-drop")
        self.assertIn("processing stops at rule 1 (spam-drop)",
                      self.sesctl("receipt", "trace", "support@help.shop.example").out)

    def test_suppression_and_config_sets(self):
        r = self.sesctl("suppression", "list", "--reason", "bounce", "--json")
        self.assertEqual(r.code, 0, repr(r))
        self.assertTrue(r.json())
        self.assertTrue(all(x["reason"] == "BOUNCE" for x in r.json()))
        cs = self.sesctl("config-sets", "--json").json()
        self.assertEqual(len(cs), 4)
        self.assertIn(False, [c["sending_enabled"] for c in cs])

    def test_log_lists_calls_without_secrets(self):
        self.sesctl("sync", "--kind", "account")
        r = self.sesctl("log", "--json")
        self.assertEqual(r.code, 0, repr(r))
        ops = [c["operation"] for c in r.json()]
        self.assertIn("GetAccount", ops)
        self.assertNotIn("wJalrXUtnFEMI", r.out)


class Changes(CliTest):
    SEED = "demo"

    def setUp(self):
        super().setUp()
        self.emu.reset("demo")

    def test_pause_and_resume_with_audit(self):
        r = self.sesctl("sending", "pause", "--reason", "INC-4711 bounce spike")
        self.assertExit(r, "REFUSED")  # no terminal to confirm on, no --yes
        self.assertIn("--yes", r.err)
        self.assertTrue(self.emu.client("sesv2").get_account()["SendingEnabled"])
        r = self.sesctl("sending", "pause", "--reason", "INC-4711 bounce spike", "--yes")
        self.assertEqual(r.code, 0, repr(r))
        self.assertFalse(self.emu.client("sesv2").get_account()["SendingEnabled"])
        with self.assertRaises(Exception) as cm:  # the emulator refuses sends now
            self.emu.client("sesv2").send_email(
                FromEmailAddress="ops@shop.example",
                Destination={"ToAddresses": ["success@simulator.amazonses.com"]},
                Content={"Simple": {"Subject": {"Data": "x"}, "Body": {"Text": {"Data": "x"}}}})
        self.assertIn("Paused", str(cm.exception) + type(cm.exception).__name__)
        acct = self.sesctl("account", "--json").json()
        self.assertEqual(acct["paused"]["reason"], "INC-4711 bounce spike")
        self.assertIn("sesctl sending pause --reason 'INC-4711 bounce spike' --yes",
                      acct["paused"]["command"])
        r = self.sesctl("sending", "resume", "--reason", "INC-4711 done", "--yes")
        self.assertEqual(r.code, 0, repr(r))
        self.assertTrue(self.emu.client("sesv2").get_account()["SendingEnabled"])
        self.assertNotIn("paused", self.sesctl("account", "--json").json())
        audit = self.sesctl("audit", "--json").json()
        outcomes = [a["result"] for a in audit if a["result"] != "started"]
        self.assertEqual(outcomes[:3], ["ok", "ok", "refused"])
        # each change that got past the checks was recorded before it was made
        self.assertEqual([a["result"] for a in audit[:2]], ["ok", "started"])

    def test_pause_reason_required(self):
        self.assertExit(self.sesctl("sending", "pause", "--yes"), "USAGE")

    def test_config_set_pause(self):
        r = self.sesctl("sending", "pause", "--config-set", "marketing", "--reason", "r", "--yes")
        self.assertEqual(r.code, 0, repr(r))
        cs = self.emu.client("sesv2").get_configuration_set(ConfigurationSetName="marketing")
        self.assertFalse(cs["SendingOptions"]["SendingEnabled"])

    def test_read_only_profile_refuses(self):
        self.write(os.path.join(self.home, ".config", "sesctl", "config") if os.makedirs(
            os.path.join(self.home, ".config", "sesctl"), exist_ok=True) is None else "",
            "[global]\nread_only = true\n")
        r = self.sesctl("sending", "pause", "--reason", "x", "--yes")
        self.assertExit(r, "REFUSED")
        self.assertIn("read-only profile 'default'", r.err)
        self.assertTrue(self.emu.client("sesv2").get_account()["SendingEnabled"])
        env = self.base_env()
        env["SESCTL_READ_ONLY"] = "1"
        os.remove(os.path.join(self.home, ".config", "sesctl", "config"))
        self.assertExit(self.sesctl("identity", "delete", "ops@shop.example", "--yes", env=env),
                        "REFUSED")

    def test_protected_profile_needs_account_id(self):
        os.makedirs(os.path.join(self.home, ".config", "sesctl"), exist_ok=True)
        self.write(os.path.join(self.home, ".config", "sesctl", "config"),
                   "[profile default]\nprotected = true\n")
        r = self.sesctl("sending", "pause", "--reason", "x", "--yes")
        self.assertExit(r, "REFUSED")
        self.assertIn("--confirm=123456789012", r.err)
        r = self.sesctl("sending", "pause", "--reason", "x", "--yes", "--confirm=999999999999")
        self.assertExit(r, "REFUSED")
        r = self.sesctl("sending", "pause", "--reason", "x", "--yes", "--confirm=123456789012")
        self.assertEqual(r.code, 0, repr(r))
        self.assertFalse(self.emu.client("sesv2").get_account()["SendingEnabled"])

    def test_identity_create_and_delete(self):
        r = self.sesctl("identity", "create", "receipts.shop.example", "--key-length", "2048")
        self.assertEqual(r.code, 0, repr(r))
        self.assertIn("._domainkey.receipts.shop.example", r.out)
        v2 = self.emu.client("sesv2")
        got = v2.get_email_identity(EmailIdentity="receipts.shop.example")
        self.assertEqual(got["VerificationStatus"], "PENDING")
        self.assertEqual(len(got["DkimAttributes"]["Tokens"]), 3)
        r = self.sesctl("identity", "delete", "receipts.shop.example")
        self.assertExit(r, "REFUSED")
        r = self.sesctl("identity", "delete", "receipts.shop.example", "--yes")
        self.assertEqual(r.code, 0, repr(r))
        names = [i["IdentityName"] for i in v2.list_email_identities(PageSize=1000)["EmailIdentities"]]
        self.assertNotIn("receipts.shop.example", names)
        self.assertExit(self.sesctl("identity", "delete", "receipts.shop.example", "--yes"),
                        "NOT_FOUND")

    def test_byodkim_generated_key_stays_out_of_logs(self):
        keyfile = os.path.join(self.home, "dkim.pem")
        r = self.sesctl("identity", "create", "byo.shop.example", "--selector", "s2026",
                        "--generate-key", "--write-key", keyfile)
        self.assertEqual(r.code, 0, repr(r))
        self.assertEqual(os.stat(keyfile).st_mode & 0o777, 0o600)
        key = open(keyfile).read()
        body = "".join(l for l in key.splitlines() if not l.startswith("-----"))
        self.assertIn("s2026._domainkey.byo.shop.example", r.out)
        got = self.emu.client("sesv2").get_email_identity(EmailIdentity="byo.shop.example")
        self.assertEqual(got["DkimAttributes"]["SigningAttributesOrigin"], "EXTERNAL")
        for root, _, files in os.walk(os.path.join(self.home, ".cache")):
            for f in files:
                data = open(os.path.join(root, f), "rb").read()
                self.assertNotIn(body[:60].encode(), data, f)
        self.assertNotIn(body[:60], r.out + r.err)

    def test_receipt_move_changes_the_trace(self):
        r = self.sesctl("receipt", "rule", "move", "inbound-main", "support-to-s3", "--first", "--yes")
        self.assertEqual(r.code, 0, repr(r))
        rules = self.emu.client("ses").describe_receipt_rule_set(RuleSetName="inbound-main")["Rules"]
        self.assertEqual(rules[0]["Name"], "support-to-s3")
        t = self.sesctl("receipt", "trace", "support@help.shop.example", "--json").json()
        applied = [s["name"] for s in t["steps"] if s["applies"]]
        self.assertEqual(applied[:2], ["support-to-s3", "spam-drop"])

    def test_identity_attributes(self):
        v2 = self.emu.client("sesv2")
        r = self.sesctl("identity", "mail-from", "marketing.example", "bounce.marketing.example",
                        "--on-mx-failure", "reject")
        self.assertEqual(r.code, 0, repr(r))
        mf = v2.get_email_identity(EmailIdentity="marketing.example")["MailFromAttributes"]
        self.assertEqual(mf["MailFromDomain"], "bounce.marketing.example")
        self.assertEqual(mf["BehaviorOnMxFailure"], "REJECT_MESSAGE")
        self.assertExit(self.sesctl("identity", "mail-from", "marketing.example", "elsewhere.example"),
                        "USAGE")
        r = self.sesctl("identity", "dkim", "marketing.example", "off")
        self.assertEqual(r.code, 0, repr(r))
        self.assertFalse(v2.get_email_identity(EmailIdentity="marketing.example")["DkimAttributes"]["SigningEnabled"])
        self.assertExit(self.sesctl("identity", "dkim", "ops@shop.example", "off"), "USAGE")
        # SES turns forwarding off only with both topics set: said before any change
        r = self.sesctl("identity", "feedback", "ops@shop.example", "off")
        self.assertExit(r, "USAGE")
        self.assertIn("both a bounce and a complaint topic", r.err)
        self.assertNotIn("request id", r.err)
        topic = "arn:aws:sns:eu-west-1:123456789012:ses-feedback"
        r = self.sesctl("identity", "notifications", "ops@shop.example", "--bounce-topic", topic,
                        "--complaint-topic", topic)
        self.assertEqual(r.code, 0, repr(r))
        r = self.sesctl("identity", "feedback", "ops@shop.example", "off")
        self.assertEqual(r.code, 0, repr(r))
        self.assertFalse(v2.get_email_identity(EmailIdentity="ops@shop.example")["FeedbackForwardingStatus"])

    def test_receipt_rule_changes_and_filters(self):
        ses = self.emu.client("ses")
        r = self.sesctl("receipt", "rule", "disable", "inbound-main", "spam-drop", "--yes")
        self.assertEqual(r.code, 0, repr(r))
        rules = {x["Name"]: x for x in ses.describe_receipt_rule_set(RuleSetName="inbound-main")["Rules"]}
        self.assertFalse(rules["spam-drop"]["Enabled"])
        t = self.sesctl("receipt", "trace", "support@help.shop.example", "--json").json()
        self.assertEqual([s["name"] for s in t["steps"] if s["applies"]][0], "support-to-s3")
        self.assertExit(self.sesctl("receipt", "rule", "delete", "inbound-main", "spam-drop"), "REFUSED")
        r = self.sesctl("receipt", "rule", "delete", "inbound-main", "spam-drop", "--yes")
        self.assertEqual(r.code, 0, repr(r))
        names = [x["Name"] for x in ses.describe_receipt_rule_set(RuleSetName="inbound-main")["Rules"]]
        self.assertNotIn("spam-drop", names)
        r = self.sesctl("receipt", "clone", "inbound-copy", "--from", "inbound-main")
        self.assertEqual(r.code, 0, repr(r))
        self.assertIn("inbound-copy", [x["Name"] for x in ses.list_receipt_rule_sets()["RuleSets"]])
        r = self.sesctl("receipt", "filter", "create", "block-bad", "192.0.2.0/24", "--policy", "block")
        self.assertEqual(r.code, 0, repr(r))
        f = {x["Name"]: x for x in ses.list_receipt_filters()["Filters"]}
        self.assertEqual(f["block-bad"]["IpFilter"]["Cidr"], "192.0.2.0/24")
        r = self.sesctl("receipt", "filter", "delete", "block-bad", "--yes")
        self.assertEqual(r.code, 0, repr(r))
        self.assertNotIn("block-bad", [x["Name"] for x in ses.list_receipt_filters()["Filters"]])

    def test_snapshot_and_diff(self):
        r = self.sesctl("snapshot")
        self.assertEqual(r.code, 0, repr(r))
        before = os.path.join(self.home, "before.json")
        with open(before, "w") as f:
            f.write(r.out)
        self.assertIn("no differences", self.sesctl("diff", before).out)
        v2 = self.emu.client("sesv2")
        v2.create_email_identity(EmailIdentity="added.example")
        v2.put_account_sending_attributes(SendingEnabled=False)
        self.emu.client("ses").set_receipt_rule_position(RuleSetName="inbound-main",
                                                          RuleName="support-to-s3")
        r = self.sesctl("diff", before, "--json")  # snapshot vs now (reads the account again)
        self.assertEqual(r.code, 0, repr(r))
        changes = {(c["change"], c["kind"], c["name"]) for c in r.json()}
        self.assertIn(("+", "identities", "added.example"), changes)
        self.assertIn(("~", "account", "state"), changes)
        self.assertIn(("~", "receipt_rule_sets", "inbound-main"), changes)
        self.assertExit(self.sesctl("diff", os.path.join(self.home, "nope.json")), "USAGE")

    def test_regions(self):
        r = self.sesctl("regions", "--region", "eu-west-1", "--region", "us-west-2", "--json")
        self.assertEqual(r.code, 0, repr(r))
        got = {x["region"]: x for x in r.json()}
        self.assertEqual(got["eu-west-1"]["identities"], 40)
        self.assertNotIn("us-west-2", got)  # nothing there: not listed

    def test_receipt_rule_create_update(self):
        ses = self.emu.client("ses")
        r = self.sesctl("receipt", "create", "staging")
        self.assertEqual(r.code, 0, repr(r))
        r = self.sesctl("receipt", "rule", "create", "staging", "archive", "--recipient", "help.shop.example",
                        "--tls", "require", "--add-header", "X-Route:archive", "--s3", "shop-inbound-mail/archive/",
                        "--action", "S3Action.TopicArn=arn:aws:sns:eu-west-1:123456789012:inbound-mail", "--stop")
        self.assertEqual(r.code, 0, repr(r))
        rule = ses.describe_receipt_rule(RuleSetName="staging", RuleName="archive")["Rule"]
        self.assertEqual(rule["Recipients"], ["help.shop.example"])
        self.assertEqual(rule["TlsPolicy"], "Require")
        kinds = [list(a.keys())[0] for a in rule["Actions"]]
        self.assertEqual(kinds, ["AddHeaderAction", "S3Action", "StopAction"])
        self.assertEqual(rule["Actions"][1]["S3Action"]["ObjectKeyPrefix"], "archive/")
        self.assertTrue(rule["Actions"][1]["S3Action"]["TopicArn"].endswith(":inbound-mail"))
        r = self.sesctl("receipt", "rule", "update", "staging", "archive", "--recipient", "x.shop.example",
                        "--disabled")
        self.assertEqual(r.code, 0, repr(r))
        rule = ses.describe_receipt_rule(RuleSetName="staging", RuleName="archive")["Rule"]
        self.assertEqual(rule["Recipients"], ["x.shop.example"])
        self.assertFalse(rule["Enabled"])
        self.assertEqual(len(rule["Actions"]), 3)  # not given: kept
        self.assertExit(self.sesctl("receipt", "rule", "create", "staging", "empty"), "USAGE")
        self.assertEqual(self.sesctl("receipt", "rule", "show", "staging", "archive", "--json").json()["name"],
                         "archive")

    def test_policies_and_suppression_show(self):
        doc = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "ses:SendEmail", "Resource": "*"}]})
        r = self.sesctl("identity", "policy", "put", "shop.example", "partner", "--document", doc)
        self.assertEqual(r.code, 0, repr(r))
        got = self.emu.client("sesv2").get_email_identity_policies(EmailIdentity="shop.example")["Policies"]
        self.assertIn("partner", got)
        self.assertEqual(self.sesctl("identity", "policies", "shop.example", "partner", "--json").json()[0]["name"], "partner")
        self.assertExit(self.sesctl("identity", "policy", "put", "shop.example", "bad", "--document", "{nope"), "USAGE")
        r = self.sesctl("identity", "policy", "delete", "shop.example", "partner", "--yes")
        self.assertEqual(r.code, 0, repr(r))
        supp = self.sesctl("suppression", "list", "--json").json()[0]["email"]
        r = self.sesctl("suppression", "show", supp, "--json")
        self.assertEqual(r.code, 0, repr(r))
        self.assertEqual(r.json()["email"], supp)

    def test_request_production_access(self):
        self.assertExit(self.sesctl("account", "request-production", "--mail-type", "bulk",
                                    "--website", "https://shop.example", "--yes"), "USAGE")
        r = self.sesctl("account", "request-production", "--mail-type", "transactional",
                        "--website", "https://shop.example", "--use-case", "receipts and alerts",
                        "--contact", "ops@shop.example", "--yes")
        self.assertEqual(r.code, 0, repr(r))
        d = self.emu.client("sesv2").get_account()["Details"]
        self.assertEqual(d["MailType"], "TRANSACTIONAL")
        self.assertEqual(d["WebsiteURL"], "https://shop.example")
        self.assertEqual(d["AdditionalContactEmailAddresses"], ["ops@shop.example"])

    def test_suppression_add_remove(self):
        r = self.sesctl("suppression", "add", "x@gone.example", "--reason", "bounce")
        self.assertEqual(r.code, 0, repr(r))
        got = self.emu.client("sesv2").get_suppressed_destination(EmailAddress="x@gone.example")
        self.assertEqual(got["SuppressedDestination"]["Reason"], "BOUNCE")
        r = self.sesctl("suppression", "remove", "x@gone.example", "--yes")
        self.assertEqual(r.code, 0, repr(r))


class Offline(CliTest):
    SEED = "demo"

    def test_offline_after_the_emulator_is_gone(self):
        self.assertEqual(self.sesctl("sync").code, 0)
        env = self.base_env()
        self.emu.stop()
        type(self).emu = None
        r = self.sesctl("identities", "list", "--offline", "--json", env=env)
        self.assertEqual(r.code, 0, repr(r))
        self.assertEqual(len(r.json()), 40)
        self.assertExit(self.sesctl("sending", "pause", "--reason", "x", "--yes", "--offline", env=env),
                        "REFUSED")
        r = self.sesctl("identities", "list", env=env)  # cache younger than refresh: no call
        self.assertEqual(r.code, 0, repr(r))
        r = self.sesctl("identities", "list", "--refresh", env=env)  # must call: unreachable
        self.assertExit(r, "NETWORK")


class Freshness(CliTest):
    """sync_fresh: a reading verb reads SES only when its kind is missing or older than the
    refresh interval, always with --refresh, never with --offline. Counted in the API call
    log."""
    SEED = "demo"

    def calls(self, operation):
        log = self.sesctl("log", "--limit", "1000", "--json", "--offline").json()
        return sum(1 for c in log if c["operation"] == operation)

    def test_reads_only_what_is_stale(self):
        op = "ListSuppressedDestinations"
        for argv, expect in ((("suppression", "list"), 1),          # never read: read
                             (("suppression", "list"), 1),          # fresh: not again
                             (("suppression", "list", "--offline"), 1),
                             (("suppression", "list", "--refresh"), 2)):
            r = self.sesctl(*argv)
            self.assertEqual(r.code, 0, repr(r))
            self.assertEqual(self.calls(op), expect, argv)
        self.assertEqual(self.sesctl("identities", "list").code, 0)
        self.assertEqual(self.sesctl("identities", "list").code, 0)
        self.assertEqual(self.calls("ListEmailIdentities"), 1)
        self.assertEqual(self.sesctl("receipt", "sets").code, 0)
        self.assertEqual(self.sesctl("receipt", "sets").code, 0)
        self.assertEqual(self.calls("ListReceiptRuleSets"), 1)
        for argv, expect in ((("receipt", "filters"), 1), (("receipt", "filters"), 1),
                             (("receipt", "filters", "--refresh"), 2)):
            self.assertEqual(self.sesctl(*argv).code, 0)
            self.assertEqual(self.calls("ListReceiptFilters"), expect, argv)

    def test_refresh_interval_zero_reads_every_time(self):
        os.makedirs(os.path.join(self.home, ".config", "sesctl"), exist_ok=True)
        with open(os.path.join(self.home, ".config", "sesctl", "config"), "a") as f:
            f.write("[global]\nrefresh = 0\n")
        for _ in range(2):
            self.assertEqual(self.sesctl("config-sets").code, 0)
        self.assertEqual(self.calls("ListConfigurationSets"), 2)


class PlainMoto(CliTest):
    """Plain moto answers the operations it lacks with HTML pages: each degrades only its
    own kind, named, and the exit status says partial."""
    SEED = None

    @classmethod
    def setUpClass(cls):
        import socket
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        cls.port = s.getsockname()[1]
        s.close()
        cls.moto = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1",
                                     "-p", str(cls.port)], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
        import time
        import urllib.request
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{cls.port}/moto-api/", timeout=1)
                break
            except Exception:
                time.sleep(0.1)

    @classmethod
    def tearDownClass(cls):
        cls.moto.terminate()
        cls.moto.wait()

    def test_unsupported_operations_degrade_their_kind(self):
        env = self.base_env(emulator=False)
        env.update(AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_REGION="eu-west-1",
                   AWS_ENDPOINT_URL=f"http://127.0.0.1:{self.port}", AWS_MAX_ATTEMPTS="1")
        r = self.sesctl("sync", "--json", env=env)
        self.assertExit(r, "PARTIAL")
        kinds = r.json()[0]["kinds"]
        self.assertEqual(kinds["filters"]["status"], "UNSUPPORTED")
        self.assertIn("ListReceiptFilters", kinds["filters"]["message"])
        self.assertEqual(kinds["account"]["status"], "UNSUPPORTED")
        # moto 5.2 answers ListEmailIdentities with PageSize with an HTML 500 (its bug)
        self.assertIn(kinds["identities"]["status"], ("OK", "UNSUPPORTED"))
        if kinds["identities"]["status"] != "OK":
            self.assertIn("ListEmailIdentities", kinds["identities"]["message"])
        self.assertEqual(kinds["rule-sets"]["status"], "OK")
        self.assertEqual(kinds["config-sets"]["status"], "OK")


class BadReplies(CliTest):
    SEED = "demo"

    def test_html_200_reply_is_a_bad_reply_not_a_crash(self):
        self.emu.set_faults(rules=[{"kind": "content_type", "rate": 1.0, "operation": "GetAccount"}])
        try:
            r = self.sesctl("sync", "--json")
        finally:
            self.emu.clear_faults()
        self.assertExit(r, "PARTIAL")
        kinds = r.json()[0]["kinds"]
        self.assertEqual(kinds["account"]["status"], "BAD_REPLY")
        self.assertEqual(kinds["identities"]["status"], "OK")

    def test_throttling_is_retried(self):
        self.emu.set_faults(rules=[{"kind": "throttle", "rate": 0.3, "operation": "GetEmailIdentity"}],
                            seed=11)
        env = self.base_env()
        env["AWS_MAX_ATTEMPTS"] = "6"
        try:
            r = self.sesctl("sync", "--kind", "identities", "--force", "--json", env=env)
        finally:
            self.emu.clear_faults()
        self.assertEqual(r.code, 0, repr(r))
        self.assertEqual(r.json()[0]["kinds"]["identities"]["count"], 40)
        calls = self.sesctl("log", "--limit", "200", "--json", "--offline", env=env).json()
        self.assertTrue(any(c["retries"] > 0 for c in calls if c["operation"] == "GetEmailIdentity"))


if __name__ == "__main__":
    unittest.main()
