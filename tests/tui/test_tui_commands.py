"""Console commands beyond verbs: :theme switches live, :region looks at another region."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuitest import ROOT, TuiTest  # noqa: E402


class Commands(TuiTest):
    def test_theme_switch_and_unknown_theme(self):
        env = self.env(extra={"SESCTL_THEMES_DIR": os.path.join(ROOT, "themes")})
        r = self.run_script(":theme light", "dump light", ":theme nope", "dump nope",
                            ":theme mono", "dump mono", cols=80, rows=24, env=env)
        self.assertIn("theme light", r.screens["light"].splitlines()[-1])
        last = r.screens["nope"].splitlines()[-1]
        self.assertIn("theme 'nope' not found", last)
        self.assertIn("theme mono", r.screens["mono"].splitlines()[-1])

    def test_region_switch(self):
        self.write_config("[global]\nrefresh = 0\n")
        r = self.run_script(":region us-west-2", "dump west", ":region not_a_region", "dump bad",
                            cols=80, rows=24)
        self.assertIn("us-west-2", r.screens["west"].splitlines()[0])
        self.assertIn("usage: :region NAME", r.screens["bad"].splitlines()[-1])
        self.assertIn("us-west-2", r.screens["bad"].splitlines()[0])

    def test_profile_list_and_switch(self):
        with open(os.path.join(self.home, ".aws", "config"), "w") as f:
            f.write("[default]\nregion = eu-west-1\n[profile oncall]\nregion = eu-west-1\n")
        self.write_config("[global]\nrefresh = 0\n[profile oncall]\nread_only = true\n")
        r = self.run_script(":profile", "dump list", ":profile oncall", "dump oncall",
                            ":profile nope", "dump nope", ":profile -", "dump back",
                            cols=100, rows=24)
        self.assertIn("profiles: default, oncall", r.screens["list"].splitlines()[-1])
        self.assertIn("oncall", r.screens["oncall"].splitlines()[0])
        self.assertIn("[RO]", r.screens["oncall"].splitlines()[0])  # its policy took effect
        self.assertIn("profile oncall (read-only)", r.screens["oncall"].splitlines()[-1])
        self.assertIn("profile nope:", r.screens["nope"].splitlines()[-1])
        self.assertIn("oncall", r.screens["nope"].splitlines()[0])  # unchanged
        # '-': back to no explicit profile (issue 20: there was no way back to the
        # environment's credentials)
        self.assertIn("profile default (no --profile: the environment's credentials first)",
                      r.screens["back"].splitlines()[-1])
        self.assertNotIn("[RO]", r.screens["back"].splitlines()[0])


if __name__ == "__main__":
    unittest.main()
