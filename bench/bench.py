#!/usr/bin/env python3
"""sesctl benchmarks against the local emulator (tests/emulator) seeded with bulk:N.

    python3 bench/bench.py --sizes "100 1000 10000" --runs 5 --out build/bench/results.json

bench/run.sh calls this (via `make bench`); it prints every figure as it goes, with the
command that produced it, and writes all raw samples to --out for bench/report.py.

Per N, in this order (so the cache the warm measurements read is seconds old and no
refresh is due):
  1. cold sync: `sesctl --cache NEW sync`, RUNS times, each with an empty cache;
  2. warm list: `sesctl identities list` (text, --json), RUNS times each;
  3. TUI first frame: the console on a pty, exec → the first frame written to it, RSS then;
     and exec → every row loaded (headless, the script's first step);
  4. filter keystrokes: `/` then typed keys, timed between screen dumps (see filter_session);
  5. the same job with boto3 (bench/boto3_sync.py), RUNS times;
  6. the same job with the AWS CLI (bench/awscli_sync.sh): everything but the per-identity
     detail calls RUNS times (CLI_RUNS for N >= 10000), and get-email-identity on a random
     sample of CLI_SAMPLE identities once; the whole job is then an EXTRAPOLATION.
Wall times come from time.perf_counter() around fork/exec/wait4; CPU and peak RSS from
the child's rusage (wait4), i.e. getrusage(RUSAGE_CHILDREN) for exactly that child.
"""

import argparse
import json
import os
import random
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "emulator"))
from sesemu_fixture import Sesemu  # noqa: E402

BIN = os.environ.get("SESCTL_BIN") or os.path.join(ROOT, "sesctl")
RUNSTAT = os.environ.get("BENCH_RUNSTAT") or os.path.join(ROOT, "build", "bench", "runstat")
PTYFRAME = os.environ.get("BENCH_PTYFRAME") or os.path.join(ROOT, "build", "bench", "ptyframe")
PY = sys.executable


# ---- helpers ---------------------------------------------------------------------------

def say(msg):
    print(msg, flush=True)


def cmdline(argv, env_keys=()):
    pre = " ".join(f"{k}=..." for k in env_keys)
    return (pre + " " if pre else "") + " ".join(shlex.quote(a) for a in argv)


def measured(argv, env, stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL, cwd=None):
    """Run argv under bench/runstat (fork/exec/wait4 from a small C process, so the peak RSS
    is the command's own): wall (s), cpu user/sys (s), peak RSS (KiB), exit code."""
    fd, stat = tempfile.mkstemp(prefix="runstat-")
    os.close(fd)
    p = subprocess.run([RUNSTAT, stat, *argv], env=env, stdout=stdout, stderr=subprocess.PIPE, stdin=stdin,
                       cwd=cwd)
    with open(stat) as f:
        m = json.load(f)
    os.unlink(stat)
    m["cpu"] = m["user"] + m["sys"]
    m["stderr"] = p.stderr.decode(errors="replace")[-2000:]
    return m


def summary(xs):
    xs = sorted(xs)
    if not xs:
        return None
    return {"median": statistics.median(xs), "min": xs[0], "max": xs[-1], "n": len(xs)}


def pct(xs, p):
    xs = sorted(xs)
    if not xs:
        return None
    k = (len(xs) - 1) * p / 100.0
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def fmt_ms(s):
    return f"{s['median'] * 1000:.1f} ms (min {s['min'] * 1000:.1f}, max {s['max'] * 1000:.1f}, n={s['n']})"


def fmt_s(s):
    return f"{s['median']:.2f} s (min {s['min']:.2f}, max {s['max']:.2f}, n={s['n']})"


def loadavg():
    with open("/proc/loadavg") as f:
        return f.read().split()[:3]


def clean_env(home, emu):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SESCTL_", "XDG_"))}
    for d in (".aws", ".config", ".cache", ".local/state"):
        os.makedirs(os.path.join(home, d), exist_ok=True)
    for f in ("config", "credentials"):
        open(os.path.join(home, ".aws", f), "w").close()
    env.update(HOME=home, XDG_CONFIG_HOME=os.path.join(home, ".config"),
               XDG_CACHE_HOME=os.path.join(home, ".cache"), XDG_STATE_HOME=os.path.join(home, ".local/state"),
               AWS_CONFIG_FILE=os.path.join(home, ".aws", "config"),
               AWS_SHARED_CREDENTIALS_FILE=os.path.join(home, ".aws", "credentials"),
               AWS_EC2_METADATA_DISABLED="true", LC_ALL="C.UTF-8", TZ="UTC", NO_COLOR="1",
               AWS_PAGER="")
    return emu.env(env)


class ReqLog:
    """Requests the emulator served, from its --verbose stderr log (one line a request;
    the admin API's /requests keeps only the last 5000, too few at N = 10,000)."""

    def __init__(self, emu):
        self.emu = emu
        self.mark = 0

    def start(self):
        self.mark = os.path.getsize(self.emu.log_path)

    def ops(self):
        with open(self.emu.log_path, "rb") as f:
            f.seek(self.mark)
            data = f.read().decode(errors="replace")
        out = {}
        for line in data.splitlines():
            if not line.startswith("sesemu: ") or " -> " not in line:
                continue
            op = line.split(" -> ")[0].split(" ", 3)[3]
            if op.startswith("POST /") and "other" in line.split()[2]:
                op = "GetCallerIdentity"
            out[op] = out.get(op, 0) + 1
        return out


def count(ops):
    return sum(ops.values())


# ---- 1. cold sync ------------------------------------------------------------------------

def cold_sync(emu, env, tmp, runs, n):
    samples = []
    argv = [BIN, "--cache", "CACHE", "sync"]
    say(f"  cold sync: {cmdline(argv)}   (CACHE a new empty file each run)")
    for i in range(runs):
        cache = os.path.join(tmp, f"cold-{i}.sqlite3")
        LOG.start()
        m = measured([BIN, "--cache", cache, "sync"], env)
        m["ops"] = LOG.ops()
        m["requests"] = count(m["ops"])
        if m["rc"] != 0:
            raise SystemExit(f"sync failed (exit {m['rc']}): {m['stderr']}")
        say(f"    run {i + 1}: wall {m['wall']:.3f} s  cpu {m['cpu']:.3f} s (user {m['user']:.3f} sys "
            f"{m['sys']:.3f})  peak RSS {m['rss_kib'] / 1024:.1f} MiB  requests {m['requests']}")
        samples.append(m)
        keep = cache
    # keep the last cache as the warm one
    warm = os.path.join(tmp, "warm.sqlite3")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(keep + suffix):
            shutil.copy(keep + suffix, warm + suffix)
    # sanity: the cache holds n identities
    r = subprocess.run([BIN, "--cache", warm, "--offline", "identities", "list", "--json"], env=env,
                       capture_output=True, text=True)
    got = len(json.loads(r.stdout)) if r.returncode == 0 else -1
    if got != n:
        raise SystemExit(f"warm cache holds {got} identities, expected {n}: {r.stderr}")
    return samples, warm


# ---- 2. warm list --------------------------------------------------------------------------

def warm_list(emu, env, warm, runs):
    out = {}
    for label, extra in (("text", []), ("json", ["--json"])):
        argv = [BIN, "--cache", warm, "identities", "list", *extra]
        say(f"  warm list ({label}): {cmdline(argv)} > /dev/null")
        LOG.start()
        samples = [measured(argv, env) for _ in range(runs)]
        nreq = count(LOG.ops())
        for m in samples:
            if m["rc"] != 0:
                raise SystemExit(f"list failed: {m['stderr']}")
        w = summary([m["wall"] for m in samples])
        say(f"    wall {fmt_ms(w)}  peak RSS {max(m['rss_kib'] for m in samples) / 1024:.1f} MiB  "
            f"requests during the runs: {nreq}")
        out[label] = {"samples": samples, "requests": nreq}
    return out


def grow_cache(src, dst, n):
    """dst: a copy of the cache src with synthetic identities added (copies of one of its
    rows under new names) until its account and region hold n."""
    import sqlite3
    for sfx in ("", "-wal", "-shm"):
        if os.path.exists(src + sfx):
            shutil.copy(src + sfx, dst + sfx)
    db = sqlite3.connect(dst)
    cols = [r[1] for r in db.execute("PRAGMA table_info(identities)")]
    tmpl = db.execute(f"SELECT {', '.join(cols)} FROM identities WHERE type = 'DOMAIN' LIMIT 1").fetchone()
    have = db.execute("SELECT count(*) FROM identities WHERE account_id = ? AND region = ?",
                      (tmpl[cols.index("account_id")], tmpl[cols.index("region")])).fetchone()[0]
    rows = []
    for i in range(max(0, n - have)):
        row = list(tmpl)
        name = f"s{i:07d}.scale.example"
        row[cols.index("name")] = name
        if "rname" in cols:
            row[cols.index("rname")] = ".".join(reversed(name.split(".")))
        rows.append(row)
    with db:
        db.executemany(f"INSERT INTO identities({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})", rows)
    db.close()
    return have + len(rows)


def list_scale(env, warm, tmp, runs, sizes):
    """identities list (text, --json, --csv) from the warm cache grown to each size: wall
    and peak RSS, which should not grow with N."""
    out = {}
    for n in sizes:
        cache = os.path.join(tmp, f"scale-{n}.sqlite3")
        got = grow_cache(warm, cache, n)
        subprocess.run([BIN, "--cache", cache, "--offline", "identities", "list"], env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # first open checks the copied file
        out[n] = {}
        for label, extra in (("text", []), ("json", ["--json"]), ("csv", ["--csv"])):
            argv = [BIN, "--cache", cache, "--offline", "identities", "list", *extra]
            samples = [measured(argv, env) for _ in range(runs)]
            for m in samples:
                if m["rc"] != 0:
                    raise SystemExit(f"list failed: {m['stderr']}")
            out[n][label] = samples
            say(f"  list at scale: {cmdline(argv)} > /dev/null  ({got:,} identities)  wall "
                f"{fmt_ms(summary([m['wall'] for m in samples]))}  peak RSS "
                f"{max(m['rss_kib'] for m in samples) / 1024:.1f} MiB")
    return out


# ---- 3 and 4. the console ----------------------------------------------------------------

def read_status(pid):
    out = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(("VmRSS:", "VmHWM:")):
                    out[line.split(":")[0]] = int(line.split()[1])
    except OSError:
        pass
    return out


SESSION = 0
LOG = None


def tui_session(env, warm, tmp, steps, cols=120, rows=40, name="s"):
    """Run the headless console with a script whose `dump` steps each write to their own
    FIFO (one per dump, so a dump can never land in a FIFO the reader is about to close);
    return the time (s since just before exec) at which the console opened each FIFO, each
    dump's text, and /proc status read once the first dump was complete."""
    global SESSION
    SESSION += 1
    ndumps = sum(1 for s in steps if s == "dump")
    fifos = [os.path.join(tmp, f"{name}-{SESSION}-{i}.fifo") for i in range(ndumps)]
    for f in fifos:
        if os.path.exists(f):
            os.unlink(f)
        os.mkfifo(f)
    script = os.path.join(tmp, f"{name}.script")
    with open(script, "w") as f:
        i = 0
        for s in steps:
            if s == "dump":
                f.write(f":save-display {fifos[i]}\n")
                i += 1
            else:
                f.write(s + "\n")
    e = dict(env, SESCTL_NO_DISPLAY="1", SESCTL_TEST_SCRIPT=script, LINES=str(rows), COLUMNS=str(cols),
             TERM="xterm-256color")
    times, texts, status = [], [], {}
    exited = []
    t0 = time.perf_counter()
    p = subprocess.Popen([BIN, "--cache", warm], env=e, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE)

    def watchdog():                               # the console died: release a blocked reader
        p.wait()
        exited.append(True)
        for f in fifos:
            try:
                os.close(os.open(f, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:
                pass
    wd = threading.Thread(target=watchdog, daemon=True)
    wd.start()
    for i in range(ndumps):
        fd = os.open(fifos[i], os.O_RDONLY)      # returns when the console opens it to write
        times.append(time.perf_counter() - t0)
        chunks = []
        while True:
            b = os.read(fd, 65536)
            if not b:
                break
            chunks.append(b)
        os.close(fd)
        if exited and not chunks:
            break
        texts.append(b"".join(chunks).decode(errors="replace"))
        if i == 0:
            status = read_status(p.pid)           # blocked opening the next FIFO, or past it
    err = p.stderr.read().decode(errors="replace")
    p.wait()
    wd.join()
    for f in fifos:
        os.unlink(f)
    if p.returncode != 0 or len(texts) != ndumps:
        raise SystemExit(f"console exited {p.returncode} after {len(texts)} of {ndumps} dumps: {err}")
    return times, texts, status


def pty_first_frame(argv, env, marker, rows=40, cols=120):
    """exec → the first frame on a real terminal: bench/ptyframe (a small C parent) runs the
    console on a new pty and reports when `marker` (the tab line's count, e.g. "1/10000")
    had been written to it, and the console's VmRSS/VmHWM then; it then types :quit."""
    r = subprocess.run([PTYFRAME, str(rows), str(cols), marker, "--", *argv], env=env,
                       capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        raise SystemExit(f"no first frame with {marker!r} on the terminal: {r.stdout} {r.stderr}")
    m = json.loads(r.stdout)
    return m["wall"], {"VmRSS": m["rss_kib"], "VmHWM": m["hwm_kib"]}


def pty_floor(runs=10):
    """The same measurement of `sh -c 'printf MARKER'`: what the pty and a process start cost."""
    return [pty_first_frame(["/bin/sh", "-c", "printf 'x 1/42 x'; read x"], {"PATH": "/usr/bin:/bin"},
                            "1/42")[0] for _ in range(runs)]


def first_frame(emu, env, warm, tmp, runs, n):
    argv = [BIN, "--cache", warm]
    e = dict(env, TERM="xterm-256color")
    for k in ("SESCTL_NO_DISPLAY", "SESCTL_TEST_SCRIPT", "LINES", "COLUMNS"):
        e.pop(k, None)
    say(f"  TUI first frame: {PTYFRAME} 40 120 1/{n} -- {cmdline(argv)}   (a 120x40 pty, TERM=xterm-256color; "
        f"time = fork → the tab line's '1/{n}' written to the terminal; RSS read then; then :quit)")
    say(f"  and the whole list: SESCTL_NO_DISPLAY=1 SESCTL_TEST_SCRIPT=S LINES=40 COLUMNS=120 {BIN} "
        f"--cache {warm}   (S = ':save-display FIFO': its first step runs once every row is loaded)")
    samples = []
    LOG.start()
    for i in range(runs):
        when, st = pty_first_frame(argv, e, f"1/{n}")
        times, texts, _ = tui_session(env, warm, tmp, ["dump"], name="ff")
        if f"/{n}" not in texts[0]:
            raise SystemExit(f"the loaded list does not show {n} rows:\n{texts[0]}")
        samples.append({"wall": when, "rss_kib": st.get("VmRSS"), "hwm_kib": st.get("VmHWM"),
                        "loaded": times[0]})
        say(f"    run {i + 1}: first frame {when * 1000:.1f} ms  RSS {st.get('VmRSS', 0) / 1024:.1f} MiB "
            f"(peak {st.get('VmHWM', 0) / 1024:.1f} MiB); every row loaded at {times[0] * 1000:.1f} ms")
    nreq = count(LOG.ops())
    say(f"    requests during the runs: {nreq}")
    floor = pty_floor()
    say(f"    floor: {PTYFRAME} 40 120 1/42 -- sh -c \"printf 'x 1/42 x'\": {fmt_ms(summary(floor))}")
    return {"samples": samples, "requests": nreq, "pty_floor": floor}


FILTER_TYPED = ["d000", "1", "2", "3", "<BS>", "<BS>", "<BS>", "<BS>", "bulk", "user", "<BS>", "<BS>", "<BS>",
                "<BS>", "<BS>", "<BS>", "<BS>", "<BS>", "x", "<BS>", "!", "p", "<BS>", "<BS>"]


def filter_keys():
    keys = []
    for t in FILTER_TYPED:
        if t == "<BS>":
            keys.append("key <BS>")
        else:
            keys.extend(f"key {c}" for c in t)
    return keys


def filter_session(emu, env, warm, tmp, sessions):
    """`/` opens the filter prompt; then each typed key is followed by a dump. A pair of
    dumps with no key between gives the baseline (redraw + dump) to subtract."""
    keys = filter_keys()
    base_pairs = 10
    steps = ["key /", "dump"]
    for _ in range(base_pairs):
        steps.append("dump")
    for k in keys:
        steps += [k, "dump"]
    steps += ["key <Esc>"]
    say(f"  filter: '/' then {len(keys)} keystrokes per session, each followed by ':save-display FIFO'; "
        f"keys: {' '.join(k[4:] for k in keys)}")
    key_ms, base_ms = [], []
    for s in range(sessions):
        times, texts, _ = tui_session(env, warm, tmp, steps, name="flt")
        d = [b - a for a, b in zip(times, times[1:])]
        base_ms += [x * 1000 for x in d[:base_pairs]]
        key_ms += [x * 1000 for x in d[base_pairs:]]
    b50 = pct(base_ms, 50)
    res = {"raw_ms": key_ms, "base_ms": base_ms, "keys": len(keys), "sessions": sessions,
           "p50": pct(key_ms, 50), "p99": pct(key_ms, 99), "max": max(key_ms), "base_p50": b50,
           "base_p99": pct(base_ms, 99)}
    say(f"    per keystroke (filter + redraw + dump + FIFO hand-off): p50 {res['p50']:.2f} ms  "
        f"p99 {res['p99']:.2f} ms  max {res['max']:.2f} ms  (n={len(key_ms)}); floor with no key "
        f"(redraw + dump + hand-off): p50 {b50:.2f} ms  p99 {res['base_p99']:.2f} ms")
    return res


def callgrind_ir(argv, env, tmp, name):
    out = os.path.join(tmp, f"{name}.callgrind")
    r = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *argv], env=env,
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if r.returncode != 0:
        raise SystemExit(f"callgrind {name}: {r.stderr.decode(errors='replace')[-2000:]}")
    with open(out) as f:
        for line in f:
            if line.startswith("summary:") or line.startswith("totals:"):
                return int(line.split()[1]), out
    raise SystemExit("no callgrind totals")


def tui_callgrind(env, warm, tmp):
    """Instructions (callgrind Ir) for the console: an empty script (start, first frame,
    exit), and the same plus '/' and the filter keystrokes; the difference per key."""
    res = {}
    for label, steps in (("start", []), ("filter", ["key /"] + filter_keys() + ["key <Esc>"])):
        script = os.path.join(tmp, f"cg-{label}.script")
        with open(script, "w") as f:
            f.write("\n".join(steps) + "\n")
        e = dict(env, SESCTL_NO_DISPLAY="1", SESCTL_TEST_SCRIPT=script, LINES="40", COLUMNS="120",
                 TERM="xterm-256color")
        ir, path = callgrind_ir([BIN, "--cache", warm], e, tmp, f"tui-{label}")
        res[label] = ir
        res[label + "_file"] = path
    k = len(filter_keys()) + 2
    res["per_key"] = (res["filter"] - res["start"]) / k
    say(f"  callgrind: console start+first frame+exit {res['start'] / 1e6:.1f} M instructions; "
        f"per filter keystroke {res['per_key'] / 1e6:.2f} M instructions ({k} keys incl. '/' and Esc)")
    return res


# ---- 5. boto3 -------------------------------------------------------------------------

def boto3_job(emu, env, tmp, runs):
    argv = [PY, os.path.join(ROOT, "bench", "boto3_sync.py"), "--out", os.path.join(tmp, "boto3.json")]
    say(f"  boto3: {cmdline(argv)}")
    samples = []
    for i in range(runs):
        LOG.start()
        m = measured(argv, env)
        if m["rc"] != 0:
            raise SystemExit(f"boto3 job failed: {m['stderr']}")
        m["ops"] = LOG.ops()
        m["requests"] = count(m["ops"])
        say(f"    run {i + 1}: wall {m['wall']:.3f} s  cpu {m['cpu']:.3f} s  peak RSS {m['rss_kib'] / 1024:.1f} MiB  "
            f"requests {m['requests']}")
        samples.append(m)
    return samples


# ---- 6. AWS CLI ------------------------------------------------------------------------

def awscli_job(emu, env, tmp, runs, sample, n):
    script = os.path.join(ROOT, "bench", "awscli_sync.sh")
    out = {"fixed": [], "list": [], "per_call": []}
    say(f"  AWS CLI: bash {script} fixed   (sts, get-account, list-email-identities (every page, 1000 a page), list-configuration-sets, "
        f"list-receipt-rule-sets, describe-active-receipt-rule-set, get-send-statistics)")
    for i in range(runs):
        LOG.start()
        timing = os.path.join(tmp, "awscli.timing")
        m = measured(["bash", script, "fixed", timing, os.path.join(tmp, "awscli-ids.txt")], env)
        if m["rc"] != 0:
            raise SystemExit(f"AWS CLI script failed: {m['stderr']}")
        calls = parse_timing(timing)
        m["ops"] = LOG.ops()
        m["requests"] = count(m["ops"])
        m["calls"] = calls
        lst = sum(c["wall"] for c in calls if c["what"] == "list-email-identities")
        out["list"].append(lst)
        out["fixed"].append(m)
        say(f"    run {i + 1}: wall {m['wall']:.2f} s (list-email-identities alone {lst:.2f} s)  cpu {m['cpu']:.2f} s  "
            f"peak RSS {m['rss_kib'] / 1024:.1f} MiB  requests {m['requests']}")
    with open(os.path.join(tmp, "awscli-ids.txt")) as f:
        ids = [l.strip() for l in f if l.strip()]
    if len(ids) != n:
        raise SystemExit(f"AWS CLI listed {len(ids)} identities, expected {n}")
    rng = random.Random(f"bench:{n}")
    pick = rng.sample(ids, min(sample, len(ids)))
    pick_file = os.path.join(tmp, "awscli-sample.txt")
    with open(pick_file, "w") as f:
        f.write("\n".join(pick) + "\n")
    say(f"  AWS CLI: bash {script} details SAMPLE   (get-email-identity for {len(pick)} random identities, "
        f"one process each, as a shell loop does)")
    timing = os.path.join(tmp, "awscli.timing")
    LOG.start()
    m = measured(["bash", script, "details", timing, pick_file], env)
    nreq = count(LOG.ops())
    if m["rc"] != 0:
        raise SystemExit(f"AWS CLI details failed: {m['stderr']}")
    calls = parse_timing(timing)
    out["per_call"] = [c["wall"] for c in calls]
    out["details_run"] = {k: v for k, v in m.items() if k != "stderr"}
    out["details_run"]["requests"] = nreq
    pc = summary(out["per_call"])
    fixed_med = statistics.median(x["wall"] for x in out["fixed"])
    out["extrapolated_total"] = fixed_med + n * pc["median"]
    out["cpu_per_call"] = m["cpu"] / len(pick)
    out["extrapolated_cpu"] = statistics.median(x["cpu"] for x in out["fixed"]) + n * out["cpu_per_call"]
    say(f"    per get-email-identity call: {fmt_ms(pc)}; cpu {out['cpu_per_call'] * 1000:.0f} ms/call; "
        f"EXTRAPOLATED whole job = {fixed_med:.2f} s + {n} x {pc['median']:.3f} s = "
        f"{out['extrapolated_total']:.1f} s")
    return out


def parse_timing(path):
    calls = []
    with open(path) as f:
        for line in f:
            what, t0, t1 = line.split()
            calls.append({"what": what, "wall": float(t1) - float(t0)})
    return calls


# ---- main ------------------------------------------------------------------------------

def bench_size(n, args):
    say(f"\n== N = {n} identities (emulator seed bulk:{n}); load average {' '.join(loadavg())}")
    tmp = tempfile.mkdtemp(prefix=f"sesctl-bench-{n}-")
    res = {"n": n, "load_before": loadavg()}
    t_seed = time.perf_counter()
    emu = Sesemu(seed=f"bulk:{n}", args=["--verbose"], start_timeout=600).start()
    global LOG
    LOG = ReqLog(emu)
    say(f"  emulator: python3 tests/emulator/sesemu.py --port 0 --seed bulk:{n} --verbose  ({emu.url}, "
        f"started in {time.perf_counter() - t_seed:.1f} s)")
    try:
        env = clean_env(os.path.join(tmp, "home"), emu)
        res["cold"], warm = cold_sync(emu, env, tmp, args.runs, n)
        res["list"] = warm_list(emu, env, warm, args.runs)
        scale = [int(x) for x in args.list_scale.replace(",", " ").split()]
        if scale and n == max(int(x) for x in args.sizes.replace(",", " ").split()):
            res["list_scale"] = list_scale(env, warm, tmp, args.runs, scale)
        res["tui"] = first_frame(emu, env, warm, tmp, max(args.runs, 10), n)
        res["filter"] = filter_session(emu, env, warm, tmp, args.runs)
        if args.callgrind:
            res["callgrind"] = tui_callgrind(env, warm, tmp)
        res["boto3"] = boto3_job(emu, env, tmp, args.runs)
        cli_runs = args.runs if n < 10000 else args.cli_runs_big
        res["awscli"] = awscli_job(emu, env, tmp, cli_runs, args.cli_sample, n)
        res["load_after"] = loadavg()
    finally:
        emu.stop()
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    return res


def main():
    # SIGTERM (e.g. kill of make bench) unwinds like Ctrl-C, so the emulator is stopped
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="100 1000 10000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--cli-runs-big", type=int, default=3, help="AWS CLI runs at N >= 10000")
    ap.add_argument("--cli-sample", type=int, default=100)
    ap.add_argument("--no-callgrind", dest="callgrind", action="store_false")
    ap.add_argument("--list-scale", default="10000 100000",
                    help="identities list from the largest size's cache grown to each N ('' to skip)")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "bench", "results.json"))
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.replace(",", " ").split()]
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    results = {"started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "runs": args.runs,
               "sizes": sizes, "results": []}
    for n in sizes:
        results["results"].append(bench_size(n, args))
        with open(args.out, "w") as f:
            json.dump(results, f, indent=1)
    results["finished"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    with open(args.out, "w") as f:
        json.dump(results, f, indent=1)
    say(f"\nraw samples: {args.out}")


if __name__ == "__main__":
    main()
