"""Admin API for tests: JSON in and out under /_sesemu/, no auth, loopback only.
See README.md for the list of endpoints. Every per-region endpoint acts in one account:
`account` (id or alias, body or query) or the main account."""

import json
from urllib.parse import parse_qs

import dnscheck
import feedback
import snsfix
import state
import tenants
from ext_v2 import cs_sending_enabled

STATUSES = ("PENDING", "SUCCESS", "FAILED", "TEMPORARY_FAILURE", "NOT_STARTED")


class AdminError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


class Admin:
    def __init__(self, emulator):
        self.emu = emulator

    def handle(self, environ, body):
        if environ.get("REMOTE_ADDR") not in ("127.0.0.1", "::1", None):
            return self._json(403, {"error": "admin API is loopback only"})
        method = environ["REQUEST_METHOD"].upper()
        path = environ.get("PATH_INFO", "")[len("/_sesemu/"):].strip("/")
        query = {k: v[-1] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        try:
            data = json.loads(body) if body else {}
            if not isinstance(data, dict):
                raise ValueError("body must be a JSON object")
        except ValueError as e:
            return self._json(400, {"error": f"bad JSON: {e}"})
        region = data.get("region") or query.get("region") or self.emu.regions[0]
        fn = getattr(self, f"{method.lower()}_{path.replace('/', '_').replace('-', '_')}", None)
        if fn is None:
            return self._json(404, {"error": f"no admin endpoint {method} /_sesemu/{path}"})
        name = data.get("account") or query.get("account")
        account = self.emu.accounts.resolve(name) if name else state.MAIN_ACCOUNT
        if account is None:
            return self._json(404, {"error": f"no account {name!r}"})
        try:
            with self.emu.lock, state.acting_as(account):
                self.host = environ.get("HTTP_HOST") or "127.0.0.1"     # the fleet's endpoint_url
                return self._json(200, fn({**query, **data}, region))
        except AdminError as e:
            return self._json(e.status, {"error": str(e)})
        except (ValueError, KeyError, TypeError) as e:
            return self._json(400, {"error": str(e)})

    @staticmethod
    def _json(status, obj):
        return status, [("Content-Type", "application/json")], json.dumps(obj, sort_keys=True).encode()

    # ---- endpoints: <method>_<path with / as _> ------------------------------------------
    def get_health(self, data, region):
        return {"ok": True, "seed": self.emu.seed, "regions": self.emu.regions, "dns_port": self.emu.dns_port}

    def post_reset(self, data, region):
        self.emu.reset(data.get("seed"))
        return {"ok": True, "seed": self.emu.seed}

    def _identity(self, data, region):
        name = data.get("identity")
        if name not in state.backend(region).email_identities:
            raise AdminError(404, f"no identity {name!r} in {region}")
        return name

    # ---- accounts -------------------------------------------------------------------------------
    def get_accounts(self, data, region):
        """Every account the emulator knows: {"accounts": [{id, alias, main, access_key,
        secret_key}]} in creation order (the main account first)."""
        return {"accounts": self.emu.accounts.list()}

    def post_accounts(self, data, region):
        """{"id" (12 digits), "alias"?, "access_key"?, "secret_key"?}: an account and its keys
        (default: accounts.default_keys). Its state starts empty in every region; resets
        keep the account and its keys."""
        if "id" not in data:
            raise AdminError(400, "id (12 digits) is required")
        if bool(data.get("access_key")) != bool(data.get("secret_key")):
            raise AdminError(400, "access_key and secret_key go together")
        return self.emu.accounts.add(data["id"], data.get("alias"), data.get("access_key"), data.get("secret_key"))

    def post_seed(self, data, region):
        """{"seed", "account"?, "region"?}: applies a seed (empty, demo, bulk:N, streams:N)
        on top of what one account has in one region, without a reset."""
        import seeds
        seeds.apply(data.get("seed"), region)
        return {"ok": True, "account": state.account(), "region": region}

    def get_fleet_aws_config(self, data, region):
        """The fleet seed's AWS config and credentials files (fleet.aws_files), endpoint_url
        set to this emulator unless ?endpoint=0."""
        import fleet
        if not fleet.parse(self.emu.seed):
            raise AdminError(404, f"the seed {self.emu.seed!r} is not a fleet seed")
        endpoint = None if str(data.get("endpoint", "1")) in ("0", "false") else f"http://{self.host}"
        return fleet.aws_files(self.emu.seed, self.emu.accounts, endpoint)

    # ---- identities -------------------------------------------------------------------------------
    def post_identity(self, data, region):
        name = self._identity(data, region)
        for key in ("status", "dkim_status", "mail_from_status"):
            if data.get(key) is not None and data[key] not in STATUSES:
                raise AdminError(400, f"{key} must be one of {', '.join(STATUSES)}")
        state.set_status(region, name, data.get("status"), data.get("dkim_status"), data.get("mail_from_status"))
        return self._identity_state(region, name)

    def post_identity_verify(self, data, region):
        """The verification link was clicked (addresses) / the records were found (domains)."""
        name = self._identity(data, region)
        state.set_status(region, name, "SUCCESS")
        return self._identity_state(region, name)

    def _identity_state(self, region, name):
        b = state.backend(region)
        ident = b.email_identities[name]
        mf = b.identity_mail_from_domains.get(name) or {}
        return {"identity": name, "status": ident.verification_status,
                "dkim_status": ident.dkim_attributes.get("Status"), "mail_from_status": mf.get("status")}

    def post_dns(self, data, region):
        st = state.emu(region)
        if "zone" in data:
            zone = {}
            for name, rrs in (data["zone"] or {}).items():
                zone[name.lower().rstrip(".")] = {t.upper(): list(v) if isinstance(v, list) else [v]
                                                  for t, v in rrs.items()}
            st.dns_zone = zone
        for name, rrs in (data.get("add") or {}).items():        # merge into the zone
            node = st.dns_zone.setdefault(name.lower().rstrip("."), {})
            for t, v in rrs.items():
                values = node.setdefault(t.upper(), [])
                values.extend(x for x in (v if isinstance(v, list) else [v]) if x not in values)
        for name in data.get("remove") or []:
            st.dns_zone.pop(name.lower().rstrip("."), None)
        if "server" in data:
            server = data["server"]
            if server:
                host, _, port = server.rpartition(":")
                if host not in ("127.0.0.1", "localhost", "::1", "[::1]"):
                    raise AdminError(400, "the DNS server must be on loopback")
                st.dns_server = ("127.0.0.1" if host == "localhost" else host.strip("[]"), int(port))
            else:
                st.dns_server = None
        before = {n: i.verification_status for n, i in state.backend(region).email_identities.items()}
        dnscheck.check_all(region)
        after = state.backend(region).email_identities
        return {"verified": sorted(n for n, s in before.items() if s != "SUCCESS"
                                   and after[n].verification_status == "SUCCESS")}

    def get_faults(self, data, region):
        return self.emu.faults.describe()

    def post_faults(self, data, region):
        self.emu.faults.configure(data)
        return self.emu.faults.describe()

    def post_account(self, data, region):
        st = state.emu(region)
        for key, attr in (("sending_enabled", "sending_enabled"), ("production_access", "production_access"),
                          ("enforcement_status", "enforcement_status"), ("max_24h", "max_24h"),
                          ("max_rate", "max_rate")):
            if key in data:
                setattr(st, attr, data[key])
        return self.get_state({}, region)

    def get_state(self, data, region):
        st = state.emu(region)
        b = state.backend(region)
        return {"region": region, "account": state.account(), "sending_enabled": st.sending_enabled,
                "production_access": st.production_access, "enforcement_status": st.enforcement_status,
                "identities": len(b.email_identities),
                "configuration_sets": {n: cs_sending_enabled(cs) for n, cs in b.config_sets.items()},
                "suppressed": len(st.suppression), "sent_count": len(st.sent),
                "receipt_rule_sets": {n: [r["Name"] for r in rs.rules] for n, rs in b.receipt_rule_set.items()},
                "active_rule_set": next((n for n, rs in b.receipt_rule_set.items() if rs.is_active), None)}

    def get_requests(self, data, region):
        """The last 5000 SES requests: family, op, method, path, region, status, fault."""
        return {"requests": list(self.emu.requests)}

    def delete_requests(self, data, region):
        self.emu.requests.clear()
        return {"ok": True}

    def get_sent(self, data, region):
        return {"messages": state.emu(region).sent}

    def get_set_points(self, data, region):
        """The seeded send points split per configuration set: for every point, the sets'
        parts plus the no-set part add up to the account's (GetSendStatistics)."""
        split = state.emu(region).set_points
        return {"region": region, "sets": {n: p for n, p in split.items() if n is not None},
                "no_set": split.get(None, [])}

    # ---- SNS and SES feedback ---------------------------------------------------------------
    def post_sns_confirm(self, data, region):
        """The subscriber clicked the confirmation link: {"subscription": ARN or endpoint}."""
        key = data.get("subscription")
        if not key:
            raise AdminError(400, "subscription (ARN or endpoint) is required")
        done = snsfix.confirm(region, key)
        if not done:
            raise AdminError(404, f"no pending subscription {key!r} in {region}")
        return {"confirmed": done}

    def get_sns_subscriptions(self, data, region):
        return {"subscriptions": snsfix.subscriptions(region)}

    def get_feedback(self, data, region):
        """What SES published for sends (to identity topics and event destinations; delivered
        false when the topic is gone or in another account) and the feedback forwarded to
        the Return-Path mailbox."""
        return {"published": feedback.log(region), "forwarded": feedback.forwarded(region)}

    def delete_feedback(self, data, region):
        del feedback.log(region)[:]
        del feedback.forwarded(region)[:]
        return {"ok": True}

    def post_feedback(self, data, region):
        """N synthetic SES records published to a topic (demo history, benchmarks)."""
        import time
        topic = data.get("topic")
        if not topic:
            raise AdminError(400, "topic is required")
        if not topic.startswith("arn:"):
            topic = f"arn:aws:sns:{region}:{state.account()}:{topic}"
        count = int(data.get("count", 100))
        if not 0 <= count <= 100000:
            raise AdminError(400, "count must be within 0..100000")
        if feedback.sns_topic(region, topic) is None:
            raise AdminError(404, f"no SNS topic {topic} in this account")
        t0 = time.monotonic()
        n = feedback.synthetic(region, topic, count, data.get("types"), data.get("identity"),
                               data.get("config_set"), data.get("schema", "notification"),
                               float(data.get("since_seconds", 86400)), data.get("seed", 0))
        return {"published": n, "topic": topic, "seconds": round(time.monotonic() - t0, 3)}

    # ---- CloudTrail ----------------------------------------------------------------------------
    def get_cloudtrail(self, data, region):
        import cloudtrail
        return {"delay": cloudtrail.TRAIL.delay, "user_name": cloudtrail.TRAIL.user_name,
                "rate": self.emu.faults.service_limits.get(("ct", "LookupEvents")),
                "events": len(cloudtrail.records(region)), "region": region}

    def post_cloudtrail(self, data, region):
        """{"delay"?: seconds, "rate"?: LookupEvents per second (null or 0: off), "user_name"?}"""
        import cloudtrail
        if "delay" in data:
            delay = float(data["delay"])
            if delay < 0:
                raise AdminError(400, "delay must be >= 0")
            cloudtrail.TRAIL.delay = delay
        if "rate" in data:
            rate = data["rate"]
            if rate is not None and float(rate) < 0:
                raise AdminError(400, "rate must be >= 0")
            self.emu.faults.set_service_limit("ct", "LookupEvents", float(rate) if rate else None)
        if data.get("user_name"):
            cloudtrail.TRAIL.user_name = str(data["user_name"])
        return self.get_cloudtrail({}, region)

    def get_cloudtrail_events(self, data, region):
        """Every recorded event of the region, delivered or not, oldest first; each has a
        "sesemu" member {recorded, visibleAt, delivered, resources}."""
        import cloudtrail
        return {"events": cloudtrail.dump(region)}

    def post_cloudtrail_events(self, data, region):
        """{"event": {...}}: stored as if CloudTrail had recorded it at its eventTime
        (default now); eventName is required, the rest gets CloudTrail's defaults."""
        import cloudtrail
        event = data.get("event")
        if not isinstance(event, dict):
            raise AdminError(400, "event (an object) is required")
        ev = cloudtrail.complete(event, region)
        rec = cloudtrail.add(region, ev)
        return {"event": ev, "resources": rec["resources"]}

    def delete_cloudtrail_events(self, data, region):
        import cloudtrail
        del cloudtrail.records(region)[:]
        return {"ok": True}

    # ---- tenants, reputation entities, recommendations -----------------------------------------
    def get_tenants(self, data, region):
        """Every tenant (TenantName, TenantId, TenantArn, CreatedTimestamp, Tags, SendingStatus,
        policy, ReputationEntity, resources) and every recommendation of the region."""
        return tenants.dump(region)

    def post_tenant_status(self, data, region):
        """AWS decided: {"tenant", "status": ENABLED | DISABLED | REINSTATED, "cause"?} sets the
        tenant's AwsSesManagedStatus (LastUpdatedTimestamp now). Returns the tenant as GET
        /_sesemu/tenants shows it."""
        name = data.get("tenant")
        if name not in tenants.tenants(region):
            raise AdminError(404, f"no tenant {name!r} in {region}")
        tenants.set_aws_status(region, name, data.get("status"), data.get("cause"))
        return tenants.dump(region)["tenants"][name]

    def _finding_resource(self, data, region):
        resource = data.get("resource_arn") or data.get("resource")
        if not isinstance(resource, str) or not resource:
            raise AdminError(400, "resource_arn (an ARN, or a tenant or identity name) is required")
        arn = tenants.resolve_resource(region, resource)
        if arn is None:
            raise AdminError(404, f"no tenant or identity {resource!r} in {region}")
        return arn

    def post_recommendations(self, data, region):
        """A finding appears: {"resource_arn" (ARN, or tenant/identity name), "type", "impact",
        "description", "status"? (OPEN)}; the same resource, type and description update the
        one there is. Returns {"recommendation": {...}}."""
        arn = self._finding_resource(data, region)
        rec = tenants.add_recommendation(region, arn, data.get("type"), data.get("impact"),
                                         data.get("description"), data.get("status", "OPEN"))
        return {"recommendation": dict(rec)}

    def post_recommendations_resolve(self, data, region):
        """A finding is fixed: {"resource_arn", "type", "description"?} turns every OPEN one of
        that resource and type (and description) FIXED; {"resolved": [...]}, 404 if none."""
        arn = self._finding_resource(data, region)
        done = tenants.resolve_recommendations(region, arn, data.get("type"), data.get("description"))
        if not done:
            raise AdminError(404, f"no OPEN {data.get('type')} recommendation on {arn}")
        return {"resolved": [dict(r) for r in done]}
