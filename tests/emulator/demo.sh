#!/usr/bin/env bash
# make demo: sesctl against the local SES emulator with the `demo` account.
# Builds nothing (the Makefile builds ./sesctl first). Touches no ~/.aws and no real
# XDG directories: everything sesctl and the SDKs read comes from this environment.
#   bash tests/emulator/demo.sh [sesctl args...]     (SESCTL=path overrides ./sesctl)
# SESEMU_FLEET=1 (make demo FLEET=1): a fleet instead (issue 21) — seed fleet:12x3 (12
# accounts x 3 regions; SESEMU_SEED=fleet:AxR overrides), the fleet's AWS config and
# credentials files (one profile per account, fleet-admin for the operator), a sesctl config
# whose [fleet] covers every account profile, `sesctl sync --fleet` to warm the cache (exit 9
# is expected: cust-globex's keys are expired by design), then the console on its Fleet pane.
set -u
cd "$(dirname "$0")/../.."
SESCTL=${SESCTL:-./sesctl}
PY=${PYTHON:-python3}
FLEET=${SESEMU_FLEET:-}
[ "$FLEET" = 0 ] && FLEET=""
if [ -n "$FLEET" ]; then
	SEED=${SESEMU_SEED:-fleet:12x3}
else
	SEED=${SESEMU_SEED:-demo}
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sesctl-demo.XXXXXX")
emu_pid="" tail_pid=""
cleanup() {
	if [ -n "$emu_pid" ] && kill -0 "$emu_pid" 2>/dev/null; then
		kill -TERM "$emu_pid" 2>/dev/null
		wait "$emu_pid" 2>/dev/null
	fi
	if [ -n "$tail_pid" ]; then
		sleep 0.2 # let tail copy the emulator's last lines
		kill "$tail_pid" 2>/dev/null
		wait "$tail_pid" 2>/dev/null
	fi
	exec 3<&- 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN AWS_SECURITY_TOKEN AWS_ROLE_ARN AWS_WEB_IDENTITY_TOKEN_FILE
mkfifo "$tmp/emu.out"
# the emulator also serves the account's DNS on loopback, so sesctl's DNS checks see the
# records that drive verification (SESEMU_DNS=0: no DNS server, no --dns-server flag)
dns_flag="--dns-port 0"
[ "${SESEMU_DNS:-1}" = 0 ] && dns_flag=""
# own session: a Ctrl-C meant for sesctl does not reach the emulator; the trap stops it
if command -v setsid >/dev/null 2>&1; then
	# shellcheck disable=SC2086 # SESEMU_ARGS is a list of flags
	setsid "$PY" tests/emulator/sesemu.py --port 0 --seed "$SEED" $dns_flag ${SESEMU_ARGS:-} >"$tmp/emu.out" 2>"$tmp/emu.log" &
else
	# shellcheck disable=SC2086
	"$PY" tests/emulator/sesemu.py --port 0 --seed "$SEED" $dns_flag ${SESEMU_ARGS:-} >"$tmp/emu.out" 2>"$tmp/emu.log" &
fi
emu_pid=$!
exec 3<"$tmp/emu.out"
line=""
read -r -t 120 line <&3
case $line in
"sesemu listening on http://127.0.0.1:"*) url=${line#sesemu listening on } ;;
*)
	echo "demo: the emulator did not start:" >&2
	cat "$tmp/emu.log" >&2
	exit 1
	;;
esac

sesctl_flags=()
if [ -n "$dns_flag" ]; then
	dns_line=""
	read -r -t 30 dns_line <&3
	case $dns_line in
	"sesemu dns on "*)
		export SESEMU_DNS_SERVER=${dns_line#sesemu dns on }
		sesctl_flags=(--dns-server "$SESEMU_DNS_SERVER")
		;;
	*) echo "demo: no DNS server (${dns_line:-no answer}); DNS checks use the system resolver" >&2 ;;
	esac
fi

mkdir -p "$tmp/cache" "$tmp/config" "$tmp/state"
: >"$tmp/aws-config"
: >"$tmp/aws-credentials"
export AWS_ACCESS_KEY_ID=AKIDEXAMPLE
export AWS_SECRET_ACCESS_KEY='wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'
export AWS_ENDPOINT_URL=$url
export AWS_REGION=eu-west-1
export AWS_DEFAULT_REGION=eu-west-1
export AWS_CONFIG_FILE=$tmp/aws-config
export AWS_SHARED_CREDENTIALS_FILE=$tmp/aws-credentials
export AWS_EC2_METADATA_DISABLED=true
export XDG_CACHE_HOME=$tmp/cache XDG_CONFIG_HOME=$tmp/config XDG_STATE_HOME=$tmp/state
if [ -n "$FLEET" ]; then
	# the fleet's own AWS files (profiles with endpoint_url = this emulator); no keys in
	# the environment, so each profile's own credentials (or role) are the ones used
	"$PY" - "$url" "$AWS_CONFIG_FILE" "$AWS_SHARED_CREDENTIALS_FILE" <<'PYEOF' || { echo "demo: the emulator gave no fleet AWS config (is $SEED a fleet seed?)" >&2; exit 1; }
import json, sys, urllib.request
files = json.load(urllib.request.urlopen(sys.argv[1] + "/_sesemu/fleet/aws-config", timeout=60))
for name, path in (("config", sys.argv[2]), ("credentials", sys.argv[3])):
    with open(path, "w") as f:
        f.write(files[name])
PYEOF
	unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
	export AWS_PROFILE=fleet-admin
	regions=$("$PY" -c 'import json, sys, urllib.request; print(", ".join(json.load(urllib.request.urlopen(sys.argv[1] + "/_sesemu/health", timeout=60))["regions"]))' "$url") || regions=eu-west-1
	cat >"$tmp/sesctl.conf" <<-EOF
	# make demo FLEET=1: every account profile of the emulator's fleet (not fleet-admin)
	[fleet]
	profiles = prod-*, staging, dev, cust-*
	regions = $regions
	EOF
	sesctl_flags+=(--config "$tmp/sesctl.conf")
fi
echo "demo: SES emulator ($SEED account) at $url, region eu-west-1${SESEMU_DNS_SERVER:+, DNS at $SESEMU_DNS_SERVER}${SESEMU_ARGS:+, $SESEMU_ARGS}" >&2
if [ -n "${SESEMU_LOG:-}" ]; then
	tail -n +1 -f "$tmp/emu.log" >>"$SESEMU_LOG" 2>/dev/null &
	tail_pid=$!
fi

if [ $# -gt 0 ]; then
	"$SESCTL" "${sesctl_flags[@]}" "$@"
	exit $?
fi
if [ -n "$FLEET" ]; then
	echo "demo: reading every cell of the fleet (sesctl sync --fleet; cust-globex's expired keys fail by design)" >&2
	"$SESCTL" "${sesctl_flags[@]}" sync --fleet
	rc=$?
	case $rc in
	0 | 9) ;;
	*) echo "demo: 'sesctl sync --fleet' exited with $rc (no fleet support in this sesctl yet?)" >&2 ;;
	esac
fi
# the demo account's feedback topic gets a tap of sesctl's own and a day of past bounces,
# complaints and deliveries, so the Events pane (0) has something to show at once
if [ "$SEED" = demo ]; then
	"$SESCTL" -q events tap --topic "arn:aws:sns:eu-west-1:123456789012:ses-feedback" --yes >/dev/null 2>&1 &&
		"$PY" - "$url" <<'PYEOF' >/dev/null 2>&1 || echo "demo: no event history (the emulator said no)" >&2
import json, sys, urllib.request
body = json.dumps({"topic": "ses-feedback", "count": 300, "identity": "shop.example",
                   "types": {"bounce": 0.5, "complaint": 0.1, "delivery": 0.4},
                   "since_seconds": 86400, "seed": 15}).encode()
req = urllib.request.Request(sys.argv[1] + "/_sesemu/feedback", data=body, method="POST",
                             headers={"Content-Type": "application/json"})
urllib.request.urlopen(req, timeout=60).read()
PYEOF
fi
# and the DMARC reports an SES receipt rule stored in S3, so the DMARC tab has domains
if [ "$SEED" = demo ]; then
	"$SESCTL" -q dmarc import s3://shop-dmarc-reports/dmarc/ >/dev/null 2>&1 ||
		echo "demo: no DMARC reports (the import failed)" >&2
fi
start=$SECONDS
"$SESCTL" "${sesctl_flags[@]}"
rc=$?
if [ $rc -ne 0 ] && [ $((SECONDS - start)) -le 2 ]; then
	echo "demo: '$SESCTL' exited with $rc (no TUI yet?); showing the CLI instead" >&2
	"$SESCTL" "${sesctl_flags[@]}" whoami
	rc=$?
	"$SESCTL" "${sesctl_flags[@]}" identities list || rc=$?
fi
exit $rc
