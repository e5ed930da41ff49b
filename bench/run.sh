#!/usr/bin/env bash
# sesctl benchmarks — `make bench` runs this after building ./sesctl. Every figure in
# doc/benchmarks.md comes from here. Knobs (environment or make variables):
#   BENCH_SIZES="100 1000 10000"   emulator seeds bulk:N
#   BENCH_RUNS=5                   runs per measurement (median, min, max)
#   BENCH_CLI_RUNS_BIG=3           AWS CLI runs at N >= 10000 (labelled in the table)
#   BENCH_CLI_SAMPLE=100           get-email-identity calls timed for the AWS CLI extrapolation
#   BENCH_CALLGRIND=1              instruction counts (valgrind --tool=callgrind) where available
#   BENCH_LIST_SCALE="10000 100000" identities list from a cache grown to N (after the largest size)
#   BENCH_OUT=build/bench          where the raw JSON and the Markdown report go
#   BENCH_SETS=200                 configuration sets for section 7 (seed streams:N)
#   BENCH_EVENTS=10000             tap-queue messages for section 8
#   BENCH_AUDIT=1000               identities of section 8's routing audit
#   BENCH_HISTORY=2000             CloudTrail events for section 9
#   BENCH_TENANTS=200              tenants for section 10
#   BENCH_TENANTS_CLI_RUNS=1       runs of section 10's AWS CLI job (2 processes a tenant)
#   BENCH_DMARC=10000              reports imported in section 11
#   BENCH_FLEET=fleet:30x3         seed of section 12 (accounts x regions)
#   BENCH_FLEET_LATENCY=30-80      ms each AWS call waits in section 12 (sesemu --latency)
#   BENCH_FLEET_EMULATORS=3        emulator processes section 12 spreads the profiles over
#   BENCH_FLEET_IDENTITIES=900000  identities filled into the cache for find and the Fleet pane
# Quick run:  make bench BENCH_SIZES="100 1000" BENCH_RUNS=3
# Not part of `make check`; no test has a wall-clock limit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SIZES=${BENCH_SIZES:-100 1000 10000}
RUNS=${BENCH_RUNS:-5}
CLI_RUNS_BIG=${BENCH_CLI_RUNS_BIG:-3}
CLI_SAMPLE=${BENCH_CLI_SAMPLE:-100}
CALLGRIND=${BENCH_CALLGRIND:-1}
OUT=${BENCH_OUT:-build/bench}
PKGS="ncursesw libcjson sqlite3 libcares libidn2 zlib" # the linked ones; the rest open on first use
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd) # absolute: later steps run it from elsewhere

command -v valgrind >/dev/null || { echo "bench: valgrind not found; instruction counts skipped"; CALLGRIND=0; }
command -v aws >/dev/null || { echo "bench: the AWS CLI ('aws') is needed for the comparison" >&2; exit 1; }
python3 -c 'import boto3, moto' || { echo "bench: python3 needs boto3 and moto" >&2; exit 1; }

# A private copy of the binary: others may rebuild ./sesctl while this runs.
cp sesctl "$OUT/sesctl"
echo "bench: building the drivers (bench/runstat.c, bench/ptyframe.c, bench/sigv4_bench.c against build/libsesctl.a)"
cc -std=c11 -O2 -Wall -Wextra -o "$OUT/runstat" bench/runstat.c
cc -std=c11 -O2 -Wall -Wextra -o "$OUT/ptyframe" bench/ptyframe.c
# shellcheck disable=SC2046
cc -std=c11 -O2 -g -Wall -Wextra -Iinclude -D_GNU_SOURCE -o "$OUT/sigv4_bench" bench/sigv4_bench.c \
	build/libsesctl.a $(pkg-config --libs $PKGS) -ldl -lpthread -lm

{
	echo "{"
	echo "\"date\": \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\","
	echo "\"commit\": \"$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- src include 2>/dev/null || echo '+dirty')\","
	echo "\"nproc\": $(nproc),"
	echo "\"cpu\": \"$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)\","
	echo "\"mem_total\": \"$(sed -n 's/^MemTotal:[[:space:]]*//p' /proc/meminfo)\","
	echo "\"kernel\": \"$(uname -sr)\","
	echo "\"cc\": \"$(cc --version | head -1)\","
	echo "\"python\": \"$(python3 --version 2>&1)\","
	echo "\"boto3\": \"$(python3 -c 'import boto3, botocore, moto; print("boto3", boto3.__version__, "botocore", botocore.__version__, "moto", moto.__version__)')\","
	echo "\"awscli\": \"$(aws --version 2>&1 | head -1)\","
	echo "\"curl\": \"$(pkg-config --modversion libcurl)\", \"openssl\": \"$(pkg-config --modversion libcrypto)\", \"sqlite\": \"$(pkg-config --modversion sqlite3)\", \"ncurses\": \"$(pkg-config --modversion ncursesw)\","
	echo "\"valgrind\": \"$(valgrind --version 2>/dev/null || echo none)\","
	echo "\"load_start\": \"$(cut -d' ' -f1-3 /proc/loadavg)\""
	echo "}"
} >"$OUT/machine.json"
echo "bench: machine"; cat "$OUT/machine.json"

# ---- 5. SigV4 -------------------------------------------------------------------------
echo
echo "== SigV4 (one thread; CPU time of the loop)"
for mode in cached fresh; do
	for i in $(seq "$RUNS"); do
		echo "\$ $OUT/sigv4_bench 200000 $mode" >&2
		"$OUT/sigv4_bench" 200000 "$mode"
	done
done | tee "$OUT/sigv4.jsonl"
if [ "$CALLGRIND" = 1 ]; then
	# Instructions per signature: the difference of two loop lengths removes start-up.
	: >"$OUT/sigv4-callgrind.txt"
	for mode in cached fresh; do
		for n in 1000 11000; do
			valgrind --tool=callgrind --callgrind-out-file="$OUT/sigv4-$mode-$n.callgrind" \
				"$OUT/sigv4_bench" "$n" "$mode" >/dev/null 2>&1
			echo "$mode $n $(sed -n 's/^summary: //p;s/^totals: //p' "$OUT/sigv4-$mode-$n.callgrind" | head -1)" \
				>>"$OUT/sigv4-callgrind.txt"
		done
	done
	echo "\$ valgrind --tool=callgrind $OUT/sigv4_bench {1000,11000} {cached,fresh}"
	awk '{ir[$1 " " $2] = $3} END {
		split("cached fresh", ms, " ");
		for (i = 1; i <= 2; i++) printf "%s key: %.0f instructions per signature\n", ms[i], (ir[ms[i] " 11000"] - ir[ms[i] " 1000"]) / 10000 }' \
		"$OUT/sigv4-callgrind.txt" | tee "$OUT/sigv4-ir.txt"
fi

# ---- 1-4, 6. against the emulator ---------------------------------------------------
args=(--sizes "$SIZES" --runs "$RUNS" --cli-runs-big "$CLI_RUNS_BIG" --cli-sample "$CLI_SAMPLE"
	--list-scale "${BENCH_LIST_SCALE:-10000 100000}" --out "$OUT/results.json")
[ "$CALLGRIND" = 1 ] || args+=(--no-callgrind)
echo
echo "\$ python3 bench/bench.py ${args[*]}"
SESCTL_BIN="$OUT/sesctl" BENCH_RUNSTAT="$OUT/runstat" BENCH_PTYFRAME="$OUT/ptyframe" python3 bench/bench.py "${args[@]}"

# ---- 7. configuration sets ------------------------------------------------------------
echo
echo "\$ python3 bench/streams.py --sets ${BENCH_SETS:-200} --runs $RUNS --out $OUT/streams.json"
SESCTL_BIN="$OUT/sesctl" BENCH_RUNSTAT="$OUT/runstat" python3 bench/streams.py --sets "${BENCH_SETS:-200}" \
	--runs "$RUNS" --out "$OUT/streams.json"

# ---- 8. feedback: the events tap and the routing audit -----------------------------------
echo
echo "\$ python3 bench/events.py --events ${BENCH_EVENTS:-10000} --identities ${BENCH_AUDIT:-1000} --runs $RUNS --out $OUT/events.json"
SESCTL_BIN="$OUT/sesctl" BENCH_RUNSTAT="$OUT/runstat" python3 bench/events.py --events "${BENCH_EVENTS:-10000}" \
	--identities "${BENCH_AUDIT:-1000}" --runs "$RUNS" --out "$OUT/events.json"

# ---- 9. history: the account's CloudTrail, read and cached --------------------------------
echo
echo "\$ python3 bench/history.py --events ${BENCH_HISTORY:-2000} --runs $RUNS --out $OUT/history.json"
SESCTL_BIN="$OUT/sesctl" BENCH_RUNSTAT="$OUT/runstat" python3 bench/history.py --events "${BENCH_HISTORY:-2000}" \
	--runs "$RUNS" --out "$OUT/history.json"

# ---- 10. tenants: read, served from the cache, refreshed ------------------------------------
echo
echo "\$ python3 bench/tenants.py --tenants ${BENCH_TENANTS:-200} --runs $RUNS --cli-runs ${BENCH_TENANTS_CLI_RUNS:-1} --out $OUT/tenants.json"
SESCTL_BIN="$OUT/sesctl" BENCH_RUNSTAT="$OUT/runstat" python3 bench/tenants.py --tenants "${BENCH_TENANTS:-200}" \
	--runs "$RUNS" --cli-runs "${BENCH_TENANTS_CLI_RUNS:-1}" --out "$OUT/tenants.json"

# ---- 11. DMARC aggregate reports: import, and a year of one domain read ---------------------
echo
echo "\$ python3 bench/dmarc.py --reports ${BENCH_DMARC:-10000} --runs $RUNS --out $OUT/dmarc.json"
SESCTL_BIN="$OUT/sesctl" BENCH_RUNSTAT="$OUT/runstat" python3 bench/dmarc.py --reports "${BENCH_DMARC:-10000}" \
	--runs "$RUNS" --out "$OUT/dmarc.json"

# ---- 12. fleet: every account and region, find, the Fleet pane ---------------------------------
fleet_args=(--seed "${BENCH_FLEET:-fleet:30x3}" --latency "${BENCH_FLEET_LATENCY:-30-80}"
	--emulators "${BENCH_FLEET_EMULATORS:-3}" --identities "${BENCH_FLEET_IDENTITIES:-900000}" --runs "$RUNS"
	--out "$OUT/fleet.json")
echo
echo "\$ python3 bench/fleet.py ${fleet_args[*]}"
SESCTL_BIN="$OUT/sesctl" BENCH_RUNSTAT="$OUT/runstat" BENCH_PTYFRAME="$OUT/ptyframe" python3 bench/fleet.py "${fleet_args[@]}"

echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 bench/report.py "$OUT" | tee "$OUT/report.md"
echo "bench: report in $OUT/report.md (paste into doc/benchmarks.md)"
