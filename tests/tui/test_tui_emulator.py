"""The console against the emulator's demo account: `r` runs `sesctl sync`, the Identities
pane shows what arrived, the filter and the detail work on it, and a delete goes through
the typed confirmation dialog and the verb."""

import json
import time
import os
import re
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuitest import BIN, ROOT, TmuxMixin, TuiTest, dialog_text, frame_lines  # noqa: E402

sys.path.insert(0, os.path.join(ROOT, "tests", "emulator"))
from sesemu_fixture import Sesemu  # noqa: E402


class DemoAccount(TuiTest):
    emu = None

    @classmethod
    def setUpClass(cls):
        cls.emu = Sesemu(seed="demo").start()

    @classmethod
    def tearDownClass(cls):
        if cls.emu:
            cls.emu.stop()

    def run_emu(self, *steps, **kw):
        return self.run_script(*steps, env=self.emu.env({}), **kw)

    def rows(self, screen):
        return [l for l in frame_lines(screen)[3:-1] if l.strip()]

    def test_refresh_then_browse(self):
        r = self.run_emu("dump before", "key r", "dump synced", "keys /brand", "key <Enter>",
                         "dump filtered", "key <Esc>", "keys /bcher", "key <Enter>", "key <Enter>",
                         "dump detail", cols=132, rows=43)
        self.assertIn("no data yet", r.screens["before"])
        s = r.screens["synced"]
        head = s.splitlines()[0]
        self.assertIn("123456789012", head)
        self.assertIn("production  HEALTHY", head)
        self.assertRegex(head, r"data \d+ s old")
        self.assertIn("refreshed in", s.splitlines()[-1])
        listed = self.emu.client("sesv2").list_email_identities(PageSize=1000)["EmailIdentities"]
        self.assertRegex(frame_lines(s)[1], rf" 1/{len(listed)} *$")  # 40 unless a test deleted one
        names = {l.split()[0]: l for l in self.rows(s)}
        self.assertEqual(names["ops@shop.example"].split()[4], "-")  # an address has no DKIM
        self.assertIn("\u2026 pending", names["newbrand.example"])
        self.assertIn("\u2717 failed", names["legacy-brand.example"])
        self.assertIn("! temp fail", names["partner.example"])
        filtered = [l.split()[0] for l in self.rows(r.screens["filtered"])]
        self.assertEqual(filtered, ["ceo@newbrand.example", "legacy-brand.example",
                                    "newbrand.example", "old-sender@legacy-brand.example"])
        d = r.screens["detail"]
        self.assertIn("identity bücher.example (xn--bcher-kva.example)", d)
        self.assertEqual(len(re.findall(r"\._domainkey\.xn--bcher-kva\.example", d)), 3, d)

    def test_delete_needs_the_typed_name(self):
        name = "delete-me.example"  # its own identity: the other tests keep the seed intact
        self.emu.client("sesv2").create_email_identity(EmailIdentity=name)
        r = self.run_emu("key r", f"keys /{name}", "key <Enter>", "key D", "dump dialog",
                         "keys wrong", "key <Enter>", "dump mismatch", "key <Esc>", "dump cancelled",
                         "key D", f"keys {name}", "key <Enter>", "dump deleted")
        dialog = r.screens["dialog"]
        self.assertIn("Confirm (DANGER: this changes the account)", dialog)
        self.assertIn(f"Delete identity {name}", dialog)
        self.assertIn(f"{name} to confirm", dialog)
        self.assertIn("that does not match", r.screens["mismatch"])
        self.assertIn(f"cancelled: sesctl identity delete {name} (nothing was changed)",
                      r.screens["cancelled"].splitlines()[-1])
        last = r.screens["deleted"].splitlines()[-1]
        self.assertIn(f"ok: sesctl identity delete {name}", last)
        self.assertNotIn(name + " ", "\n".join(self.rows(r.screens["deleted"])))
        # the emulator agrees, and the audit trail has the exact command
        listed = self.emu.client("sesv2").list_email_identities(PageSize=1000)["EmailIdentities"]
        self.assertNotIn(name, [x["IdentityName"] for x in listed])

    def test_pause_banner_and_resume_from_the_prompt(self):
        self.addCleanup(self.emu.client("sesv2").put_account_sending_attributes, SendingEnabled=True)
        r = self.run_emu("key r", ':sending pause --reason "INC-4711 bounce spike"', "dump dialog",
                         "keys 123456789012", "key <Enter>", "dump paused",
                         ':sending resume --reason "all clear"', "keys 123456789012", "key <Enter>",
                         "dump resumed")
        self.assertIn("Pause sending for account 123456789012 in eu-west-1?", r.screens["dialog"])
        lines = r.screens["paused"].splitlines()
        self.assertRegex(lines[1], r"^ SENDING PAUSED \d{4}-\d\d-\d\d \d\d:\d\dZ by \S+ \u2014 "
                         r"INC-4711 bounce spike( \(with sesctl.*)?$")
        # the status line shows the exact command, quoted as the audit trail has it
        self.assertIn("ok: sesctl sending pause --reason 'INC-4711 bounce spike'", lines[-1])
        self.assertNotIn("SENDING PAUSED", r.screens["resumed"])
        self.assertTrue(self.emu.client("sesv2").get_account()["SendingEnabled"])
        # the audit trail has the exact commands, as `sesctl audit` prints them
        audit = subprocess.run([BIN, "--cache", self.cache, "audit", "--json"], env=self.env(),
                               capture_output=True, text=True, timeout=60)
        self.assertEqual(audit.returncode, 0, audit.stderr)
        commands = [e["command"] for e in json.loads(audit.stdout)]
        self.assertIn("sesctl sending pause --reason 'INC-4711 bounce spike' --region eu-west-1",
                      commands)
        self.assertIn("sesctl sending resume --reason 'all clear' --region eu-west-1", commands)

    def test_hidden_dialogs_do_not_act(self):
        # Resized below the minimum mid-dialog: the screen says "too small", and what is
        # typed meanwhile (the account id and Enter, a "y") must not confirm anything.
        ses = self.emu.client("ses")
        self.addCleanup(ses.set_active_receipt_rule_set, RuleSetName="inbound-main")
        self.addCleanup(self.emu.client("sesv2").put_account_sending_attributes, SendingEnabled=True)
        r = self.run_emu("key r", ':sending pause --reason "INC-1 hidden"', "resize 60 15",
                         "dump small", "keys 123456789012", "key <Enter>", "resize 80 24",
                         "dump back", "key <Esc>", "dump cancelled",
                         ":receipt activate inbound-legacy", "resize 60 15", "key y",
                         "resize 80 24", "dump yesno", "key n")
        self.assertIn("terminal too small", r.screens["small"])
        back = r.screens["back"]
        self.assertIn("Pause sending for account 123456789012", back)
        self.assertRegex(back, r"[\u2502|] > +[\u2502|]")  # the field is still empty
        self.assertIn("cancelled", r.screens["cancelled"].splitlines()[-1])
        self.assertTrue(self.emu.client("sesv2").get_account()["SendingEnabled"])
        self.assertIn("y: yes    n / Esc: no", r.screens["yesno"])
        self.assertEqual(ses.describe_active_receipt_rule_set()["Metadata"]["Name"], "inbound-main")

    def test_reload_keeps_the_selected_identity_and_its_detail(self):
        self.addCleanup(self.emu.client("sesv2").delete_email_identity,
                        EmailIdentity="aaa-new.example")
        r = self.run_emu("key r", "keys /help.shop.example", "key <Enter>", "key <Esc>", "dump before",
                         "key <Enter>", ":identity create aaa-new.example", "dump detail",
                         "key <Esc>", "dump after", cols=132, rows=43)
        pos = re.search(r" (\d+)/(\d+) *$", frame_lines(r.screens["before"])[1])
        self.assertIsNotNone(pos, r.screens["before"])
        # the new identity sorts first: the same identity is one row further down
        self.assertRegex(frame_lines(r.screens["after"])[1],
                         rf" {int(pos[1]) + 1}/{int(pos[2]) + 1} *$")
        self.assertIn("ok: sesctl identity create aaa-new.example", r.screens["detail"])
        self.assertIn("identity help.shop.example  Esc back", r.screens["detail"])

    def test_a_long_name_keeps_its_end_in_the_detail_title(self):
        name = "a-very-long-subdomain-for-the-middle-elision." + "x" * 20 + ".receipts.shop.example"
        v2 = self.emu.client("sesv2")
        v2.create_email_identity(EmailIdentity=name)
        self.addCleanup(v2.delete_email_identity, EmailIdentity=name)
        r = self.run_emu("key r", "keys /middle-elision", "key <Enter>", "key <Enter>",
                         "dump detail")
        title = frame_lines(r.screens["detail"])[2]
        self.assertIn("\u2026", title)  # elided in the middle, not cut at the end
        self.assertTrue(title.startswith("identity a-very"), title)
        self.assertIn(".receipts.shop.example", title)

    def test_audit_command_redoes_the_change_in_the_console_region(self):
        """:region then a change: the audit's command names the region it ran in, so two
        identical words in two regions are two different commands (issue 20)."""
        west = self.emu.client("sesv2", region="us-west-2")
        self.addCleanup(west.delete_email_identity, EmailIdentity="zz-west.example")
        r = self.run_emu(":region us-west-2", ":identity create zz-west.example", "dump done")
        self.assertIn("ok: sesctl identity create zz-west.example", r.screens["done"])
        west.get_email_identity(EmailIdentity="zz-west.example")  # made where it says
        audit = subprocess.run([BIN, "--cache", self.cache, "audit", "--json"], env=self.env(),
                               capture_output=True, text=True, timeout=60)
        self.assertEqual(audit.returncode, 0, audit.stderr)
        rows = [(e["result"], e["command"], e["region"]) for e in json.loads(audit.stdout)]
        cmd = "sesctl identity create zz-west.example --region us-west-2"
        self.assertEqual(rows, [("ok", cmd, "us-west-2"), ("started", cmd, "us-west-2")])
        text = subprocess.run([BIN, "--cache", self.cache, "audit"], env=self.env(),
                              capture_output=True, text=True, timeout=60).stdout
        self.assertRegex(text.splitlines()[0], r"\bREGION\b.*\bPROFILE\b")

    def test_yes_no_dialog(self):
        ses = self.emu.client("ses")
        self.addCleanup(ses.set_active_receipt_rule_set, RuleSetName="inbound-main")
        r = self.run_emu(":receipt activate inbound-legacy", "dump dialog", "key n", "dump no",
                         ":receipt activate inbound-legacy", "key y", "dump yes")
        self.assertIn("Make inbound-legacy the active receipt rule set", dialog_text(r.screens["dialog"]))
        self.assertIn("y: yes    n / Esc: no", r.screens["dialog"])
        self.assertIn("cancelled: sesctl receipt activate inbound-legacy (nothing was changed)",
                      r.screens["no"].splitlines()[-1])
        self.assertIn("ok: sesctl receipt activate inbound-legacy", r.screens["yes"].splitlines()[-1])
        self.assertEqual(ses.describe_active_receipt_rule_set()["Metadata"]["Name"], "inbound-legacy")

    def test_protected_profile_takes_the_alias_and_asks_once(self):
        """The dialog offered '(or alias)' but refused the alias, then asked a second
        yes/no (issue 20)."""
        ses = self.emu.client("ses")
        self.addCleanup(ses.set_active_receipt_rule_set, RuleSetName="inbound-main")
        self.write_config("[profile default]\nprotected = true\nalias = shop-prod\n")
        r = self.run_emu(":receipt activate inbound-legacy", "dump typed", "keys shop-prod",
                         "key <Enter>", "dump done", cols=100, rows=30)
        self.assertIn("Type the account id 123456789012 (or its alias shop-prod)",
                      dialog_text(r.screens["typed"]))
        self.assertIn("ok: sesctl receipt activate inbound-legacy",
                      r.screens["done"].splitlines()[-1])
        self.assertEqual(ses.describe_active_receipt_rule_set()["Metadata"]["Name"], "inbound-legacy")

    def test_read_only_refuses_delete(self):
        r = self.run_emu("key r", "key D", "dump refused", args=("--read-only",))
        last = r.screens["refused"].splitlines()[-1]
        self.assertIn("refused", last)
        self.assertIn("[RO]", r.screens["refused"].splitlines()[0])


@unittest.skipUnless(shutil.which("tmux"), "SKIP tmux is not installed")
class ReadVerbOutput(DemoAccount):
    """Issue 20: a read verb run from `:` showed one line of JSON in a toast; its answer is
    now a table in the Output pane (8) that scrolls, filters, sorts, opens and copies."""

    def test_a_read_verb_answers_in_a_table(self):
        r = self.run_emu("key 8", "dump none", "key r", ":suppression list --reason BOUNCE",
                         "dump list", "keys /import-00", "key <Enter>", "dump filtered",
                         "key <Enter>", "dump detail", "key <Esc>", "key <Esc>", "key 1",
                         "key <Tab>", "dump tab", ":dns shop.example --format zone",
                         "dump zone", cols=100, rows=30)
        none = r.screens["none"]
        self.assertNotIn("Output", frame_lines(none)[1])  # no tab before there is output
        self.assertIn("no output yet", none.splitlines()[-1])
        lines = frame_lines(r.screens["list"])
        self.assertIn("[8 Output]", lines[1])
        self.assertRegex(lines[2], r"^email +reason +last_update")
        self.assertIn("BOUNCE", lines[3])
        self.assertRegex(lines[-1], r"ok: sesctl suppression list --reason BOUNCE  \d+ rows in "
                                    r"8 Output")
        rows = [l for l in frame_lines(r.screens["filtered"])[3:-1] if l.strip()]
        self.assertTrue(rows and all(l.startswith("import-00") for l in rows), rows)
        self.assertIn("filter /import-00", frame_lines(r.screens["filtered"])[1])
        d = r.screens["detail"]
        self.assertIn("sesctl suppression list --reason BOUNCE", d)  # the detail's title
        self.assertRegex(d, r"(?m)^email +import-00")
        self.assertRegex(d, r"(?m)^reason +BOUNCE")
        # Tab goes round the tabs there are: from Identities to Reputation, and the Output
        # tab stays once it has output
        self.assertIn("[2 Reputation]", frame_lines(r.screens["tab"])[1])
        self.assertRegex(frame_lines(r.screens["tab"])[1], r" 8 Out(put)? ")
        # a text answer (a zone file) is one row per line, as the CLI prints it
        z = r.screens["zone"]
        self.assertIn("$ORIGIN shop.example.", z)
        self.assertRegex(z, r"(?m)^bounce +1800 +IN +MX +10 feedback-smtp")


class DemoAccountInTmux(TmuxMixin, TuiTest):
    emu = None

    @classmethod
    def setUpClass(cls):
        cls.emu = Sesemu(seed="demo").start()

    @classmethod
    def tearDownClass(cls):
        if cls.emu:
            cls.emu.stop()

    def test_stderr_goes_to_the_session_log_while_the_console_runs(self):
        self.start(extra_env=self.emu.env({}))
        self.wait_for("no data yet")
        self.tmux("send-keys", "r")
        s = self.wait_for("refreshed in")
        self.assertNotIn("identities [", s)  # sync's progress bar went to the log instead
        self.assertIn("newbrand.example", s)
        # stderr is the session log, not the terminal
        log = os.path.join(self.home, ".local/state/sesctl/console.log")
        self.assertEqual(os.stat(log).st_mode & 0o777, 0o600)
        self.tmux("send-keys", "q")
        self.assertEqual(self.wait_dead(), "0")

    def test_throttled_service_leaves_every_pane_usable(self):
        self.emu.set_faults(rules=[{"kind": "throttle", "rate": 1.0}])
        try:
            env = self.emu.env({})
            env["AWS_MAX_ATTEMPTS"] = "2"
            self.start(extra_env=env)
            s = self.wait_for("refresh failed")
            last = s.splitlines()[-1]
            self.assertTrue("throttl" in last.lower() or "Throttl" in last, last)
            for key, title in (("2", "[2 Reputation]"), ("3", "[3 Account]"), ("4", "[4 Log]"),
                               ("5", "[5 DNS]"), ("6", "[6 Rules]"), ("1", "[1 Identities]")):
                self.tmux("send-keys", key)
                s = self.wait_for(title)
                self.assertNotIn("Traceback", s)
        finally:
            self.emu.clear_faults()
        self.tmux("send-keys", "q")
        self.assertEqual(self.wait_dead(), "0")

    def test_dns_check_never_blocks_the_keys(self):
        import socket
        hole = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # a resolver that never answers
        hole.bind(("127.0.0.1", 0))
        try:
            self.start(extra_env=self.emu.env({}),
                       args=("--dns-server", f"127.0.0.1:{hole.getsockname()[1]}"))
            self.wait_for("refreshed in")
            self.tmux("send-keys", "5")
            self.wait_for("[5 DNS]")
            self.tmux("send-keys", "C")
            self.wait_for("checking")
            self.tmux("send-keys", "?")          # answered while every query waits
            s = self.wait_for("[7 Help]")
            self.assertNotIn("ERROR", s)  # the help came before any answer
            self.tmux("send-keys", "5")
            # the timeouts end the check: rows and summary (rows turn ERROR one by one as
            # their queries time out, before the last one does: wait for both)
            # (a resolver that never answers: each query gives up after its tries, 2 x 2 s
            # and more; on a loaded machine that is well past the usual 30 s ceiling)
            s = self.wait_for("ERROR", "checked ", ceiling=180)
            self.assertIn("checked", s.splitlines()[-1])
        finally:
            hole.close()
        self.tmux("send-keys", "q")
        self.assertEqual(self.wait_dead(), "0")

    def test_refresh_on_start_never_blocks_the_keys(self):
        # every identity detail takes 300 ms: the refresh runs for seconds in the background
        self.emu.set_faults(rules=[{"kind": "latency", "rate": 1.0, "ms": 300,
                                    "operation": "GetEmailIdentity"}])
        try:
            self.start(extra_env=self.emu.env({}))
            s = self.wait_for("refreshing")  # it started by itself: the cache was empty
            self.tmux("send-keys", "?")
            s = self.wait_for("help")        # the console answered while the refresh ran
            self.assertIn("refreshing", s.splitlines()[0])
            self.tmux("send-keys", "1")
            s = self.wait_for("refreshed in")
            self.assertIn("newbrand.example", s)
            self.assertNotIn("refreshing", s.splitlines()[0])
        finally:
            self.emu.clear_faults()
        self.tmux("send-keys", "q")
        self.assertEqual(self.wait_dead(), "0")


    def test_a_slow_change_keeps_the_keys_and_ctrl_c_cancels_it(self):
        """Before (issue 20): with 20 s of latency on PutAccountSendingAttributes the console
        froze on "running: ...", Ctrl-C did nothing until the call ended, and the queued
        Ctrl-C then quit the console."""
        sesv2 = self.emu.client("sesv2")
        self.addCleanup(sesv2.put_account_sending_attributes, SendingEnabled=True)
        self.addCleanup(self.emu.clear_faults)
        self.emu.set_faults(rules=[{"kind": "latency", "rate": 1.0, "ms": 15000,
                                    "operation": "PutAccountSendingAttributes"}])
        env = self.emu.env({})
        env["AWS_MAX_ATTEMPTS"] = "1"
        self.start(extra_env=env)
        self.wait_for("refreshed in")
        self.tmux("send-keys", ":sending pause --reason slow-one", "Enter")
        self.wait_for("Pause sending for account 123456789012")
        self.tmux("send-keys", "123456789012", "Enter")
        s = self.wait_for("running: sesctl sending pause --reason slow-one", "Ctrl-C cancels")
        # the keys stay live: another pane, the help, back
        self.tmux("send-keys", "3")
        self.wait_for("[3 Account]")
        self.tmux("send-keys", "?")
        self.wait_for("[7 Help]")
        # q does not quit under a running change; a second change is refused
        self.tmux("send-keys", "q")
        self.wait_for("a change is running")
        self.tmux("send-keys", ":identity create zz-second.example", "Enter")
        self.wait_for("a change is still running")
        # Ctrl-C cancels the change, not the console
        self.tmux("send-keys", "C-c")
        s = self.wait_for("cancelled after")
        self.assertIn("may have reached SES; r reads it back): sesctl sending pause", s.splitlines()[-1])
        self.assertTrue(sesv2.get_account()["SendingEnabled"])
        self.tmux("send-keys", "1")
        self.wait_for("[1 Identities]")
        self.assertNotEqual(self.pane_value("#{pane_dead}"), "1")
        # the trail: started, then cancelled, with the command the operator gave
        audit = subprocess.run([BIN, "--cache", self.cache, "audit", "--json"], env=self.env(),
                               capture_output=True, text=True, timeout=60)
        rows = [(e["result"], e["command"]) for e in json.loads(audit.stdout)
                if e["verb"] == "sending pause"]
        cmd = "sesctl sending pause --reason slow-one --region eu-west-1"
        self.assertEqual(rows, [("cancelled", cmd), ("started", cmd)])
        self.assertIn("may have reached SES", s)
        self.tmux("send-keys", "q")
        self.assertEqual(self.wait_dead(), "0")
        # as the note says: the request was on its way, and the emulator (like SES) still
        # carries it out when its 15 s are over; wait for that before the next test
        deadline = time.monotonic() + 120
        while sesv2.get_account()["SendingEnabled"] and time.monotonic() < deadline:
            time.sleep(0.2)

if __name__ == "__main__":
    unittest.main()
