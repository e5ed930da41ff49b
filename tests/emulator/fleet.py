"""The `fleet:AxR[:N]` seed: A accounts x R regions, as an operator of a platform sees them
(issue 21), plus the AWS config and credentials files that reach every account.

    --seed fleet:30x3          30 accounts, 3 regions, a handful of identities per cell
    --seed fleet:30x3:1000     the same with 1000 identities per cell (benchmarks)

Accounts are 200000000001, 200000000002, … with aliases (`prod-eu`, `prod-us`, `staging`,
…, then `cust-NNN`) and the keys accounts.default_keys() derives; the main account
(123456789012, the default keys) stays empty: it is where the operator's own user lives,
the `fleet-admin` profile that the assume-role profiles start from. Regions are the first R
of REGIONS. Every cell (account, region) has its own SES state: identities, two
configuration sets, 24 h of send statistics (GetSendStatistics) and the matching
CloudWatch counts and Reputation.* rates, a quota; and one health out of HEALTH, assigned
by special_cells(). Cheap on purpose: 30x3 starts in about a second.
"""

import random
import re
import time

import cloudtrail
import configsets
import state
from accounts import default_keys

REGIONS = ("eu-west-1", "us-east-1", "us-west-2", "eu-central-1", "ap-southeast-2", "ap-northeast-1",
           "eu-north-1", "ca-central-1", "sa-east-1", "ap-south-1", "eu-west-2", "us-east-2")
ALIASES = ("prod-eu", "prod-us", "staging", "dev", "cust-acme", "cust-globex", "cust-initech",
           "cust-umbrella", "cust-hooli", "cust-wayne", "cust-stark", "cust-wonka")
FIRST_ACCOUNT = 200000000001
DEFAULT_IDENTITIES = 6
ROLE_NAME = "OrganizationAccountAccessRole"
ADMIN_PROFILE = "fleet-admin"
OPERATOR_ROLE = "OnCallOperator"
OPERATOR = "oncall@example.com"
PAUSE_AGO = 5 * 3600
# the seed's health kinds: bounce/complaint rates of the last 24 h, enforcement status,
# whether the account may send (SHUTDOWN: AWS stopped it; paused: the operator did)
HEALTH = {"healthy": (0.008, 0.0003, "HEALTHY", True),
          "shutdown": (0.12, 0.004, "SHUTDOWN", False),
          "probation": (0.065, 0.0015, "PROBATION", True),
          "paused": (0.01, 0.0004, "HEALTHY", False),
          "bounce": (0.085, 0.0006, "HEALTHY", True)}
_SPEC_RE = re.compile(r"^fleet:(\d+)[x×](\d+)(?::(\d+))?$")


def parse(seed):
    """(accounts, regions, identities per cell) of a fleet seed, or None for other seeds."""
    m = _SPEC_RE.match(seed or "")
    if not m:
        return None
    a, r, n = int(m.group(1)), int(m.group(2)), int(m.group(3) or DEFAULT_IDENTITIES)
    if not 1 <= a <= 1000 or not 1 <= r <= len(REGIONS) or not 0 <= n <= 100000:
        raise ValueError(f"fleet seed {seed!r}: 1-1000 accounts, 1-{len(REGIONS)} regions, 0-100000 identities")
    return a, list(REGIONS[:r]), n


def account_ids(a):
    return [str(FIRST_ACCOUNT + i) for i in range(a)]


def alias(i):
    return ALIASES[i] if i < len(ALIASES) else f"cust-{i:03d}"


def special_cells(a, r):
    """{(account index, region index): health} for the unhealthy cells; every other cell is
    healthy. Preferred places keep prod-eu's home cell healthy; a small fleet puts the
    kinds it has room for on the cells that are left."""
    cells = [(i, j) for i in range(a) for j in range(r)]
    preferred = {"shutdown": (1, 0), "probation": (2, r - 1), "paused": (3, 0), "bounce": (4, min(1, r - 1))}
    out = {}
    for kind, cell in preferred.items():
        if cell not in cells or cell in out:
            cell = next((c for c in reversed(cells) if c not in out and c != (0, 0)), None)
        if cell is not None:
            out[cell] = kind
    return out


def expired_index(a):
    """The account whose profile carries expired session keys (cust-globex in a big fleet)."""
    return 5 % a


def role_profile(i):
    """Every third account is reached by assuming a role from fleet-admin, as an
    organization's member accounts are; the others have keys of their own."""
    return i % 3 == 2


def expired_keys(account_id):
    key, secret = default_keys(account_id)
    return "ASIA" + key[4:-4] + "EXPD", secret[::-1], f"sesemu-expired-session-{account_id}"


def apply(seed, accounts, now=None):
    """Creates the fleet's accounts (their keys survive resets) and seeds every cell.
    Returns the fleet's regions."""
    now = time.time() if now is None else now
    a, regions, n = parse(seed)
    special = special_cells(a, len(regions))
    for i, acct in enumerate(account_ids(a)):
        accounts.add(acct, alias(i))
        if i == expired_index(a):
            key, secret, _ = expired_keys(acct)
            accounts.learn(key, secret, acct, expired=True)
        with state.acting_as(acct):
            for j, region in enumerate(regions):
                seed_cell(i, region, special.get((i, j), "healthy"), n, now)
    return regions


def seed_cell(i, region, health, n, now):
    """One account's SES in one region, in the current account (state.acting_as)."""
    from seeds import _seed_cloudwatch
    rng = random.Random(f"fleet:{i}:{region}")
    bounce, complaint, enforcement, sending = HEALTH[health]
    name = alias(i)
    st = state.emu(region)
    sandbox = name == "dev"
    st.production_access = not sandbox
    st.max_24h, st.max_rate = (200.0, 1.0) if sandbox else (50000.0 * (1 + i % 4), 14.0 + 4 * (i % 3))
    st.enforcement_status, st.sending_enabled = enforcement, sending
    st.suppressed_reasons = ["BOUNCE", "COMPLAINT"]
    b = state.backend(region)
    for cs_name in ("transactional", "marketing"):
        configsets.create(region, cs_name, {"ReputationOptions": {"ReputationMetricsEnabled": True},
                                            "SendingOptions": {"SendingEnabled": True}}, now=now - 90 * 86400)
    if health == "bounce":      # the operator stopped the stream that bounces
        configsets.set_sending(b.config_sets["marketing"], False, now=now - PAUSE_AGO)
    identities(i, region, n, now)
    volume = 0 if sandbox else int(st.max_24h * rng.uniform(0.2, 0.6))
    st.send_points = points(rng, volume, bounce, complaint, now)
    _seed_cloudwatch(region, st.send_points)
    if health == "paused":
        paused_by_operator(region, now)


def identities(i, region, n, now):
    """n identities: the account's domain (in every region), a mail subdomain and an address,
    one PENDING and one FAILED domain of this region, then verified bulk domains."""
    name = alias(i)
    fixed = [(f"{name}.example", "SUCCESS"), (f"mail.{name}.example", "SUCCESS"), (f"ops@{name}.example", "SUCCESS"),
             (f"{region}.{name}.example", "PENDING"), (f"legacy.{name}.example", "FAILED")]
    for k in range(n):
        ident, status = fixed[k] if k < len(fixed) else (f"d{k:05d}.{region}.{name}.example", "SUCCESS")
        state.new_identity(region, ident, status=status, now=now - 86400 * (30 + k % 300))


def points(rng, volume, bounce, complaint, now):
    """96 fifteen-minute points over the last 24 h adding up to about `volume` sends at the
    given rates (unordered, as SES returns them)."""
    from seeds import BUCKET
    end = now - now % BUCKET
    out = []
    for k in range(96):
        sent = int(volume / 96 * rng.uniform(0.6, 1.4))
        if not sent:
            continue
        out.append({"Timestamp": end - k * BUCKET, "DeliveryAttempts": sent,
                    "Bounces": round(sent * bounce * rng.uniform(0.8, 1.2)),
                    "Complaints": round(sent * complaint * rng.uniform(0.5, 1.5)), "Rejects": 0})
    rng.shuffle(out)
    return out


def paused_by_operator(region, now):
    """The audit trail of the operator's pause: PutAccountSendingAttributes sendingEnabled
    false by the on-call role, PAUSE_AGO ago (visible to LookupEvents at once)."""
    acct = state.account()
    role_arn = f"arn:aws:iam::{acct}:role/{OPERATOR_ROLE}"
    t = int(now - PAUSE_AGO)
    who = cloudtrail.assumed_role_identity(role_arn, OPERATOR, cloudtrail._id("ASIA", acct, region, "oncall"),
                                           t - 600, cloudtrail._id("AROA", role_arn))
    ev = cloudtrail.complete({"eventName": "PutAccountSendingAttributes", "eventTime": t, "userIdentity": who,
                              "sourceIPAddress": "203.0.113.77", "userAgent": "AWS Internal",
                              "requestParameters": {"sendingEnabled": False}, "readOnly": False}, region)
    cloudtrail.add(region, ev)


# ---- AWS config and credentials files ------------------------------------------------------

def aws_files(seed, accounts, endpoint=None):
    """The AWS config and credentials files for a fleet seed: {"config", "credentials",
    "profiles": [{profile, account, alias, region, kind}]} (kind: keys, role, expired)."""
    a, regions, _ = parse(seed)
    main_key = accounts.keys_of(state.MAIN_ACCOUNT)[0]
    extra = [f"endpoint_url = {endpoint}"] if endpoint else []
    config = [f"# sesemu {seed}: one profile per account; {ADMIN_PROFILE} is the main account's user",
              f"[profile {ADMIN_PROFILE}]", f"region = {regions[0]}", *extra, ""]
    creds = [f"[{ADMIN_PROFILE}]", f"aws_access_key_id = {main_key}",
             f"aws_secret_access_key = {accounts.secrets[main_key]}", ""]
    profiles = [{"profile": ADMIN_PROFILE, "account": state.MAIN_ACCOUNT, "alias": None, "region": regions[0],
                 "kind": "keys"}]
    for i, acct in enumerate(account_ids(a)):
        name, region = alias(i), regions[i % len(regions)]
        config += [f"[profile {name}]", f"region = {region}", *extra]
        if i == expired_index(a):
            kind = "expired"
            key, secret, token = expired_keys(acct)
            creds += [f"[{name}]", f"aws_access_key_id = {key}", f"aws_secret_access_key = {secret}",
                      f"aws_session_token = {token}", ""]
        elif role_profile(i):
            kind = "role"
            config += [f"role_arn = arn:aws:iam::{acct}:role/{ROLE_NAME}", f"source_profile = {ADMIN_PROFILE}",
                       "role_session_name = sesctl-fleet"]
        else:
            kind = "keys"
            key, secret = default_keys(acct)
            creds += [f"[{name}]", f"aws_access_key_id = {key}", f"aws_secret_access_key = {secret}", ""]
        config.append("")
        profiles.append({"profile": name, "account": acct, "alias": name, "region": region, "kind": kind})
    return {"config": "\n".join(config), "credentials": "\n".join(creds), "profiles": profiles}
