"""Files an operator is handed are outside input too: `sesctl diff` on something that is not a
snapshot fails cleanly (it used to free the parsed JSON twice), and a snapshot carrying
escape sequences and bidi controls in names and values gives inert text and JSON. Files
sesctl writes: --write-key refuses a symlink or an existing file before anything is created."""

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


class KeyFile(HardTest):
    """--write-key never follows a symlink or overwrites a file, and then nothing is created."""
    SEED = "demo"

    def test_write_key_refuses_symlink_and_existing_file(self):
        target = self.file_at("target", "precious\n")
        link = os.path.join(self.home, "link.pem")
        os.symlink(target, link)
        existing = self.file_at("exists.pem", "old\n")
        v2 = self.emu.client("sesv2")
        for i, path in enumerate((link, existing)):
            name = f"k{i}.shop.example"
            r = self.run_bytes("identity", "create", name, "--selector", "s1", "--generate-key",
                               "--write-key", path)
            self.assertNotEqual(r.code, 0, repr(r))
            self.assertIn(b"must not exist", r.err)
            names = [x["IdentityName"] for x in v2.list_email_identities(PageSize=1000)["EmailIdentities"]]
            self.assertNotIn(name, names, "the identity was created although its key could not be kept")
        with open(target) as f:
            self.assertEqual(f.read(), "precious\n")
        with open(existing) as f:
            self.assertEqual(f.read(), "old\n")

    def file_at(self, name, text):
        path = os.path.join(self.home, name)
        with open(path, "w") as f:
            f.write(text)
        return path


if __name__ == "__main__":
    unittest.main()
