"""Start sesemu for a test suite and talk to it.

    sys.path.insert(0, os.path.join(ROOT, "tests", "emulator"))
    from sesemu_fixture import Sesemu

    with Sesemu(seed="demo") as emu:            # or emu = Sesemu("demo").start(); ...; emu.stop()
        v2 = emu.client("sesv2")                 # boto3 client pointed at the emulator
        emu.set_identity_status("newbrand.example", "SUCCESS")
        emu.set_faults(rules=[{"kind": "throttle", "rate": 0.5}], seed=7)
        env = emu.env()                          # AWS_* variables for a subprocess (sesctl, aws)

    with Sesemu(seed="fleet:30x3") as emu:      # several accounts (README: "Several accounts")
        emu.client("sesv2", account="prod-us", region="us-east-1")   # that account's keys
        emu.client("sesv2", profile="staging")   # through the fleet's AWS config files
        emu.set_account(account="dev", region="eu-west-1", enforcement_status="PROBATION")

See README.md in this folder for the admin API behind the helpers.
"""

import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
REGION = "eu-west-1"


class Sesemu:
    def __init__(self, seed="empty", args=(), region=REGION, start_timeout=60):
        self.seed = seed
        self.args = list(args)
        self.region = region
        self.start_timeout = start_timeout
        self.proc = None
        self.url = None
        self.port = None
        self.log_path = None
        self.dns_server = None       # "127.0.0.1:PORT" when started with args=["--dns-port", "0"]
        self.fleet_dir = None        # where write_fleet_files() put the AWS config files

    # ---- lifecycle ---------------------------------------------------------------------
    def start(self):
        fd, self.log_path = tempfile.mkstemp(prefix="sesemu-", suffix=".log")
        os.close(fd)
        self._log = open(self.log_path, "wb")
        cmd = [sys.executable, os.path.join(HERE, "sesemu.py"), "--port", "0", "--seed", self.seed,
               "--region", self.region, *self.args]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self._log, stdin=subprocess.DEVNULL)
        ready, _, _ = select.select([self.proc.stdout], [], [], self.start_timeout)
        line = self.proc.stdout.readline().decode() if ready else ""
        prefix = "sesemu listening on "
        if not line.startswith(prefix):
            self.stop()
            raise RuntimeError(f"sesemu did not start: {line!r}; log: {self.read_log()[-2000:]}")
        self.url = line[len(prefix):].strip()
        self.port = int(self.url.rsplit(":", 1)[1])
        if "--dns-port" in self.args:           # second line: "sesemu dns on 127.0.0.1:PORT"
            line = self.proc.stdout.readline().decode()
            self.dns_server = line.split(" on ", 1)[1].strip() if line.startswith("sesemu dns on ") else None
        return self

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc is not None and self.proc.stdout:
            self.proc.stdout.close()
        if getattr(self, "_log", None):
            self._log.close()
            self._log = None
        if self.fleet_dir:
            shutil.rmtree(self.fleet_dir, ignore_errors=True)
            self.fleet_dir = None
        return self.proc.returncode if self.proc else None

    def read_log(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        if self.log_path and os.path.exists(self.log_path):
            os.unlink(self.log_path)

    # ---- AWS clients -------------------------------------------------------------------
    def session(self, access_key=ACCESS_KEY, secret_key=SECRET_KEY, token=None, region=None):
        import boto3
        return boto3.Session(aws_access_key_id=access_key, aws_secret_access_key=secret_key,
                             aws_session_token=token, region_name=region or self.region)

    def client(self, service, region=None, max_attempts=1, session=None, account=None, profile=None, **config):
        """boto3 client for sesv2, ses, cloudwatch, mailmanager, cloudtrail, sts, sns, sqs. max_attempts counts the first
        try (1 = no retries, the default). account (id or alias): signed with that account's
        keys; profile: a profile of the fleet's AWS config files (assume-role chains resolved
        by botocore, as sesctl resolves them)."""
        from botocore.config import Config
        cfg = Config(retries={"total_max_attempts": max_attempts, "mode": "standard"}, **config)
        if session is None and profile is not None:
            session = self.profile_session(profile, region=region)
        elif session is None and account is not None:
            session = self.account_session(account, region=region)
        return (session or self.session(region=region)).client(service, endpoint_url=self.url, config=cfg)

    def account_session(self, account, region=None):
        """boto3 session with the keys of an account (id or alias)."""
        acct = self.account(account)
        return self.session(acct["access_key"], acct["secret_key"], region=region)

    def profile_session(self, profile, region=None):
        """boto3 session for a profile of the fleet's AWS config files (written on first use)."""
        import boto3
        import botocore.session
        config, credentials = self.write_fleet_files()
        core = botocore.session.Session()
        core.set_config_variable("config_file", config)
        core.set_config_variable("credentials_file", credentials)
        return boto3.Session(botocore_session=core, profile_name=profile, region_name=region)

    def env(self, base=None, account=None, fleet=False):
        """Environment for a subprocess (sesctl, the AWS CLI) pointed at the emulator: the
        main account's keys, an account's (id or alias), or with fleet=True no keys but the
        fleet's AWS config files (pick a profile with AWS_PROFILE or --profile)."""
        env = dict(os.environ if base is None else base)
        env.update(AWS_REGION=self.region, AWS_DEFAULT_REGION=self.region, AWS_ENDPOINT_URL=self.url,
                   AWS_MAX_ATTEMPTS="1")
        for var in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
            env.pop(var, None)
        if fleet:
            env["AWS_CONFIG_FILE"], env["AWS_SHARED_CREDENTIALS_FILE"] = self.write_fleet_files()
        else:
            keys = self.account(account) if account else {"access_key": ACCESS_KEY, "secret_key": SECRET_KEY}
            env.update(AWS_ACCESS_KEY_ID=keys["access_key"], AWS_SECRET_ACCESS_KEY=keys["secret_key"])
        return env

    # ---- admin API ---------------------------------------------------------------------
    def admin(self, method, path, body=None, region=None, timeout=30, account=None):
        """One admin call; region and account (id or alias; default the main account) go in
        the body, or in the query of a GET."""
        data = dict(body or {})
        if region:
            data["region"] = region
        if account:
            data["account"] = account
        req = urllib.request.Request(f"{self.url}/_sesemu/{path.lstrip('/')}", method=method,
                                     data=json.dumps(data).encode() if method != "GET" else None,
                                     headers={"Content-Type": "application/json"})
        if method == "GET" and data:
            req.full_url += "?" + urllib.parse.urlencode(data)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return json.loads(resp.read())
        except urllib.error.HTTPError as e:
            raise RuntimeError(f"admin {method} {path}: {e.code} {e.read().decode(errors='replace')}")

    def reset(self, seed=None):
        # a client's SQS long poll (up to 20 s) may still hold the emulator when the next
        # test resets it, and the demo seed is slow under libfaketime (make check-dates)
        if self.fleet_dir and seed:       # another fleet seed has other files
            shutil.rmtree(self.fleet_dir, ignore_errors=True)
            self.fleet_dir = None
        return self.admin("POST", "reset", {"seed": seed} if seed else {}, timeout=120)

    def set_faults(self, rules=(), seed=0, real_rate_limits=False, rate_limits=None):
        return self.admin("POST", "faults", {"rules": list(rules), "seed": seed,
                                             "real_rate_limits": real_rate_limits,
                                             "rate_limits": rate_limits or {}})

    def clear_faults(self):
        return self.set_faults()

    def faults(self):
        return self.admin("GET", "faults")

    def set_identity_status(self, identity, status=None, dkim_status=None, mail_from_status=None, region=None):
        body = {"identity": identity, "status": status, "dkim_status": dkim_status,
                "mail_from_status": mail_from_status}
        return self.admin("POST", "identity", body, region=region)

    def verify_identity(self, identity, region=None):
        """The verification link was clicked."""
        return self.admin("POST", "identity/verify", {"identity": identity}, region=region)

    def publish_dns(self, zone=None, server=None, add=None, remove=None, region=None):
        """zone: {"name": {"CNAME": ["value"], ...}} replaces the zone, add merges records into
        it, remove drops names; server: "127.0.0.1:PORT" of a DNS server to consult too."""
        body = {k: v for k, v in (("zone", zone), ("server", server), ("add", add), ("remove", remove))
                if v is not None}
        return self.admin("POST", "dns", body, region=region)

    def set_account(self, region=None, account=None, **fields):
        """Account state in one region: sending_enabled, production_access,
        enforcement_status, max_24h, max_rate."""
        return self.admin("POST", "account", fields, region=region, account=account)

    def state(self, region=None, account=None):
        return self.admin("GET", "state", region=region, account=account)

    # ---- several accounts ----------------------------------------------------------------
    def accounts(self):
        """[{"id", "alias", "main", "access_key", "secret_key"}], the main account first."""
        return self.admin("GET", "accounts")["accounts"]

    def account(self, name):
        """One account by id or alias (KeyError if the emulator has none)."""
        for acct in self.accounts():
            if name in (acct["id"], acct["alias"]):
                return acct
        raise KeyError(f"no account {name!r}")

    def create_account(self, account_id, alias=None, access_key=None, secret_key=None):
        body = {"id": account_id, "alias": alias, "access_key": access_key, "secret_key": secret_key}
        return self.admin("POST", "accounts", {k: v for k, v in body.items() if v is not None})

    def seed_account(self, seed, account=None, region=None):
        """Applies a seed to one account and region on top of what is there (no reset)."""
        return self.admin("POST", "seed", {"seed": seed}, region=region, account=account)

    def fleet_aws_config(self, endpoint=True):
        """{"config", "credentials", "profiles": [{profile, account, alias, region, kind}]} of a
        fleet seed (kind: keys, role, expired); endpoint_url in every profile unless False."""
        return self.admin("GET", "fleet/aws-config", {} if endpoint else {"endpoint": "0"})

    def write_fleet_files(self):
        """The fleet's AWS config and credentials files in a temp dir removed by stop();
        returns (config path, credentials path). Point AWS_CONFIG_FILE and
        AWS_SHARED_CREDENTIALS_FILE at them."""
        if self.fleet_dir is None:
            files = self.fleet_aws_config()
            self.fleet_dir = tempfile.mkdtemp(prefix="sesemu-fleet-")
            for name in ("config", "credentials"):
                with open(os.path.join(self.fleet_dir, name), "w") as f:
                    f.write(files[name])
        return os.path.join(self.fleet_dir, "config"), os.path.join(self.fleet_dir, "credentials")

    def requests(self, clear=False):
        """SES requests the emulator served, oldest first (op, status, fault, ...)."""
        out = self.admin("GET", "requests")["requests"]
        if clear:
            self.admin("DELETE", "requests")
        return out

    def sent(self, region=None):
        return self.admin("GET", "sent", region=region)["messages"]

    def set_points(self, region=None):
        """The seeded send points per configuration set: {"region", "sets": {name: [points]},
        "no_set": [points]}."""
        return self.admin("GET", "set-points", region=region)

    # ---- SNS and SES feedback ------------------------------------------------------------
    def confirm_subscription(self, arn_or_endpoint, region=None):
        """The subscriber confirmed: every pending subscription with that ARN or endpoint.
        Returns {"confirmed": [subscription ARNs]} (RuntimeError with 404 if none was pending)."""
        return self.admin("POST", "sns/confirm", {"subscription": arn_or_endpoint}, region=region)

    def sns_subscriptions(self, region=None):
        """[{"SubscriptionArn", "TopicArn", "Protocol", "Endpoint", "PendingConfirmation": bool}]"""
        return self.admin("GET", "sns/subscriptions", region=region)["subscriptions"]

    def feedback(self, region=None):
        """{"published": [{"topic", "why", "schema", "type", "messageId", "delivered", ...}],
        "forwarded": [{"type", "identity", "to", "recipient", "messageId", "timestamp"}]}"""
        return self.admin("GET", "feedback", region=region)

    def clear_feedback(self, region=None):
        return self.admin("DELETE", "feedback", region=region)

    def publish_feedback(self, topic, count, types=None, identity=None, config_set=None, schema="notification",
                         since_seconds=86400, seed=0, region=None):
        """count synthetic SES records to a topic (name or ARN). types: {"bounce": 0.6,
        "complaint": 0.1, "delivery": 0.3}. Returns {"published": N, "topic": ARN, "seconds": t}."""
        body = {"topic": topic, "count": count, "types": types, "identity": identity, "config_set": config_set,
                "schema": schema, "since_seconds": since_seconds, "seed": seed}
        return self.admin("POST", "feedback", body, region=region)

    # ---- CloudTrail -------------------------------------------------------------------------
    def cloudtrail(self, region=None):
        """{"delay", "rate", "user_name", "events" (count in the region), "region"}"""
        return self.admin("GET", "cloudtrail", region=region)

    def set_cloudtrail(self, delay=None, rate=False, user_name=None):
        """delay: seconds before an event reaches LookupEvents; rate: LookupEvents per second
        (None: no limit; False: unchanged); user_name: the IAM user of the emulator's keys."""
        body = {}
        if delay is not None:
            body["delay"] = delay
        if rate is not False:
            body["rate"] = rate
        if user_name is not None:
            body["user_name"] = user_name
        return self.admin("POST", "cloudtrail", body)

    def set_cloudtrail_delay(self, seconds):
        return self.set_cloudtrail(delay=seconds)

    def cloudtrail_events(self, region=None):
        """Every recorded CloudTrail event of the region (delivered or not), oldest first, as
        dicts with CloudTrail's fields (userAgent as received) plus "sesemu": {recorded,
        visibleAt, delivered, resources}."""
        return self.admin("GET", "cloudtrail/events", region=region)["events"]

    def put_cloudtrail_event(self, event, region=None):
        """Stores an event as recorded at its eventTime (default now; the delay applies);
        eventName required, other fields default as CloudTrail writes them. Returns the
        stored event."""
        return self.admin("POST", "cloudtrail/events", {"event": event}, region=region)["event"]

    def clear_cloudtrail_events(self, region=None):
        return self.admin("DELETE", "cloudtrail/events", region=region)

    # ---- tenants and recommendations ---------------------------------------------------------
    def tenants(self, region=None):
        """{"region", "tenants": {name: {TenantName, TenantId, TenantArn, CreatedTimestamp, Tags,
        SendingStatus, policy, ReputationEntity, resources: [{ResourceType, ResourceArn,
        AssociatedTimestamp}]}}, "recommendations": [{ResourceArn, Type, Description, Status,
        Impact, CreatedTimestamp, LastUpdatedTimestamp}]}"""
        return self.admin("GET", "tenants", region=region)

    def set_tenant_aws_status(self, name, status, cause=None, region=None):
        """AWS paused (DISABLED), reinstated or enabled a tenant: its AwsSesManagedStatus.
        Returns the tenant as tenants() shows it."""
        return self.admin("POST", "tenant/status", {"tenant": name, "status": status, "cause": cause},
                          region=region)

    def add_recommendation(self, resource_arn, type, impact, description, status="OPEN", region=None):
        """A VDM finding on an ARN (or a tenant or identity name): type DKIM, DMARC, SPF, BIMI,
        COMPLAINT, BOUNCE, FEEDBACK_3P, IP_LISTING; impact LOW or HIGH. Returns it."""
        body = {"resource_arn": resource_arn, "type": type, "impact": impact, "description": description,
                "status": status}
        return self.admin("POST", "recommendations", body, region=region)["recommendation"]

    def resolve_recommendation(self, resource_arn, type, description=None, region=None):
        """The OPEN findings of that resource and type (and description, when given) become
        FIXED. Returns them (RuntimeError with 404 if there was none)."""
        body = {"resource_arn": resource_arn, "type": type, "description": description}
        return self.admin("POST", "recommendations/resolve", body, region=region)["resolved"]

