#!/usr/bin/env python3
"""The include rules of sesctl, checked from the source tree (doc/architecture.md, "Layers").

1. Folders are layers and includes point down only:
       util  <  aws  <  ses, store, dns  <  core  <  cli, tui  <  src/main.c
   A file may include headers of its own layer or of a lower one, never of a higher one.
2. No include circles between the files of one folder. A module is a .c file together
   with the header of the same name (src/L/X.c owns include/sesctl/L/X.h and src/L/X.h).
   Module A depends on module B when a file of A includes a header of B; a header that no
   .c owns (types and macros shared by a family, e.g. src/core/verbs_impl.h) is see-through:
   including it is including what it includes. A cycle of such dependencies inside a
   folder is a circle (e.g. app.c includes refresh.h and refresh.c includes app.h).

Generic: it reads whatever files exist under src/ and include/sesctl/, so new folders'
files and new modules need no edit here (an unknown folder is reported).

Usage: check_layers.py [ROOT]   (prints one line per problem; exit 1 when there is any)
"""
import os
import re
import sys

RANK = {"util": 0, "aws": 1, "ses": 2, "store": 2, "dns": 2, "core": 3, "cli": 4, "tui": 4,
        "main": 5}
ORDER = "util < aws < ses, store, dns < core < cli, tui < main.c"
INCLUDE = re.compile(r'^[ \t]*#[ \t]*include[ \t]*"([^"]+)"', re.M)


def _strip_comments(text):
    # Block comments may mention '#include "x.h"' in prose; drop them (line structure kept).
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


class Tree:
    """Every C file under ROOT/src and ROOT/include/sesctl, with its layer and module."""

    def __init__(self, root):
        self.root = root
        self.files = []  # paths relative to root
        for top in ("src", os.path.join("include", "sesctl")):
            for d, _, names in os.walk(os.path.join(root, top)):
                for n in sorted(names):
                    if n.endswith((".c", ".h")):
                        self.files.append(os.path.relpath(os.path.join(d, n), root))
        self.files.sort()

    @staticmethod
    def layer(path):
        parts = path.split(os.sep)
        if parts[0] == "src":
            return "main" if len(parts) == 2 else parts[1]
        return parts[2] if len(parts) > 3 else None  # include/sesctl/<layer>/x.h

    def module(self, path):
        """(layer, name): src/core/sync.c, include/sesctl/core/sync.h → ("core", "sync");
        None for a header that no .c of its folder owns (see-through)."""
        layer, name = self.layer(path), os.path.splitext(os.path.basename(path))[0]
        if path.endswith(".h") and not os.path.isfile(
                os.path.join(self.root, "src", layer or "", name + ".c")):
            return None
        return (layer, name)

    def resolve(self, path, name):
        """The file an #include "name" in path means, or None (system or unknown)."""
        for cand in (os.path.join(os.path.dirname(path), name), os.path.join("include", name)):
            cand = os.path.normpath(cand)
            if os.path.isfile(os.path.join(self.root, cand)):
                return cand
        return None

    def includes(self, path):
        """[(line number, written name, resolved path)] of the quoted includes of path."""
        with open(os.path.join(self.root, path), encoding="utf-8", errors="replace") as f:
            text = _strip_comments(f.read())
        out = []
        for m in INCLUDE.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            out.append((line, m.group(1), self.resolve(path, m.group(1))))
        return out


def layer_problems(tree):
    problems = []
    for path in tree.files:
        src = tree.layer(path)
        if src not in RANK:
            problems.append("%s: folder '%s' is not a known layer (%s)" % (path, src, ORDER))
            continue
        for line, name, target in tree.includes(path):
            if target is None:
                continue
            dst = tree.layer(target)
            if dst in RANK and RANK[dst] > RANK[src]:
                problems.append('%s:%d: #include "%s" points up: %s is below %s (%s)' %
                                (path, line, name, src, dst, ORDER))
    return problems


def _reached(tree, header, seen):
    """The modules an include of a see-through header reaches: [(module, via)]."""
    out = []
    for _, name, target in tree.includes(header):
        if target is None or target in seen:
            continue
        seen.add(target)
        m = tree.module(target)
        if m is None:
            out += [(mm, [name] + via) for mm, via in _reached(tree, target, seen)]
        else:
            out.append((m, [name]))
    return out


def module_graph(tree):
    """{module: {module it depends on: (path, line, name) of the first include making it}},
    for modules of one folder only."""
    graph = {}
    for path in tree.files:
        a = tree.module(path)
        if a is None:
            continue
        graph.setdefault(a, {})
        for line, name, target in tree.includes(path):
            if target is None:
                continue
            b = tree.module(target)
            reached = [(b, [])] if b else _reached(tree, target, {target})
            for m, via in reached:
                if m != a and m[0] == a[0]:
                    how = '"%s"' % name + "".join(' → "%s"' % v for v in via)
                    graph[a].setdefault(m, (path, line, how))
    return graph


def _cycles(graph):
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, on, stack, out, n = {}, {}, set(), [], [], [0]

    def visit(v):
        index[v] = low[v] = n[0]
        n[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def circle_problems(tree):
    graph = module_graph(tree)
    problems = []
    for comp in _cycles(graph):
        members = set(comp)
        edges = []
        for a in comp:
            for b, (path, line, name) in sorted(graph[a].items()):
                if b in members:
                    edges.append("%s:%d includes %s" % (path, line, name))
        problems.append("include circle in src/%s between %s: %s" %
                        (comp[0][0], ", ".join(m[1] for m in comp), "; ".join(edges)))
    return problems


def check(root):
    tree = Tree(root)
    return layer_problems(tree) + circle_problems(tree)


def main(argv):
    root = argv[1] if len(argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
    problems = check(os.path.abspath(root))
    for p in problems:
        print(p)
    if not problems:
        print("layers: includes point down, no circles")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
