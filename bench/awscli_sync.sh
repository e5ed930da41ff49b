#!/usr/bin/env bash
# The cold-sync job as a shell script does it with the AWS CLI (v1, `aws`), one process per
# call. Credentials, region and endpoint come from the AWS_* environment.
#
#   bench/awscli_sync.sh fixed   TIMING IDS_OUT   who am I, the account, every page of
#                                                 list-email-identities (1000 a page, looping on
#                                                 NextToken: botocore has no paginator for it,
#                                                 so the CLI returns one page per call),
#                                                 configuration sets, receipt rule sets, the
#                                                 active set, send statistics; names → IDS_OUT
#   bench/awscli_sync.sh details TIMING NAMES     get-email-identity for each name in NAMES
#   bench/awscli_sync.sh all     TIMING           both: the whole job (what the extrapolation
#                                                 in doc/benchmarks.md stands for)
#
# Each call appends "what start end" (EPOCHREALTIME) to TIMING.
set -euo pipefail
mode=$1 timing=$2
: >"$timing"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

call() { # what, then the aws arguments; output to $out/what.json
	local what=$1 t0
	shift
	t0=$EPOCHREALTIME
	aws "$@" >"$out/$what.json"
	echo "$what $t0 $EPOCHREALTIME" >>"$timing"
}

list_all() { # every page of list-email-identities; one identity name a line to $1
	local token="" page=0
	: >"$1"
	while :; do
		if [ -n "$token" ]; then
			call list-email-identities sesv2 list-email-identities --page-size 1000 --next-token "$token"
		else
			call list-email-identities sesv2 list-email-identities --page-size 1000
		fi
		page=$((page + 1))
		sed -n 's/^ *"IdentityName": "\(.*\)",\{0,1\}$/\1/p' "$out/list-email-identities.json" >>"$1"
		token=$(sed -n 's/^ *"NextToken": "\([^"]*\)".*/\1/p' "$out/list-email-identities.json")
		[ -n "$token" ] || break
	done
}

fixed() {
	call get-caller-identity sts get-caller-identity
	call get-account sesv2 get-account
	list_all "$1"
	call list-configuration-sets sesv2 list-configuration-sets
	call list-receipt-rule-sets ses list-receipt-rule-sets
	call describe-active-receipt-rule-set ses describe-active-receipt-rule-set
	call get-send-statistics ses get-send-statistics
}

details() {
	local name
	while IFS= read -r name; do
		[ -n "$name" ] || continue
		call get-email-identity sesv2 get-email-identity --email-identity "$name"
	done <"$1"
}

case $mode in
fixed) fixed "$3" ;;
details) details "$3" ;;
all)
	fixed "$out/ids.txt"
	details "$out/ids.txt"
	;;
*)
	echo "usage: $0 fixed|details|all TIMING [FILE]" >&2
	exit 2
	;;
esac
