"""The team's memory, headless, against the emulator's CloudTrail: two operators on two homes
and caches with different credentials (one an assumed role with session name alice) — alice
pauses with a reason, the other, starting sesctl for the first time, sees alice, the time,
sesctl and the reason in `sesctl account --json`; a pause made with boto3 and with the AWS
CLI shown with its principal and tool; the User-Agent on the wire (bounded, sanitized, no
secret, whatever the reason holds); the lag ("not yet in CloudTrail" until delivery);
`sesctl history` and its filters; the demo seed's older history; a missing
cloudtrail:LookupEvents permission as one line while everything else works."""

import json
import os
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import ACCESS_KEY, SECRET_KEY, CliTest  # noqa: E402

ACCT = "123456789012"
ROLE = f"arn:aws:iam::{ACCT}:role/OpsRole"
CEILING = 300  # a bound for a hang, not a speed target


class History(CliTest):
    SEED = "empty"

    def setUp(self):
        super().setUp()
        self.emu.reset("empty")
        self.emu.set_cloudtrail_delay(0)
        self.v2 = self.emu.client("sesv2")

    def alice_env(self):
        """Alice: her own home, an assumed role with session name alice."""
        env = self.base_env()
        del env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]
        self.write(self.aws_credentials, f"[base]\naws_access_key_id = {ACCESS_KEY}\n"
                                         f"aws_secret_access_key = {SECRET_KEY}\n")
        self.write(self.aws_config, f"[profile ops]\nrole_arn = {ROLE}\nsource_profile = base\n"
                                    "role_session_name = alice\nregion = eu-west-1\n")
        env["AWS_PROFILE"] = "ops"
        return env

    def other_env(self):
        """Bob: another home, another cache, the emulator's IAM user keys."""
        import shutil
        import tempfile
        home = tempfile.mkdtemp(prefix="sesctl-bob-")
        self.addCleanup(shutil.rmtree, home, True)
        env = self.base_env()
        env.update(HOME=home, XDG_CONFIG_HOME=os.path.join(home, ".config"),
                   XDG_CACHE_HOME=os.path.join(home, ".cache"),
                   XDG_STATE_HOME=os.path.join(home, ".local/state"),
                   AWS_CONFIG_FILE=os.path.join(home, "config"),
                   AWS_SHARED_CREDENTIALS_FILE=os.path.join(home, "credentials"))
        return env

    def account_until(self, env, pred):
        deadline = time.monotonic() + CEILING
        while True:
            r = self.sesctl("account", "--json", env=env)
            self.assertEqual(r.code, 0, repr(r))
            doc = r.json()
            if pred(doc):
                return doc, r
            if time.monotonic() > deadline:
                self.fail(f"never true; last: {json.dumps(doc, indent=1)}")
            time.sleep(0.5)

    def test_alice_pauses_bob_sees_who_when_tool_and_why(self):
        self.addCleanup(self.v2.put_account_sending_attributes, SendingEnabled=True)
        r = self.sesctl("sending", "pause", "--reason", "INC-4711 bounce spike", "--yes",
                        env=self.alice_env())
        self.assertEqual(r.code, 0, repr(r))
        self.assertFalse(self.v2.get_account()["SendingEnabled"])
        bob = self.other_env()
        doc, _ = self.account_until(bob, lambda d: (d.get("paused") or {}).get("who") == "alice")
        p = doc["paused"]
        self.assertEqual(p["principal"], "role")
        self.assertEqual(p["role"], "OpsRole")
        self.assertEqual(p["tool"], "sesctl")
        self.assertEqual(p["reason"], "INC-4711 bounce spike")
        self.assertEqual(p["source"], "cloudtrail")          # bob's machine has no local record
        self.assertTrue(p["in_cloudtrail"])
        self.assertIn("assumed-role/OpsRole/alice", p["arn"])
        self.assertRegex(p["time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertIn("(reason: INC-4711 bounce spike)", p["user_agent"])
        # text: the same facts in words
        r = self.sesctl("history", "--op", "pause", env=bob)
        self.assertEqual(r.code, 0, repr(r))
        self.assertRegex(r.out, r"alice +sesctl +pause +PutAccountSendingAttributes")
        self.assertIn("INC-4711 bounce spike", r.out)
        # alice's own view joins her local record to CloudTrail's event
        r = self.sesctl("history", "--json", "--op", "pause", env=self.alice_env())
        rows = r.json()["changes"]
        self.assertEqual(rows[0]["source"], "both", rows)
        self.assertIn("sesctl sending pause", rows[0]["command"])

    def test_a_pause_with_boto3_and_the_aws_cli_names_the_principal_and_tool(self):
        self.addCleanup(self.v2.put_account_sending_attributes, SendingEnabled=True)
        self.v2.put_account_sending_attributes(SendingEnabled=False)
        doc, _ = self.account_until(self.base_env(),
                                    lambda d: (d.get("paused") or {}).get("tool") == "sdk")
        p = doc["paused"]
        self.assertEqual(p["principal"], "user")
        self.assertTrue(p["who"])
        self.assertIn(":user/", p["arn"])
        self.assertIn("Boto3/", p["tool_version"])
        self.assertIsNone(p["reason"])
        # the AWS CLI (v1 in the image) resumes, then pauses again
        env = self.base_env()
        for enabled in ("--sending-enabled", "--no-sending-enabled"):
            subprocess.run(["aws", "sesv2", "put-account-sending-attributes", enabled],
                           env=env, check=True, capture_output=True, timeout=120)
        doc, _ = self.account_until(env, lambda d: (d.get("paused") or {}).get("tool") == "aws-cli")
        self.assertTrue(doc["paused"]["tool_version"].startswith("aws-cli/"))
        r = self.sesctl("history", "--json", "--op", "resume")
        self.assertEqual([x["tool"] for x in r.json()["changes"]], ["aws-cli"])

    def test_the_user_agent_on_the_wire(self):
        self.addCleanup(self.v2.put_account_sending_attributes, SendingEnabled=True)
        hostile = ("INC-9 \x1b]52;c;aGk=\x07\x1b[2J (closed) \\ evil\r\nX-Injected: 1 "
                   + SECRET_KEY + " " + ACCESS_KEY + " " + "x" * 10240)
        r = self.sesctl("sending", "pause", "--reason", hostile, "--yes")
        self.assertEqual(r.code, 0, repr(r))
        agents = [e["userAgent"] for e in self.emu.cloudtrail_events()
                  if e.get("eventName") == "PutAccountSendingAttributes"]
        self.assertEqual(len(agents), 1, agents)
        ua = agents[0]
        self.assertTrue(ua.startswith("sesctl/"), ua)
        self.assertIn(" ua/2.1 os/", ua)
        self.assertIn(" lang/c md/curl#", ua)
        self.assertTrue(all(0x20 <= ord(ch) <= 0x7e for ch in ua), repr(ua))
        self.assertLess(len(ua), 512)
        self.assertNotIn(SECRET_KEY, ua)
        self.assertNotIn(ACCESS_KEY, ua)
        self.assertIn("(reason: INC-9 ]52;c;aGk=[2J [closed] / evil X-Injected: 1 [redacted] [redacted] x", ua)
        self.assertTrue(ua.endswith("...)"), ua)
        self.assertEqual(ua.count("("), 1)
        # the reason rides only while the change runs: the next change carries none
        self.v2.put_account_sending_attributes(SendingEnabled=True)
        r = self.sesctl("identity", "create", "plain.example")
        self.assertEqual(r.code, 0, repr(r))
        agents = [e["userAgent"] for e in self.emu.cloudtrail_events()
                  if e.get("eventName") == "CreateEmailIdentity"]
        self.assertEqual(len(agents), 1, agents)
        self.assertTrue(agents[0].startswith("sesctl/"), agents)
        self.assertNotIn("(reason", agents[0])
        # the full reason stays in the local audit trail
        r = self.sesctl("audit", "--json", "--verb", "sending pause")
        self.assertIn("x" * 10240, r.json()[0]["reason"])

    def test_every_change_takes_a_reason(self):
        r = self.sesctl("identity", "create", "why.example", "--reason", "ticket OPS-7")
        self.assertEqual(r.code, 0, repr(r))
        r = self.sesctl("history", "--json", "--resource", "why.example")
        rows = r.json()["changes"]
        self.assertEqual(rows[0]["op"], "create")
        self.assertEqual(rows[0]["reason"], "ticket OPS-7")
        self.assertEqual(rows[0]["source"], "both")
        r = self.sesctl("identities", "list", "--reason", "x")
        self.assertExit(r, "USAGE")              # reads take none
        # the identity's detail says who changed it last, and why
        r = self.sesctl("identity", "show", "why.example", "--json")
        last = r.json()["last_change"]
        self.assertEqual(last["event"], "CreateEmailIdentity")
        self.assertEqual(last["reason"], "ticket OPS-7")
        self.assertEqual(last["tool"], "sesctl")

    def test_not_yet_in_cloudtrail(self):
        self.addCleanup(self.v2.put_account_sending_attributes, SendingEnabled=True)
        self.emu.set_cloudtrail_delay(3600)
        r = self.sesctl("sending", "pause", "--reason", "INC-5 lag", "--yes")
        self.assertEqual(r.code, 0, repr(r))
        doc = self.sesctl("account", "--json").json()
        self.assertEqual(doc["paused"]["source"], "local")
        self.assertFalse(doc["paused"]["in_cloudtrail"])
        self.assertEqual(doc["paused"]["reason"], "INC-5 lag")
        r = self.sesctl("history")
        self.assertIn("local", r.out)
        self.emu.set_cloudtrail_delay(0)
        doc, _ = self.account_until(self.base_env(), lambda d: d["paused"]["source"] == "both")
        self.assertTrue(doc["paused"]["in_cloudtrail"])

    def test_filters_text_csv_and_usage(self):
        self.sesctl("identity", "create", "a.example")
        self.sesctl("identity", "create", "b.example")
        r = self.sesctl("identity", "delete", "a.example", "--yes", "--reason", "cleanup")
        self.assertEqual(r.code, 0, repr(r))
        r = self.sesctl("history", "--json", "--refresh")
        ops = [(x["op"], x["resource"]) for x in r.json()["changes"]]
        self.assertIn(("delete", "a.example"), ops)
        self.assertIn(("create", "b.example"), ops)
        r = self.sesctl("history", "--json", "--op", "delete")
        self.assertEqual({x["op"] for x in r.json()["changes"]}, {"delete"})
        r = self.sesctl("history", "--json", "--resource", "B.EXAMPLE")
        self.assertEqual({x["resource"] for x in r.json()["changes"]}, {"b.example"})
        r = self.sesctl("history", "--json", "--who", "nobody-at-all")
        self.assertEqual(r.json()["changes"], [])
        r = self.sesctl("history", "--csv")
        self.assertTrue(r.out.startswith("time,who,tool,op,event,resource,reason,source,error"), r.out[:200])
        r = self.sesctl("history", "--offline", "--json")
        self.assertEqual(r.code, 0, repr(r))
        self.assertTrue(r.json()["changes"])
        self.assertExit(self.sesctl("history", "--op", "explode"), "USAGE")
        self.assertExit(self.sesctl("history", "--since", "yesterday"), "USAGE")

    def test_a_long_history_is_read_over_several_syncs(self):
        """A sync with other kinds reads at most 20 pages (1,000 changes); what it leaves is
        a gap the next read fills, after what is new."""
        now = int(time.time())
        who = {"type": "IAMUser", "arn": f"arn:aws:iam::{ACCT}:user/jens", "accountId": ACCT,
               "userName": "jens"}
        for i in range(1100):
            t = now - 7200 - i * 1200
            self.emu.put_cloudtrail_event({
                "eventTime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t)),
                "eventSource": "ses.amazonaws.com", "eventName": "CreateEmailIdentity",
                "userIdentity": who, "userAgent": "aws-cli/2.15.0 Python/3.11.6",
                "requestParameters": {"emailIdentity": f"d{i}.example"}, "readOnly": False})

        def cached():
            r = self.sesctl("history", "--offline", "--json", "--limit", "5000")
            self.assertEqual(r.code, 0, repr(r))
            return len(r.json()["changes"])

        r = self.sesctl("sync")
        self.assertEqual(r.code, 0, repr(r))
        self.assertIn("read 20 pages of changes; the next syncs read the older ones", r.out)
        self.assertEqual(cached(), 1000)
        # a change made meanwhile comes first, then the gap
        self.sesctl("identity", "create", "meanwhile.example")
        r = self.sesctl("sync", "--kind", "history")
        self.assertEqual(r.code, 0, repr(r))
        self.assertEqual(cached(), 1101)
        r = self.sesctl("history", "--offline", "--json", "--resource", "d1099.example")
        self.assertEqual(len(r.json()["changes"]), 1)

    def test_no_permission_is_one_line_and_the_rest_works(self):
        self.emu.set_faults([{"kind": "denied", "operation": "LookupEvents"}])
        self.addCleanup(self.emu.clear_faults)
        r = self.sesctl("sync")
        self.assertEqual(r.code, 0, repr(r))
        self.assertIn("cloudtrail:LookupEvents", r.out + r.err)
        r = self.sesctl("history")
        self.assertEqual(r.code, 0, repr(r))
        lines = [x for x in r.err.splitlines() if "cloudtrail:LookupEvents" in x]
        self.assertEqual(len(lines), 1, r.err)
        r = self.sesctl("account", "--json")
        self.assertEqual(r.code, 0, repr(r))
        r = self.sesctl("identities", "list", "--json")
        self.assertEqual(r.code, 0, repr(r))


class DemoHistory(CliTest):
    SEED = "demo"

    def test_the_console_pause_and_the_cli_deletion(self):
        r = self.sesctl("history", "--json")
        self.assertEqual(r.code, 0, repr(r))
        rows = r.json()["changes"]
        pauses = [x for x in rows if x["op"] in ("pause", "resume") and x["tool"] == "console"
                  and x["resource_kind"] == "account"]
        self.assertEqual(sorted(x["op"] for x in pauses), ["pause", "resume"], rows)
        self.assertTrue(all(x["who"] for x in pauses))
        deletions = [x for x in rows if x["op"] == "delete" and x["tool"] == "aws-cli"]
        self.assertTrue(deletions, rows)
        # a session name a tool made up (Terraform's timestamp) names the role instead
        tf = [x for x in rows if x["event"] == "CreateEmailIdentity"]
        self.assertEqual(tf[0]["who"], "terraform-deploy", tf)
        # the paused newsletter set says who paused it, in the console
        r = self.sesctl("config-set", "show", "legacy-newsletter", "--json")
        doc = r.json()
        self.assertEqual(doc["paused_by"]["tool"], "console")
        self.assertEqual(doc["paused_by"]["who"], "maria@example.com")
        self.assertEqual(doc["last_change"]["event"], "PutConfigurationSetSendingOptions")
        # the account is sending: the old console pause is history, not a banner
        doc = self.sesctl("account", "--json").json()
        self.assertNotIn("paused", doc)


if __name__ == "__main__":
    unittest.main()
