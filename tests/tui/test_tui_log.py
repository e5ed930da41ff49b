"""The Log pane from a fixed cache: the audit trail (newest first, each entry with the exact
command that repeats it, y copies it), an entry's detail, and the API call log."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuitest import TuiTest  # noqa: E402
import incident_data  # noqa: E402


class FixedData(TuiTest):
    def setUp(self):
        super().setUp()
        self.make_cache()
        incident_data.seed(self.cache, stats=False)

    def copied(self):
        path = os.path.join(self.home, ".local", "state", "sesctl", "exports", "log-copy.txt")
        with open(path) as f:
            text = f.read()
        os.remove(path)
        return text

    def test_audit_trail_80x24_and_132x43(self):
        r = self.run_script(":log", "dump audit80", "resize 132 43", "dump audit132", cols=80, rows=24)
        self.assert_screen("log-audit-80x24", r.screens["audit80"])
        s = r.screens["audit132"]
        self.assert_screen("log-audit-132x43", s)
        rows = s.splitlines()[4:7]
        self.assertRegex(rows[0], r"^<time> alice +\u2713 ok +sesctl sending resume --reason "
                         r"'list import reverted'$".replace("<time>", r"2026-11-21 22:00Z"))
        self.assertRegex(rows[1], r"^2026-11-21 10:00Z bob +! refused +sesctl suppression remove "
                         r"anna@mail\.example$")
        self.assertRegex(rows[2], r"^2026-11-21 09:15Z alice +\u2713 ok +sesctl sending pause "
                         r"--reason 'INC-4711 bounce spike'$")

    def test_entry_detail_and_copy(self):
        r = self.run_script(":log", "key G", "key y", "dump copied", "key <Enter>", "dump entry",
                            "key <Esc>", "dump back", cols=80, rows=24)
        self.assertRegex(r.screens["copied"].splitlines()[-1], r"saved 53 bytes to ")
        self.assertEqual(self.copied(), "sesctl sending pause --reason 'INC-4711 bounce spike'")
        e = r.screens["entry"]
        self.assertIn("audit entry  y copies a value  Esc back", e)
        self.assertRegex(e, r"\nreason +INC-4711 bounce spike\n")
        self.assertRegex(e, r"\nuser +alice\n")
        self.assertRegex(e, r"\nhost +ops-1\n")
        self.assertIn("[Audit trail 3]", r.screens["back"])
        self.assertRegex(r.screens["back"].splitlines()[1], r" 3/3 *$")

    def test_api_calls(self):
        r = self.run_script(":log", "key l", "dump calls", "key j", "key y", "dump copied",
                            "key <Enter>", "dump call", cols=132, rows=43)
        s = r.screens["calls"]
        self.assert_screen("log-calls-132x43", s)
        self.assertIn("[API calls 4]", s)
        self.assertRegex(s, r"\n23:05:00Z eu-west-1 +GetMetricData +30000 +2 \u2717 NETWORK +-\n")
        self.assertRegex(s, r"\n23:03:20Z eu-west-1 +ListSuppressedDestinations +1210 +3 \u2717 429 "
                         r"TooManyRequestsException +f97b3282-cccc")
        self.assertRegex(s, r"\n23:00:00Z eu-west-1 +GetAccount +41 +0 200 +0f290209-aaaa")
        self.assertEqual(self.copied(), "f97b3282-cccc-4c4c-9fab-81949e7e7708")
        self.assertRegex(r.screens["call"], r"\nerror code +TooManyRequestsException\n")
        self.assertRegex(r.screens["call"], r"\nretries +3\n")


if __name__ == "__main__":
    unittest.main()
