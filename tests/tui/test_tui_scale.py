"""The Identities pane over more identities than a first screen holds (issue 21): the
first frame shows the first screen and the whole count, the rest is loaded before any key
is read, and a row's detail is read in full on Enter (the list holds rows brief)."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuitest import TmuxMixin, TuiTest  # noqa: E402

N = 600  # more than a first screen (256 rows)


def many():
    ids = [{"name": f"id{i:04d}.example", "type": "DOMAIN", "verification_status": "SUCCESS",
            "sending_enabled": 1, "has_details": 1, "dkim_signing_enabled": 1,
            "dkim_status": "SUCCESS"} for i in range(N)]
    ids.append({"name": "zz-last.example", "type": "DOMAIN", "verification_status": "PENDING",
                "sending_enabled": 1, "has_details": 1, "dkim_status": "PENDING",
                "dkim_signing_enabled": 1, "dkim_origin": "AWS_SES",
                "dkim_current_key_length": "RSA_2048_BIT",
                "dkim_tokens": ["tok1", "tok2", "tok3"], "verification_error": "HOST_NOT_FOUND",
                "tags": [{"key": "team", "value": "mail"}]})
    return ids


class ManyIdentities(TuiTest):
    def setUp(self):
        super().setUp()
        self.seed_cache(many())

    def test_first_screen_then_the_rest(self):
        r = self.run_script("dump first", "key G", "dump last", "key g", "key /",
                            "keys id0599", "key <Enter>", "dump filtered", cols=100, rows=30)
        first = r.screens["first"]
        self.assertIn(f"1/{N + 1}", first)          # the whole count, not the first screen's
        self.assertIn("id0000.example", first)
        last = r.screens["last"]
        self.assertIn(f"{N + 1}/{N + 1}", last)      # the rest was loaded before the first key
        self.assertIn("zz-last.example", last)
        self.assertIn("1/1", r.screens["filtered"])  # the filter searches every row
        self.assertIn("id0599.example", r.screens["filtered"])

    def test_detail_reads_the_identity_in_full(self):
        # the list reads identities brief (no tokens, key details, tags): Enter reads one whole
        r = self.run_script("key G", "key <Enter>", "dump detail", cols=100, rows=40)
        d = r.screens["detail"]
        self.assertIn("identity zz-last.example", d)
        self.assertIn("tok1._domainkey.zz-last.example", d)
        self.assertIn("RSA_2048_BIT", d)
        self.assertIn("HOST_NOT_FOUND", d)
        self.assertIn("team = mail", d)

    def test_sorting_builds_every_row(self):
        # s sorts on the name column (text: every row's cells are built), S reverses it
        r = self.run_script("key s", "key S", "dump sorted", cols=100, rows=30)
        lines = r.screens["sorted"].splitlines()
        # the selection (id0000) follows its row to the end of all 601, names descending
        self.assertIn(f"{N + 1}/{N + 1}", lines[1])
        names = [l.split()[0] for l in lines[3:-1] if l.strip()]
        self.assertEqual(names, sorted(names, reverse=True), r.screens["sorted"])
        self.assertEqual(names[-1], "id0000.example")


class ManyIdentitiesOnATerminal(TmuxMixin, TuiTest):
    def test_first_frame_then_the_last_row(self):
        self.seed_cache(many())
        self.start(cols=100, rows=30)
        self.wait_for(f"1/{N + 1}", "id0000.example")
        self.tmux("send-keys", "G")
        self.wait_for(f"{N + 1}/{N + 1}", "zz-last.example")


if __name__ == "__main__":
    unittest.main()
