"""Screen-dump tests of the console: scripted keys, dumps compared with tests/tui/expected."""

import os
import re
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuitest import BIN, DEMO_ACCOUNT, TuiTest, demo_identities  # noqa: E402


class EmptyCache(TuiTest):
    def test_start_empty_80x24(self):
        r = self.run_script("dump start")
        self.assert_screen("empty-80x24", r.screens["start"])
        self.assertIn("no data yet \u2014 press r", r.screens["start"])

    def test_start_empty_132x43(self):
        r = self.run_script("dump start", cols=132, rows=43)
        self.assert_screen("empty-132x43", r.screens["start"])

    def test_help(self):
        # from the Log pane (no keys of its own) Help opens at the top
        r = self.run_script(":log", "key ?", "dump help", "key <Esc>", "dump back")
        # the row count includes the verb table, which grows with every verb: not pinned here
        self.assert_screen("help-80x24", re.sub(r"1/\d+\n", "1/N\n", r.screens["help"], count=1))
        self.assertIn("[4 Log]", r.screens["back"])

    def test_help_opens_at_the_current_panes_keys(self):
        r = self.run_script(":dns", "key ?", "dump help", cols=132, rows=43)
        lines = r.screens["help"].splitlines()
        pos = re.search(r" (\d+)/(\d+) *$", lines[1])
        self.assertNotEqual(pos[1], "1", lines[1])
        # the first row of the body is the selected one when the table scrolled to it, or
        # the selected row is visible: either way the dns keys are on screen
        self.assertTrue(any(re.match(r"^dns +", l) for l in lines[3:-1]), r.screens["help"])
        self.assertNotIn("go to pane 8", r.screens["help"])
        self.assertIn("go to the Identities pane", "\n".join(
            self.run_script("key ?", "keys /pane-1", "key <Enter>", "dump f",
                            cols=132, rows=43).screens["f"].splitlines()))

    def test_help_lists_prompt_commands_and_verbs(self):
        r = self.run_script("key ?", "keys /prompt", "key <Enter>", "dump prompt", "key <Esc>",
                            "keys /verb", "key <Enter>", "dump verbs", "key <Esc>",
                            "keys /identity delete", "key <Enter>", "key <Enter>", "dump typed",
                            cols=132, rows=43)
        self.assertIn("%(identity)", r.screens["prompt"])
        self.assertRegex(r.screens["verbs"], r"verb +:identity delete +changes +Delete an identity")
        self.assertRegex(r.screens["verbs"], r"verb +:whoami +reads")
        # Enter on a verb opens the prompt with it typed in
        self.assertEqual(r.screens["typed"].splitlines()[-1], ":identity delete")

    def test_help_filter_and_invert(self):
        r = self.run_script("key ?", "keys /quit", "key <Enter>", "dump quit",
                            "keys /!global", "key <Enter>", "dump inverted", "key <Esc>", "dump cleared")
        self.assert_screen("help-filter-quit", r.screens["quit"])
        lines = r.screens["quit"].splitlines()
        body = [l for l in lines[3:-1] if l.strip()]
        self.assertTrue(body and all("quit" in l for l in body), body)
        inv = [l for l in r.screens["inverted"].splitlines()[3:-1] if l.strip()]
        self.assertTrue(inv and not any(l.startswith("global") for l in inv), inv)
        self.assertNotIn("filter /", r.screens["cleared"])

    def test_too_small_then_resize(self):
        r = self.run_script("dump small", "resize 80 24", "dump fits", "resize 79 30", "dump narrow",
                            cols=60, rows=15)
        self.assert_screen("too-small-60x15", r.screens["small"])
        self.assertIn("terminal too small (need 80x20, have 60x15)", r.screens["small"])
        self.assertIn("[1 Identities]", r.screens["fits"])
        self.assertIn("have 79x30", r.screens["narrow"])

    def test_resize_grows_and_shrinks(self):
        r = self.run_script("resize 132 43", "dump big", "resize 80 24", "dump normal")
        self.assert_screen("empty-132x43", r.screens["big"])
        self.assert_screen("empty-80x24", r.screens["normal"])

    def test_ascii(self):
        r = self.run_script("dump start", env={"SESCTL_ASCII": "1"})
        self.assertIn("no data yet - press r", r.screens["start"])
        self.assertTrue(all(ord(c) < 128 for c in r.screens["start"]))

    def test_ascii_flag(self):
        r = self.run_script("key ?", "key g", "dump help", args=("--ascii",))
        self.assertTrue(all(ord(c) < 128 for c in r.screens["help"]), r.screens["help"])
        self.assertRegex(r.screens["help"], r"filter rows by substring; a[^\n]*~\n")  # ASCII ellipsis

    def test_non_utf8_locale_gives_ascii(self):
        r = self.run_script("key ?", "key g", "dump help", env={"LC_ALL": "C"})
        self.assertTrue(all(ord(c) < 128 for c in r.screens["help"]), r.screens["help"])
        self.assertIn("no data yet - press r", r.screens["help"])

    def test_no_region_says_how_to_set_one(self):
        r = self.run_script("dump start", region=None)
        lines = r.screens["start"].splitlines()
        self.assertIn("no region", lines[0])
        self.assertEqual(lines[3], "no region: start with --region REGION or set region in the AWS profile")

    def test_header_names_every_region_and_protection(self):
        self.write_config("[profile default]\nprotected = true\n")
        r = self.run_script("dump two", ":region us-east-1", "dump one",
                            args=("--region", "us-west-2"))
        head = r.screens["two"].splitlines()[0]
        self.assertIn(" eu-west-1,us-west-2 ", head)
        self.assertIn("[PROTECTED]", head)
        self.assertIn(" us-east-1  ", r.screens["one"].splitlines()[0])
        self.assertNotIn("us-west-2", r.screens["one"].splitlines()[0])

    def test_unterminated_quote_is_refused(self):
        r = self.run_script(":identity create 'oops.example", "dump q")
        self.assertIn("error: a quote is not closed; nothing was run",
                      r.screens["q"].splitlines()[-1])

    def test_read_only_badge(self):
        r = self.run_script("dump start", args=("--read-only",))
        self.assertIn("[RO]", r.screens["start"].splitlines()[0])

    def test_offline_is_offline(self):
        # --offline: marked in the header; P refuses before asking for a reason; the DNS
        # pane's live check (C) looks nothing up; the headless dns --check refuses as well
        self.seed_cache(demo_identities(), DEMO_ACCOUNT)
        r = self.run_script("dump start", ":account", "key P", "dump pause", ":dns",
                            "key A", "key C", "dump check", args=("--offline",))
        self.assertIn("[OFFLINE]", r.screens["start"].splitlines()[0])
        pause = r.screens["pause"]
        self.assertNotIn("Reason", pause)
        self.assertIn("refused: --offline given", pause.splitlines()[-1])
        self.assertIn("refused: --offline given; the live check", r.screens["check"].splitlines()[-1])
        p = subprocess.run([BIN, "--cache", self.cache, "--region", "eu-west-1", "--offline",
                            "dns", "shop.example", "--check"], env=self.env(),
                           capture_output=True, text=True, timeout=60)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("refused: --offline given; --check looks the records up in DNS", p.stderr)

    def test_dns_all_domains_survives_a_name_with_no_records(self):
        # the seed holds "evil\x1b[2J\x07.example", for which no record can be made: A (all
        # domains) crashed comparing the next domain with that empty slot
        self.seed_cache(demo_identities(), DEMO_ACCOUNT)
        r = self.run_script(":dns", "key A", "dump all", cols=132, rows=43)
        self.assertIn("bounce.shop.example", r.screens["all"])

    def test_unknown_command_and_completion(self):
        r = self.run_script(":nonsense", "dump unknown", "keys :who", "key <Tab>", "dump completed",
                            "key <Esc>")
        self.assertIn("error: unknown command 'nonsense'", r.screens["unknown"].splitlines()[-1])
        self.assertEqual(r.screens["completed"].splitlines()[-1], ":whoami")

    def test_prompt_history(self):
        r = self.run_script("keys :help", "key <Enter>", "key <Esc>", "keys :identities",
                            "key <Enter>", "key :", "key <Up>", "key <Up>",
                            "dump older", "key <Down>", "dump newer", "key <Down>", "dump empty",
                            "key <Esc>")
        self.assertEqual(r.screens["older"].splitlines()[-1], ":help")
        self.assertEqual(r.screens["newer"].splitlines()[-1], ":identities")
        self.assertEqual(r.screens["empty"].splitlines()[-1], ":")

    def test_key_override_from_config(self):
        self.write_config("[keys]\nx = help\n")
        r = self.run_script("key x", "key g", "dump help")
        self.assertRegex(r.screens["help"], r"\[\d Help\]")  # the last tab, whatever its number
        self.assertRegex(r.screens["help"], r"global +\?, <F1>, x +help")

    def test_bad_key_override_is_reported(self):
        self.write_config("[keys]\nx = no-such-request\n")
        r = self.run_script("dump start")
        self.assertIn("unknown request name", r.screens["start"].splitlines()[-1])

    def test_pane_key_elsewhere_says_where_it_works(self):
        r = self.run_script("key ?", "key g", "key D", "dump help")
        self.assertEqual(r.screens["help"].splitlines()[-1],
                         "D (identity-delete) works in the identities pane")

    def test_quit_key_ends_before_script(self):
        r = self.run_script("key q", "dump never", check=False)
        self.assertEqual(r.code, 0, r)
        self.assertEqual(r.screens, {})

    def test_script_error_is_shown(self):
        r = self.run_script("key <NoSuchKey>", "dump bad")
        self.assertIn("unknown key", r.screens["bad"].splitlines()[-1])


class WithData(TuiTest):
    def setUp(self):
        super().setUp()
        self.seed_cache(demo_identities(), DEMO_ACCOUNT)

    def test_identities(self):
        r = self.run_script("dump list", "key j", "key j", "dump moved")
        self.assert_screen("identities-80x24", r.screens["list"])
        head = r.screens["list"].splitlines()[0]
        self.assertIn(" default  eu-west-1  123456789012", head)
        self.assertIn("production  HEALTHY", head)
        self.assertIn("data 6 h old", head)

    def test_identities_132x43(self):
        r = self.run_script("dump list", cols=132, rows=43)
        self.assert_screen("identities-132x43", r.screens["list"])

    def test_wide_characters_keep_the_columns(self):
        r = self.run_script("dump list")
        rows = {l.split()[0]: l for l in r.screens["list"].splitlines()[3:-1] if l.strip()}
        wide, narrow = rows["\u516c\u53f8.example"], rows["shop.example"]
        # two wide characters take four columns: the next column starts two characters early
        self.assertEqual(wide.index("verified") + 2, narrow.index("verified"))

    def test_network_text_is_sanitized(self):
        r = self.run_script("dump list")
        self.assertNotIn("\x1b", r.screens["list"])
        self.assertNotIn("\x07", r.screens["list"])
        self.assertIn("evil\\e[2J\\x07.example", r.screens["list"])

    def test_idn_shown_in_unicode_and_found_by_punycode(self):
        r = self.run_script("keys /xn--bcher", "key <Enter>", "dump filtered", "key <Enter>",
                            "dump detail")
        rows = [l for l in r.screens["filtered"].splitlines()[3:-1] if l.strip()]
        self.assertEqual(len(rows), 1, rows)
        self.assertTrue(rows[0].startswith("b\u00fccher.example"), rows)
        self.assertIn("identity b\u00fccher.example (xn--bcher-kva.example)", r.screens["detail"])

    def test_filter_sort_and_invert(self):
        r = self.run_script("keys /brand", "key <Enter>", "dump brand", "key <Esc>", "keys /!example",
                            "key <Enter>", "dump inverted", "key <Esc>", "key s", "key S", "dump sorted")
        self.assert_screen("identities-filter-brand", r.screens["brand"])
        names = [l.split()[0] for l in r.screens["brand"].splitlines()[3:-1] if l.strip()]
        self.assertEqual(names, ["legacy-brand.example", "newbrand.example"])
        self.assertIn("no row matches the filter", r.screens["inverted"])
        first = r.screens["sorted"].splitlines()[3].split()[0]
        self.assertEqual(first, "\u516c\u53f8.example")  # UTF-8 bytes sort after ASCII
        self.assertIn("name\u25bc", r.screens["sorted"].splitlines()[2])

    def test_detail_and_back(self):
        r = self.run_script("key <Enter>", "dump detail", "key <Esc>", "dump back")
        self.assert_screen("identity-detail-80x24", r.screens["detail"])
        self.assertIn("MAIL FROM status           FAILED", r.screens["detail"])
        self.assertEqual(r.screens["back"].splitlines()[2].split()[0], "name")

    def test_detail_of_shop_lists_everything(self):
        r = self.run_script("keys /shop.example", "key <Enter>", "key j", "key <Enter>", "dump detail",
                            cols=132, rows=43)
        d = r.screens["detail"]
        for text in ("bounce.shop.example", "transactional", "allow-app:", '"Statement":[]}',
                     "team = payments", "RSA_2048_BIT", "USE_DEFAULT_VALUE",
                     "DKIM tokens                tok1aaaaaaaaaaaaaaaaaaaaaaaaaaaa._domainkey.shop.example\n"
                     "                             CNAME tok1aaaaaaaaaaaaaaaaaaaaaaaaaaaa.dkim.amazonses.com\n"):
            self.assertIn(text, d)

    def test_delete_runs_the_verb_on_the_selected_identity(self):
        # No credentials here: the verb refuses before any dialog, naming the command.
        r = self.run_script("key D", "dump delete")
        self.assertIn("sesctl identity delete billing.example", r.screens["delete"].splitlines()[-1])

    def test_command_variables_come_from_the_selected_row(self):
        r = self.run_script("keys /ops@", "key <Enter>", ":identity show %(identity)", "dump shown",
                            ":identity show %(domain)", "dump domain", ":x %(rule)", "dump unset")
        self.assertIn("sesctl identity show ops@shop.example:", r.screens["shown"].splitlines()[-1])
        self.assertIn("sesctl identity show shop.example:", r.screens["domain"].splitlines()[-1])
        self.assertIn("error: %(rule) is not set here", r.screens["unset"].splitlines()[-1])

    def test_tab_completes_identity_names_after_a_verb(self):
        r = self.run_script("keys :identity show sh", "key <Tab>", "dump one", "key <C-u>",
                            "keys identity show ne", "key <Tab>", "dump other", "key <Esc>")
        self.assertEqual(r.screens["one"].splitlines()[-1], ":identity show shop.example")
        lines = r.screens["other"].splitlines()
        self.assertEqual(lines[-1], ":identity show newbrand.example")
        self.assertEqual(lines[-2], "")  # a single match gives no list

    def test_tab_completes_a_verbs_options(self):
        """Tab completed verbs but not flags (issue 20)."""
        r = self.run_script("keys :suppression list --si", "key <Tab>", "dump one", "key <C-u>",
                            "keys suppression list --", "key <Tab>", "dump all", "key <Esc>")
        self.assertEqual(r.screens["one"].splitlines()[-1], ":suppression list --since")
        lines = r.screens["all"].splitlines()
        self.assertEqual(lines[-1], ":suppression list --")
        self.assertIn("--since", lines[-2])
        self.assertIn("--reason", lines[-2])

    def test_tab_lists_candidates_above_the_prompt(self):
        r = self.run_script("keys :identity show o", "key <Tab>", "dump list", "key <Esc>")
        lines = r.screens["list"].splitlines()
        self.assertEqual(lines[-1], ":identity show o")
        self.assertEqual(lines[-2], "old.example  ops@shop.example")

    def test_yank_without_a_clipboard_saves_a_file(self):
        r = self.run_script("key y", "dump yank", cols=132)
        last = r.screens["yank"].splitlines()[-1]
        path = os.path.join(self.home, ".local/state/sesctl/exports/identities-copy.txt")
        self.assertIn(f"no clipboard reachable; saved 15 bytes to {path}", last)
        with open(path) as f:
            self.assertEqual(f.read(), "billing.example")
        self.assertEqual(os.stat(path).st_mode & 0o777, 0o600)


class Paused(TuiTest):
    def test_banner_says_who_when_why(self):
        when = int(time.time()) - 3600
        acct = dict(DEMO_ACCOUNT, sending_enabled=False)
        self.seed_cache(demo_identities()[:2], acct, pauses=[
            dict(time=when, os_user="alice", reason="INC-4711 bounce spike", action=1)])
        r = self.run_script("dump paused")
        banner = r.screens["paused"].splitlines()[1]
        stamp = time.strftime("%Y-%m-%d %H:%MZ", time.gmtime(when))
        self.assertEqual(banner.strip(),
                         f"SENDING PAUSED {stamp} by alice \u2014 INC-4711 bounce spike (with sesctl)")
        # the identities' own switches are on, but nothing leaves while the account is paused
        rows = [l for l in r.screens["paused"].splitlines()[4:-1] if l.strip()]
        self.assertTrue(rows)
        for row in rows:
            self.assertIn("\u2717 paused", row)
            self.assertNotIn("\u2713 on", row)

    def test_unknown_sending_state_is_not_shown_as_enabled(self):
        # a fresh cache (nothing ever read): the Account pane must not claim "enabled"
        self.make_cache()
        r = self.run_script(":account", "dump acct")
        s = r.screens["acct"]
        self.assertNotIn("sending enabled", s)
        self.assertIn(" ? sending state unknown for account ? in eu-west-1", s)

    def test_mail_from_reject_says_what_it_means(self):
        self.seed_cache(demo_identities(), DEMO_ACCOUNT)
        r = self.run_script("keys /billing", "key <Enter>", "dump list", "key <Enter>",
                            "dump detail", cols=132, rows=43)
        self.assertRegex(r.screens["list"], r"\nbilling\.example +domain .*\u2717 rejecting ")
        self.assertIn("SES REJECTS every message from this identity", r.screens["detail"])

    def test_no_banner_while_sending(self):
        self.seed_cache(demo_identities()[:2], DEMO_ACCOUNT)
        r = self.run_script("dump running")
        self.assertNotIn("SENDING PAUSED", r.screens["running"])


if __name__ == "__main__":
    unittest.main()
