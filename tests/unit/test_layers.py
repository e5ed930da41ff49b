"""Includes point down a layer and no two files of a folder include each other's headers
(tests/unit/check_layers.py has the rules). Runs on the real tree, then on small made-up
trees to show the checker catches what it should and names the include."""
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_layers  # noqa: E402

ROOT = os.environ.get("SESCTL_ROOT") or os.path.join(os.path.dirname(__file__), "..", "..")


def make_tree(files):
    d = tempfile.TemporaryDirectory()
    for path, text in files.items():
        full = os.path.join(d.name, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w") as f:
            f.write(text)
    return d


class TheTree(unittest.TestCase):
    def test_sesctl_includes_point_down_without_circles(self):
        problems = check_layers.check(os.path.abspath(ROOT))
        self.assertEqual(problems, [], "\n" + "\n".join(problems))


class TheChecker(unittest.TestCase):
    BASE = {
        "include/sesctl/util/buf.h": "#pragma once\n",
        "src/util/buf.c": '#include "sesctl/util/buf.h"\n',
        "include/sesctl/core/core.h": '#include "sesctl/util/buf.h"\n',
        "src/core/core.c": '#include "sesctl/core/core.h"\n',
        "src/main.c": '#include "sesctl/core/core.h"\n',
    }

    def check(self, extra):
        files = dict(self.BASE)
        files.update(extra)
        with make_tree(files) as root:
            return check_layers.check(root)

    def test_a_clean_tree_passes(self):
        self.assertEqual(self.check({}), [])

    def test_an_include_pointing_up_is_named(self):
        p = self.check({"src/util/buf.c": '#include "sesctl/util/buf.h"\n'
                                          '/* #include "sesctl/core/core.h" in a comment */\n'
                                          '#include "sesctl/core/core.h"\n'})
        self.assertEqual(len(p), 1, p)
        self.assertIn('src/util/buf.c:3: #include "sesctl/core/core.h" points up', p[0])

    def test_a_header_pointing_up_is_named(self):
        p = self.check({"include/sesctl/util/buf.h": '#include "sesctl/core/core.h"\n'})
        self.assertTrue(any("include/sesctl/util/buf.h:1" in x and "points up" in x for x in p), p)

    def test_two_modules_including_each_other_are_a_circle(self):
        p = self.check({
            "include/sesctl/core/sync.h": '#include "sesctl/core/core.h"\n',
            "src/core/sync.c": '#include "sesctl/core/sync.h"\n',
            "src/core/core.c": '#include "sesctl/core/core.h"\n#include "sesctl/core/sync.h"\n',
        })
        self.assertEqual(len(p), 1, p)
        self.assertIn("include circle in src/core between core, sync", p[0])
        self.assertIn('src/core/core.c:2 includes "sesctl/core/sync.h"', p[0])
        self.assertIn('include/sesctl/core/sync.h:1 includes "sesctl/core/core.h"', p[0])

    def test_a_circle_through_a_header_no_c_owns_is_found(self):
        p = self.check({
            "src/core/impl.h": '#include "sesctl/core/verbs.h"\n',
            "include/sesctl/core/verbs.h": "#pragma once\n",
            "src/core/verbs.c": '#include "sesctl/core/core.h"\n',
            "src/core/core.c": '#include "sesctl/core/core.h"\n#include "impl.h"\n',
        })
        self.assertEqual(len(p), 1, p)
        self.assertIn('src/core/core.c:2 includes "impl.h" → "sesctl/core/verbs.h"', p[0])

    def test_a_shared_header_of_types_is_no_circle(self):
        self.assertEqual(self.check({
            "src/core/types.h": '#include "sesctl/core/core.h"\n',
            "src/core/core.c": '#include "sesctl/core/core.h"\n#include "types.h"\n',
            "src/core/verbs.c": '#include "types.h"\n',
        }), [])

    def test_an_unknown_folder_is_reported(self):
        p = self.check({"src/gui/x.c": "\n"})
        self.assertTrue(any("'gui' is not a known layer" in x for x in p), p)


if __name__ == "__main__":
    unittest.main()
