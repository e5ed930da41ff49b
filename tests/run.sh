#!/usr/bin/env bash
# Runs every suite and prints one line per test program, then the honest total:
#   tests: N passed, N failed, N skipped
# Unit tests are cmocka binaries in $SESCTL_BUILD/tests; integration suites are Python
# unittest files (tests/*/test_*.py) run with the image's python3 (moto, boto3).
# Exit status is non-zero when anything failed or when no test ran at all.
set -u
cd "$(dirname "$0")/.."
BUILD=${SESCTL_BUILD:-build}
export SESCTL_BIN=${SESCTL_BIN:-$PWD/sesctl}
export SESCTL_ROOT=$PWD
export PYTHONDONTWRITEBYTECODE=1
export SESCTL_SIGV4_SUITE=${SESCTL_SIGV4_SUITE:-$PWD/../shared/testdata/aws-sig-v4-test-suite}
PY=${PYTHON:-python3}
FILTER=${TESTS:-}
LOG=$(mktemp -d)
# make check-dates: SESCTL_FAKETIME (a libfaketime offset) moves the clock of the test
# programs only; this script, its timeout watchdog and its bookkeeping keep real time.
CLOCK=()
if [ -n "${SESCTL_FAKETIME:-}" ]; then
	[ -r "${SESCTL_FAKETIME_LIB:-}" ] || { echo "run.sh: SESCTL_FAKETIME_LIB not readable" >&2; exit 1; }
	CLOCK=(env LD_PRELOAD="$SESCTL_FAKETIME_LIB" FAKETIME="$SESCTL_FAKETIME" NO_FAKE_STAT=1)
fi
# A hang must end as a named failure, not as a silent CI timeout: each program gets a
# generous watchdog (not a speed limit; suites take seconds to a few minutes).
trap 'rm -rf "$LOG"' EXIT

passed=0 failed=0 skipped=0
failed_names=()

note() { printf '%-44s %s\n' "$1" "$2"; }

run_unit() {
	local bin=$1 name out p f s rc
	name=unit/$(basename "$bin")
	out=$LOG/$(basename "$bin").log
	CMOCKA_MESSAGE_OUTPUT=stdout timeout -k 30 600 ${CLOCK[@]+"${CLOCK[@]}"} "$bin" >"$out" 2>&1
	rc=$?
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -1)
	s=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' "$out" | tail -1)
	p=${p:-0} f=${f:-0} s=${s:-0}
	if [ $rc -ge 124 ] && [ $rc -le 137 ]; then echo "run.sh: $name timed out or was killed (exit $rc)" >>"$out"; fi
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	record "$name" "$p" "$f" "$s" "$out"
}

run_py() {
	local file=$1 name out p f s rc ran
	name=${file#tests/}
	out=$LOG/$(echo "$name" | tr / _).log
	timeout -k 30 1800 ${CLOCK[@]+"${CLOCK[@]}"} "$PY" -m unittest -v "$file" >"$out" 2>&1
	rc=$?
	ran=$(sed -n 's/^Ran \([0-9]*\) test.*/\1/p' "$out" | tail -1)
	ran=${ran:-0}
	f=$(grep -Eo '(failures|errors)=[0-9]+' "$out" | tail -2 | awk -F= '{s+=$2} END {print s+0}')
	s=$(grep -Eo 'skipped=[0-9]+' "$out" | tail -1 | cut -d= -f2)
	s=${s:-0}
	p=$((ran - f - s))
	if [ $rc -ge 124 ] && [ $rc -le 137 ]; then echo "run.sh: $name timed out or was killed (exit $rc)" >>"$out"; fi
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	record "$name" "$p" "$f" "$s" "$out"
}

record() {
	local name=$1 p=$2 f=$3 s=$4 out=$5
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	if [ "$f" -gt 0 ]; then
		note "$name" "FAIL ($p passed, $f failed, $s skipped)"
		failed_names+=("$name")
		echo "---- output of $name (last 60 lines) ----"
		tail -60 "$out"
		echo "---- end of $name ----"
	else
		note "$name" "ok ($p passed, $s skipped)"
		grep -h '^SKIP' "$out" 2>/dev/null | sed 's/^/    /'
	fi
}

# TESTS="a b": a test runs when its path contains any of the words.
match() {
	local f
	[ -z "$FILTER" ] && return 0
	for f in $FILTER; do
		[[ $1 == *$f* ]] && return 0
	done
	return 1
}

for bin in "$BUILD"/tests/test_*; do
	[ -x "$bin" ] || continue
	match "$bin" && run_unit "$bin"
done
for file in $(ls tests/*/test_*.py 2>/dev/null | sort); do
	match "$file" && run_py "$file"
done

if [ ${#failed_names[@]} -gt 0 ]; then
	echo "failed: ${failed_names[*]}"
fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
if [ "$failed" -gt 0 ]; then exit 1; fi
if [ "$passed" -eq 0 ]; then echo "no test ran" >&2; exit 1; fi
exit 0
