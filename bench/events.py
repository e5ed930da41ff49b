#!/usr/bin/env python3
"""Feedback at scale: the events tap and the routing audit, against the emulator.

  events  a queue of E SES notifications (the emulator's POST /_sesemu/feedback publishes
          them to a topic that sesctl's tap queue is subscribed to; real shapes, a mix of
          bounces, complaints and deliveries), then
            sesctl: `sesctl events --json` (receive 10 at a time, parse both schemas, store
                    every row in the cache, delete what was stored), and
            boto3:  bench/boto3_events.py drain (receive, decode twice, delete; no store),
            AWS CLI: `aws sqs receive-message` + `aws sqs delete-message-batch` per 10, on
                    a sample of S messages (one process per call);
          figures: messages and rows per second.
  audit   N identities (seed bulk:N), a tenth with bounce and complaint topics; then
            sesctl: `sesctl sync --kind feedback` on a cache that holds the identities, and
            boto3:  bench/boto3_events.py audit;
          SES allows GetIdentityNotificationAttributes once a second for 100 identities, so
          ceil(N/100) - 1 seconds is the floor: the figures say how close each gets.

Requests are counted from the emulator's --verbose log. Prints every figure with its
command; writes the raw samples to --out for bench/report.py.

    python3 bench/events.py --events 10000 --identities 1000 --runs 3 --out build/bench/events.json
"""

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench as B  # noqa: E402

ACCT = "123456789012"


def publish(emu, topic, count):
    out = emu.publish_feedback(topic, count, types={"bounce": 0.6, "complaint": 0.1, "delivery": 0.3},
                               since_seconds=3600, seed=7)
    if out.get("published") != count:
        raise SystemExit(f"the emulator published {out} instead of {count} records")


def run(name, argv, env, log, stdout=subprocess.DEVNULL):
    log.start()
    m = B.measured(argv, env, stdout=stdout)
    if m["rc"] != 0:
        raise SystemExit(f"{name} failed (exit {m['rc']}): {m['stderr']}")
    m["ops"] = log.ops()
    m["requests"] = B.count(m["ops"])
    return m


def events_bench(emu, env, tmp, args, log, res):
    sns = emu.client("sns")
    topic = sns.create_topic(Name="bench-feedback")["TopicArn"]
    cache = os.path.join(tmp, "events.sqlite3")
    tap = [B.BIN, "--cache", cache, "events", "tap", "--topic", topic, "--yes"]
    B.say(f"  queue: {args.events} records published to {topic} (POST /_sesemu/feedback), "
          f"then the reader empties it")
    B.say(f"  sesctl: {B.cmdline(tap)}; then {B.cmdline([B.BIN, '--cache', 'CACHE', 'events', '--json'])}")
    res["sesctl_events"] = []
    for i in range(args.runs):
        subprocess.run([B.BIN, "--cache", cache, "events", "untap", "--yes"], env=env, capture_output=True)
        if subprocess.run(tap, env=env, capture_output=True).returncode:
            raise SystemExit("sesctl events tap failed")
        publish(emu, topic, args.events)
        out = os.path.join(tmp, f"events-{i}.json")
        with open(out, "w") as f:
            m = run("sesctl events", [B.BIN, "--cache", cache, "events", "--json", "--limit", "1"], env, log,
                    stdout=f)
        with open(out) as f:
            doc = json.load(f)
        m["messages"] = args.events
        m["new_rows"] = doc["new"]
        B.say(f"    run {i + 1}: wall {m['wall']:.3f} s  ({args.events / m['wall']:.0f} messages/s, "
              f"{doc['new']} rows stored)  cpu {m['cpu']:.3f} s  peak RSS {m['rss_kib'] / 1024:.1f} MiB  "
              f"requests {m['requests']}")
        res["sesctl_events"].append(m)
    subprocess.run([B.BIN, "--cache", cache, "events", "untap", "--yes"], env=env, capture_output=True)

    sqs = emu.client("sqs")
    url = sqs.create_queue(QueueName="bench-boto3")["QueueUrl"]
    qarn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=qarn)
    script = [B.PY, os.path.join(B.ROOT, "bench", "boto3_events.py"), "drain", "--queue-url", url]
    B.say(f"  boto3: {B.cmdline(script)}")
    res["boto3_events"] = []
    for i in range(args.runs):
        publish(emu, topic, args.events)
        out = os.path.join(tmp, f"boto3-{i}.json")
        with open(out, "w") as f:
            m = run("boto3 drain", script, env, log, stdout=f)
        with open(out) as f:
            m["inner"] = json.load(f)
        B.say(f"    run {i + 1}: wall {m['wall']:.3f} s  ({args.events / m['wall']:.0f} messages/s)  "
              f"cpu {m['cpu']:.3f} s  requests {m['requests']}")
        res["boto3_events"].append(m)

    # the AWS CLI, on a sample: one process per receive and per delete. AWS CLI v1 sends
    # sqs commands to https://REGION.queue.amazonaws.com whatever AWS_ENDPOINT_URL says (its
    # update_endpoint_url customization), so the endpoint is given on the command line.
    publish(emu, topic, args.cli_sample)
    script = os.path.join(tmp, "awscli_drain.sh")
    with open(script, "w") as f:
        f.write(f"""set -e
url={url}
while :; do
  out=$(aws --endpoint-url "$AWS_ENDPOINT_URL" sqs receive-message --queue-url "$url" --max-number-of-messages 10 --output json)
  [ -z "$out" ] && break
  entries=$(printf '%s' "$out" | python3 -c 'import json,sys; m=json.load(sys.stdin).get("Messages",[]); print(json.dumps([{{"Id":str(i),"ReceiptHandle":x["ReceiptHandle"]}} for i,x in enumerate(m)]))')
  [ "$entries" = "[]" ] && break
  aws --endpoint-url "$AWS_ENDPOINT_URL" sqs delete-message-batch --queue-url "$url" --entries "$entries" >/dev/null
done
""")
    B.say(f"  AWS CLI: bash {script} (receive-message + delete-message-batch per 10), {args.cli_sample} messages")
    m = run("aws cli drain", ["bash", script], env, log)
    m["messages"] = args.cli_sample
    B.say(f"    wall {m['wall']:.3f} s  ({args.cli_sample / m['wall']:.1f} messages/s)  requests {m['requests']}")
    res["awscli_events"] = [m]


def audit_bench(emu, env, tmp, args, log, res):
    n = args.identities
    ses = emu.client("ses")
    sns = emu.client("sns")
    topic = sns.create_topic(Name="bench-audit")["TopicArn"]
    v2 = emu.client("sesv2")
    names, token = [], None
    while True:
        page = v2.list_email_identities(PageSize=1000, **({"NextToken": token} if token else {}))
        names += [x["IdentityName"] for x in page["EmailIdentities"]]
        token = page.get("NextToken")
        if not token:
            break
    for name in names[::10]:
        for kind in ("Bounce", "Complaint"):
            ses.set_identity_notification_topic(Identity=name, NotificationType=kind, SnsTopic=topic)
    base = os.path.join(tmp, "audit-base.sqlite3")
    if subprocess.run([B.BIN, "--cache", base, "sync", "--kind", "identities"], env=env,
                      capture_output=True).returncode:
        raise SystemExit("sesctl sync --kind identities failed")
    floor = math.ceil(n / 100) - 1
    argv = [B.BIN, "--cache", "COPY", "sync", "--kind", "feedback"]
    B.say(f"  audit of {len(names)} identities ({len(names[::10])} with topics); floor {floor} s "
          f"(GetIdentityNotificationAttributes: 100 a call, 1 call/s)")
    B.say(f"  sesctl: {B.cmdline(argv)}   (COPY: a copy of a cache holding the identities)")
    res["audit_floor"] = floor
    res["sesctl_audit"] = []
    for i in range(args.runs):
        cache = os.path.join(tmp, f"audit-{i}.sqlite3")
        shutil.copy(base, cache)
        m = run("sesctl audit", [B.BIN, "--cache", cache, "sync", "--kind", "feedback"], env, log)
        B.say(f"    run {i + 1}: wall {m['wall']:.3f} s  (floor {floor} s)  cpu {m['cpu']:.3f} s  "
              f"requests {m['requests']}  {json.dumps(m['ops'])}")
        res["sesctl_audit"].append(m)
    script = [B.PY, os.path.join(B.ROOT, "bench", "boto3_events.py"), "audit"]
    B.say(f"  boto3: {B.cmdline(script)}")
    res["boto3_audit"] = []
    for i in range(args.runs):
        m = run("boto3 audit", script, env, log)
        B.say(f"    run {i + 1}: wall {m['wall']:.3f} s  (floor {floor} s)  requests {m['requests']}")
        res["boto3_audit"].append(m)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=10000)
    ap.add_argument("--identities", type=int, default=1000)
    ap.add_argument("--cli-sample", type=int, default=200)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", default=os.path.join(B.ROOT, "build", "bench", "events.json"))
    args = ap.parse_args()
    B.say(f"\n== feedback: {args.events} events, audit of {args.identities} identities "
          f"(emulator seed bulk:{args.identities}); load average {' '.join(B.loadavg())}")
    tmp = tempfile.mkdtemp(prefix="sesctl-bench-events-")
    emu = B.Sesemu(seed=f"bulk:{args.identities}", args=["--verbose"], start_timeout=600).start()
    log = B.ReqLog(emu)
    B.say(f"  emulator: python3 tests/emulator/sesemu.py --port 0 --seed bulk:{args.identities} --verbose  ({emu.url})")
    res = {"events": args.events, "identities": args.identities, "runs": args.runs,
           "cli_sample": args.cli_sample, "load_before": B.loadavg()}
    try:
        env = B.clean_env(os.path.join(tmp, "home"), emu)
        events_bench(emu, env, tmp, args, log, res)
        audit_bench(emu, env, tmp, args, log, res)
        res["load_after"] = B.loadavg()
    finally:
        emu.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(res, f, indent=1)
    B.say(f"raw samples: {args.out}")


if __name__ == "__main__":
    main()
