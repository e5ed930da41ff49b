"""The man page carries the console's key reference verbatim from the REQ_INFO table, so it
cannot drift from the code (tests/unit/test_verbs.c does the same for the verbs)."""

import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import BIN, ROOT  # noqa: E402


class Docs(unittest.TestCase):
    def man(self):
        with open(os.path.join(ROOT, "doc", "sesctl.1"), encoding="utf-8") as f:
            return f.read()

    def test_key_reference_matches_the_binary(self):
        keys = subprocess.run([BIN, "help", "keys"], capture_output=True, text=True, check=True).stdout
        man = self.man()
        section = man[man.index(".SH CONSOLE KEYS"):]
        block = section[section.index(".nf\n") + 4:section.index("\n.fi")]
        self.assertEqual(block.replace("\\e", "\\"), keys.rstrip("\n"),
                         "doc/sesctl.1 CONSOLE KEYS differs from `sesctl help keys`: paste it again")


if __name__ == "__main__":
    unittest.main()
