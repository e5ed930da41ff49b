"""Files an operator is handed are outside input too: `sesctl diff` on something that is not a
snapshot fails cleanly (it used to free the parsed JSON twice), and a snapshot carrying
escape sequences and bidi controls in names and values gives inert text and JSON."""

import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hardtest import EXIT, HardTest, hostile_bytes_in  # noqa: E402

EVIL = "\x1b]52;c;ZXZpbA==\x07\x1b[2J \x9b6n \u202eevil\u202c"


def snapshot(identities, paused=False):
    return {"sesctl_snapshot": 1, "regions": [{
        "region": "eu-west-1", "account_state": {"sending_enabled": not paused, "note": EVIL},
        "identities": [{"name": n, "verification_status": v, "tags": {"k": EVIL}} for n, v in identities],
        "configuration_sets": [], "receipt_rule_sets": [], "receipt_filters": []}]}


class HostileFiles(HardTest):
    SEED = None

    def file(self, name, obj):
        path = os.path.join(self.home, name)
        with open(path, "w") as f:
            f.write(obj if isinstance(obj, str) else json.dumps(obj))
        return path

    def test_diff_of_files_that_are_not_snapshots(self):
        good = self.file("good.json", snapshot([("a.example", "SUCCESS")]))
        for i, bad in enumerate(("[1,2]", "{}", '{"regions": []}', "not json", "", '{"sesctl_snapshot"')):
            path = self.file(f"bad{i}.json", bad)
            for args in (("diff", path, good), ("diff", good, path), ("diff", path, path)):
                r = self.run_bytes(*args, env=self.base_env(emulator=False))
                self.assertEqual(r.code, EXIT["USAGE"], f"{bad!r}: {r!r}")
                self.assertIn(b"not a sesctl snapshot", r.err)

    def test_diff_output_is_inert(self):
        a = self.file("a.json", snapshot([("a.example", "SUCCESS"), (EVIL + ".example", "FAILED")]))
        b = self.file("b.json", snapshot([("a.example", "PENDING" + EVIL), ("new" + EVIL, "SUCCESS")], paused=True))
        for fmt in ((), ("--json",)):
            r = self.run_bytes("diff", a, b, *fmt, env=self.base_env(emulator=False))
            self.assertEqual(r.code, 0, repr(r))
            self.assertEqual(hostile_bytes_in(r.out) + hostile_bytes_in(r.err), [], repr(r))
        changes = r.json()
        self.assertIn("new" + EVIL, [c["name"] for c in changes])


if __name__ == "__main__":
    unittest.main()
