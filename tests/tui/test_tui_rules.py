"""The Receipt rules pane against the emulator's demo account (rule set inbound-main:
spam-drop before support-to-s3). Scenario 4: the trace of support@help.shop.example stops at
spam-drop (Bounce + Stop); the rule support-to-s3 is moved first through the pane (K and a
yes in the dialog), boto3 reads the new order back, and the trace now shows S3 then SNS."""

import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuitest import dialog_text, frame_lines, ROOT, TuiTest  # noqa: E402

sys.path.insert(0, os.path.join(ROOT, "tests", "emulator"))
from sesemu_fixture import Sesemu  # noqa: E402

ADDRESS = "support@help.shop.example"


def body(screen):
    """The screen without the header's data age and the status line (timings vary)."""
    lines = screen.splitlines()[:-1]
    lines[0] = re.sub(r" +data \d+ (s|min) old$", "  data <age>", lines[0])
    return "\n".join(lines) + "\n"


class RulesPane(TuiTest):
    emu = None

    @classmethod
    def setUpClass(cls):
        cls.emu = Sesemu(seed="demo").start()
        cls.ses = cls.emu.client("ses")

    @classmethod
    def tearDownClass(cls):
        if cls.emu:
            cls.emu.stop()

    def run_emu(self, *steps, **kw):
        # the pane opens on the active set's rules; Esc is the list of sets these steps start from
        return self.run_script("key r", ":rules", "key <Esc>", *steps, env=self.emu.env({}), **kw)

    def order(self, name="inbound-main"):
        return [r["Name"] for r in self.ses.describe_receipt_rule_set(RuleSetName=name)["Rules"]]

    def test_opens_on_the_active_sets_rules(self):
        r = self.run_script("key r", ":rules", "dump open", "key <Esc>", "dump sets",
                            env=self.emu.env({}), cols=132, rows=43)
        s = r.screens["open"]
        self.assertIn("rules of inbound-main (active), in evaluation order", s)
        self.assertRegex(s, r"\n#   rule ")
        self.assertIn("receipt rule sets (active: inbound-main)", r.screens["sets"])

    def test_sets_and_rules_screens(self):
        r = self.run_emu("dump sets", "keys /main", "key <Enter>", "key <Enter>", "dump rules",
                         "key <Esc>", "dump back")
        self.assert_screen("rules-sets-80x24", body(r.screens["sets"]))
        s = r.screens["rules"]
        self.assert_screen("rules-inbound-main-80x24", body(s))
        self.assertIn("rules of inbound-main (active), in evaluation order", s)
        rows = [l.split()[1] for l in frame_lines(s)[2:-1] if re.match(r"^ +\d+ ", l)]
        self.assertEqual(rows, self.order())
        self.assertIn("\u2717 off", [l for l in s.splitlines() if "postmaster-sns" in l][0])
        self.assertIn("receipt rule sets (active: inbound-main)", r.screens["back"])

    def test_ascii_mode_trace(self):
        """SESCTL_ASCII=1: the action chains and the trace use ASCII arrows and glyphs."""
        r = self.run_script("key r", ":rules", "key <Esc>", "keys /main", "key <Enter>", "key <Enter>",
                            "dump rules", "key T", f"keys {ADDRESS}", "key <Enter>", "dump trace",
                            env=self.emu.env({"SESCTL_ASCII": "1"}), cols=132, rows=43)
        for name in ("rules", "trace"):
            self.assertTrue(r.screens[name].isascii(), r.screens[name])
        self.assertIn("S3 shop-inbound-mail/support/ -> SNS arn:aws:sns:", r.screens["rules"])
        self.assertIn("+ applies: domain help.shop.example", r.screens["trace"])
        self.assertIn("  -> Stop", r.screens["trace"])

    def test_rules_132x43_and_rule_detail(self):
        r = self.run_emu("keys /main", "key <Enter>", "key <Enter>", "dump rules", "key j",
                         "key <Enter>", "dump detail", cols=132, rows=43)
        self.assert_screen("rules-inbound-main-132x43", body(r.screens["rules"]))
        d = r.screens["detail"]
        self.assertIn("rule support-to-s3 in inbound-main  Esc back", d)
        self.assertIn("position                   2 of 5 in inbound-main (active)", d)
        self.assertRegex(d, r"action 1 +S3 shop-inbound-mail/support/")

    def test_trace_reorder_and_trace_again(self):
        self.addCleanup(self.ses.set_receipt_rule_position, RuleSetName="inbound-main",
                        RuleName="support-to-s3", After="spam-drop")
        self.assertEqual(self.order()[:2], ["spam-drop", "support-to-s3"])
        r = self.run_emu("key T", f"keys {ADDRESS}", "key <Enter>", "dump trace", "key <Esc>",
                         "keys /main", "key <Enter>", "key <Enter>", "key j", "key K",
                         "dump dialog", "key y", "dump moved", "key T", "key <Enter>",
                         "dump again", cols=132, rows=43)
        t = r.screens["trace"]
        self.assert_screen("rules-trace-before-132x43", body(t))
        self.assertIn(f"trace {ADDRESS} through inbound-main (active)", t)
        self.assertIn("stopped at rule 1 (spam-drop); 1 rule applied", t)
        self.assertIn("processing ends here (Stop)", t)
        self.assertIn("receipt rule move inbound-main", r.screens["dialog"])
        # the question names the rule, the set and the effect (issue 20)
        self.assertIn("Move rule support-to-s3 to the top of inbound-main",
                      dialog_text(r.screens["dialog"]))
        self.assertIn("ok: sesctl receipt rule move inbound-main support-to-s3 --first",
                      r.screens["moved"].splitlines()[-1])
        # the emulator has the new order, and the pane shows it with the rule still selected
        self.assertEqual(self.order()[:2], ["support-to-s3", "spam-drop"])
        moved = [l.split()[1] for l in frame_lines(r.screens["moved"])[2:-1] if re.match(r"^ +\d+ ", l)]
        self.assertEqual(moved, self.order())
        self.assertRegex(frame_lines(r.screens["moved"])[1], r" 1/5 *$")
        again = r.screens["again"]
        self.assert_screen("rules-trace-after-132x43", body(again))
        lines = again.splitlines()
        s3 = next(i for i, l in enumerate(lines) if "\u2192 S3 shop-inbound-mail/support/" in l)
        sns = next(i for i, l in enumerate(lines) if "\u2192 SNS arn:aws:sns:" in l)
        self.assertLess(s3, sns)
        self.assertIn("stopped at rule 2 (spam-drop); 2 rules applied", again)

    def test_disable_then_enable_a_rule(self):
        self.addCleanup(self.set_enabled, "invoices-lambda", True)
        r = self.run_emu("keys /main", "key <Enter>", "key <Enter>", "key j", "key j", "key e", "key y",
                         "dump disabled", "key e", "dump enabled")  # enable needs no confirmation
        self.assertIn("ok: sesctl receipt rule disable inbound-main invoices-lambda",
                      r.screens["disabled"])
        row = [l for l in r.screens["disabled"].splitlines() if "invoices-lambda" in l][0]
        self.assertIn("\u2717 off", row)
        self.assertIn("ok: sesctl receipt rule enable inbound-main invoices-lambda",
                      r.screens["enabled"])
        rule = self.ses.describe_receipt_rule(RuleSetName="inbound-main", RuleName="invoices-lambda")
        self.assertTrue(rule["Rule"]["Enabled"])

    def set_enabled(self, name, enabled):
        rule = self.ses.describe_receipt_rule(RuleSetName="inbound-main", RuleName=name)["Rule"]
        rule["Enabled"] = enabled
        self.ses.update_receipt_rule(RuleSetName="inbound-main", Rule=rule)

    def test_activate_clone_and_delete_a_set(self):
        self.addCleanup(self.ses.set_active_receipt_rule_set, RuleSetName="inbound-main")
        self.addCleanup(self.drop_set, "inbound-copy")
        r = self.run_emu("keys /legacy", "key <Enter>", "key a", "dump dialog", "key y",
                         "dump activated", "key <Esc>", "keys /main", "key <Enter>", "key c",
                         "keys inbound-copy", "key <Enter>", "dump cloned", "key <Esc>",
                         "keys /copy", "key <Enter>", "key D", "dump typed", "keys inbound-copy",
                         "key <Enter>", "dump deleted", cols=132, rows=43)
        self.assertIn("receipt activate inbound-legacy", r.screens["dialog"])
        self.assertIn("ok: sesctl receipt activate inbound-legacy", r.screens["activated"])
        self.assertIn("receipt rule sets (active: inbound-legacy)", r.screens["activated"])
        self.assertIn("ok: sesctl receipt clone --from inbound-main inbound-copy",
                      r.screens["cloned"])
        self.assertIn("Type inbound-copy to confirm", r.screens["typed"])
        self.assertIn("ok: sesctl receipt delete inbound-copy", r.screens["deleted"])
        self.assertEqual(self.ses.describe_active_receipt_rule_set()["Metadata"]["Name"],
                         "inbound-legacy")
        names = [x["Name"] for x in self.ses.list_receipt_rule_sets()["RuleSets"]]
        self.assertNotIn("inbound-copy", names)

    def drop_set(self, name):
        if name in [x["Name"] for x in self.ses.list_receipt_rule_sets()["RuleSets"]]:
            self.ses.delete_receipt_rule_set(RuleSetName=name)

    def test_filter_create_and_delete(self):
        name = "tui-test-block"
        self.addCleanup(self.drop_filter, name)
        r = self.run_emu("key F", "key c", f"keys {name} 198.51.100.0/24", "key <Enter>",
                         "dump created", f"keys /{name}", "key <Enter>", "key D", "dump dialog",
                         "key y", "dump deleted", cols=132, rows=43)
        self.assertIn(f"ok: sesctl receipt filter create --policy block {name} 198.51.100.0/24",
                      r.screens["created"])
        row = [l for l in r.screens["created"].splitlines() if l.startswith(name)]
        self.assertEqual(row[0].split(), [name, "Block", "198.51.100.0/24"])
        self.assertIn(f"receipt filter delete {name}", r.screens["dialog"])
        self.assertIn(f"ok: sesctl receipt filter delete {name}", r.screens["deleted"])
        self.assertNotIn(name, [f["Name"] for f in self.ses.list_receipt_filters()["Filters"]])

    def drop_filter(self, name):
        if name in [f["Name"] for f in self.ses.list_receipt_filters()["Filters"]]:
            self.ses.delete_receipt_filter(FilterName=name)

    def test_filters_and_mail_manager_views(self):
        r = self.run_emu("key F", "dump filters", "key F", "key M", "dump mm", cols=132, rows=43)
        f = r.screens["filters"]
        self.assertIn("receipt IP filters", f)
        listed = self.ses.list_receipt_filters()["Filters"]
        for x in listed:
            self.assertIn(x["Name"], f)
        mm = r.screens["mm"]
        self.assertIn("Mail Manager (read-only)", mm)
        mmc = self.emu.client("mailmanager")
        for p in mmc.list_ingress_points()["IngressPoints"]:
            row = [l for l in mm.splitlines() if l.startswith("ingress-point") and p["IngressPointName"] in l]
            self.assertEqual(len(row), 1, mm)
            self.assertIn(p["Status"], row[0])
            if p.get("ARecord"):
                self.assertIn(p["ARecord"], row[0])  # the A record to point MX at
        self.assertIn("PENDING_DELETION", mm)


if __name__ == "__main__":
    unittest.main()
