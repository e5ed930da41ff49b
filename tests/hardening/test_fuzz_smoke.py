"""Smoke run of every libFuzzer target: build them (`make fuzz-build`, clang with ASan+UBSan),
then run each over its seed corpus (tests/fuzz/seeds.py: recorded emulator replies and
samples) and its crash regressions (tests/fuzz/regress/NAME), plus a few thousand mutations.
The long runs are `make fuzz` (FUZZ_SECONDS each); doc/reliability.md has their figures.

Skips loudly when clang or the libFuzzer runtime is missing. SESCTL_FUZZ_RUNS sets the
mutation count (default 2000); SESCTL_FUZZ_BUILD the build folder (default build/fuzz).
"""

import glob
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.environ.get("SESCTL_ROOT") or os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FUZZ_BUILD = os.environ.get("SESCTL_FUZZ_BUILD") or os.path.join(ROOT, "build", "fuzz")
RUNS = int(os.environ.get("SESCTL_FUZZ_RUNS", "2000"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hardtest import fuzz_seeds  # noqa: E402

seeds = fuzz_seeds()

TARGETS = sorted(os.path.basename(p)[:-2] for p in glob.glob(os.path.join(ROOT, "tests", "fuzz", "fuzz_*.c")))


def libfuzzer_missing():
    if not shutil.which("clang"):
        return "clang is not installed (make deps installs it)"
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "t.c")
        with open(src, "w") as f:
            f.write("#include <stddef.h>\n#include <stdint.h>\n"
                    "int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);\n"
                    "int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n")
        r = subprocess.run(["clang", "-fsanitize=fuzzer,address,undefined", "-o", os.path.join(d, "t"), src],
                           capture_output=True, text=True)
        if r.returncode != 0:
            return "clang cannot link libFuzzer (libclang-rt-14-dev missing?): " + r.stderr[-300:]
    return None


class FuzzSmoke(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        why = libfuzzer_missing()
        if why:
            print(f"SKIP fuzz smoke: {why}", file=sys.stderr)
            raise unittest.SkipTest(why)
        r = subprocess.run(["make", "--no-print-directory", "-C", ROOT, f"FUZZ_BUILD={FUZZ_BUILD}", "fuzz-build"],
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise AssertionError("make fuzz-build failed:\n" + (r.stdout + r.stderr)[-4000:])
        cls.seed_dir = tempfile.mkdtemp(prefix="sesctl-fuzz-seeds-")
        cls.counts = seeds.write_all(cls.seed_dir)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.seed_dir, ignore_errors=True)

    def test_every_target_has_seeds(self):
        self.assertEqual(sorted(seeds.TARGETS), TARGETS)
        for t in TARGETS:
            self.assertGreater(self.counts[t], 0, t)
        # every parser family named in the hardening brief has a target
        for must in ("fuzz_ses_parse", "fuzz_aws_config", "fuzz_creds", "fuzz_settings", "fuzz_theme",
                     "fuzz_dns_policy", "fuzz_dns_answer", "fuzz_text", "fuzz_aws_error"):
            self.assertIn(must, TARGETS)

    def run_target(self, name):
        binary = os.path.join(FUZZ_BUILD, name)
        self.assertTrue(os.access(binary, os.X_OK), binary)
        work = tempfile.mkdtemp(prefix=f"sesctl-{name}-")
        try:
            dirs = [work, os.path.join(self.seed_dir, name)]
            regress = os.path.join(ROOT, "tests", "fuzz", "regress", name)
            if os.path.isdir(regress):
                dirs.append(regress)
            # -runs counts mutations after the corpus is read; -seed fixes them
            r = subprocess.run([binary, f"-runs={RUNS}", "-seed=1", "-timeout=30", "-rss_limit_mb=2048",
                                f"-artifact_prefix={work}/crash-", *dirs],
                               capture_output=True, text=True, errors="replace", timeout=1200)
            self.assertEqual(r.returncode, 0, f"{name} found a crash:\n{r.stderr[-4000:]}")
            self.assertIn("Done", r.stderr, r.stderr[-2000:])
            # the seeds reached the parser: libFuzzer reports the corpus it read and coverage
            self.assertRegex(r.stderr, r"INITED cov: \d+", name)
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def test_regressions_replay_clean(self):
        """Each crash input a long run found is kept and must stay fixed."""
        files = glob.glob(os.path.join(ROOT, "tests", "fuzz", "regress", "*", "*"))
        self.assertTrue(files, "no regression inputs kept")
        for path in files:
            name = os.path.basename(os.path.dirname(path))
            r = subprocess.run([os.path.join(FUZZ_BUILD, name), path], capture_output=True, text=True,
                               errors="replace", timeout=300)
            self.assertEqual(r.returncode, 0, f"{path}:\n{r.stderr[-3000:]}")


def _make(name):
    def test(self):
        self.run_target(name)
    test.__doc__ = f"{name}: seeds, regressions and {RUNS} mutations under ASan+UBSan"
    return test


for _t in TARGETS:
    setattr(FuzzSmoke, "test_" + _t, _make(_t))

if __name__ == "__main__":
    unittest.main()
