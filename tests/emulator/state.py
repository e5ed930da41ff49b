"""State shared by the sesemu extensions.

Identity state lives in moto's own SES backend (moto's SESv2 wraps the v1 backend, so
both APIs see the same identities). What moto has no place for (account attributes,
suppression list, receipt filters, send statistics, Mail Manager, sent-message log, DNS)
lives in an EmuState attached to that same backend object, so moto's reset wipes it too.
"""

import base64
import contextlib
import contextvars
import hashlib
import threading
import time

from moto.ses.models import EmailIdentity, ses_backends
from moto.ses.utils import get_arn

MAIN_ACCOUNT = "123456789012"     # the default keys' account (moto's default account too)
_lock = threading.RLock()
_account = contextvars.ContextVar("sesemu_account", default=MAIN_ACCOUNT)

STATUS_V1 = {"PENDING": "Pending", "SUCCESS": "Success", "FAILED": "Failed",
             "TEMPORARY_FAILURE": "TemporaryFailure", "NOT_STARTED": "NotStarted"}
MX_V2_TO_V1 = {"USE_DEFAULT_VALUE": "UseDefaultValue", "REJECT_MESSAGE": "RejectMessage"}
MX_V1_TO_V2 = {v: k for k, v in MX_V2_TO_V1.items()}


class EmuState:
    def __init__(self, region):
        self.region = region
        self.sending_enabled = True
        self.production_access = False
        self.enforcement_status = "HEALTHY"
        self.max_24h = 200.0
        self.max_rate = 1.0
        self.auto_warmup = False
        self.details = None            # PutAccountDetails body plus ReviewDetails
        self.suppressed_reasons = []
        self.vdm = None
        self.suppression = {}          # address -> dict(Reason, LastUpdateTime, MessageId, FeedbackId)
        self.receipt_filters = {}      # name -> {"Policy", "Cidr"} (insertion order)
        self.send_points = []          # dicts Timestamp(epoch), DeliveryAttempts, Bounces, Complaints, Rejects
        self.set_points = {}           # configuration set name (None: no set) -> its part of send_points
        self.sent = []                 # messages accepted by SendEmail (admin read)
        self.dns_zone = {}             # lower-case name -> {TYPE: [values]}
        self.dns_server = None         # (host, port)
        self.mailmanager = {"RuleSets": [], "TrafficPolicies": [], "IngressPoints": [], "Archives": []}
        self.tenants = {}              # tenant name -> record (tenants.py), in creation order
        self.recommendations = []      # VDM findings: dicts shaped as ListRecommendations returns them


def account():
    """The account the running request, seed or admin call acts in. sesemu.py sets it once
    per request from the caller's access key (accounts.py), so every state helper below and
    every module that builds an ARN follows the caller without passing it around."""
    return _account.get()


@contextlib.contextmanager
def acting_as(account_id):
    """Runs a block in another account (a request, a seed of a fleet cell, an admin call)."""
    token = _account.set(account_id or MAIN_ACCOUNT)
    try:
        yield
    finally:
        _account.reset(token)


def backend(region):
    return ses_backends[account()][region]


def emu(region):
    b = backend(region)
    st = b.__dict__.get("_sesemu")
    if st is None:
        with _lock:
            st = b.__dict__.get("_sesemu")
            if st is None:
                st = b.__dict__["_sesemu"] = EmuState(region)
    return st


def _digest(*parts):
    return hashlib.sha256("\0".join(parts).encode()).digest()


def dkim_tokens(region, name):
    """Three deterministic 32-character Easy DKIM tokens for a domain (each region has its own)."""
    return [base64.b32encode(_digest("dkim", region, name, str(i))).decode().lower()[:32] for i in range(3)]


def legacy_token(region, name):
    """The legacy _amazonses TXT verification token (44 characters of base64), per region."""
    return base64.b64encode(_digest("amazonses", region, name)[:32]).decode()


def is_domain(name):
    return "@" not in name


def new_identity(region, name, *, status="PENDING", dkim=None, tags=None, config_set=None,
                 key_length="RSA_2048_BIT", selector=None, now=None):
    """Creates an identity straight in moto's backend, shaped as SES creates it.

    dkim: None (Easy DKIM for domains), "EXTERNAL" (BYODKIM, needs selector) or "NONE".
    Returns the moto EmailIdentity. Fast enough for 10,000 identities.
    """
    b = backend(region)
    now = time.time() if now is None else now
    ident = EmailIdentity(email_identity=name, tags=tags or [], dkim_signing_attributes=None,
                          configuration_set_name=config_set)
    ident.verification_status = status
    ident.feedback_forwarding_status = True
    ident.sesemu_created = now
    ident.sesemu_checked = now
    attrs = {"SigningEnabled": False, "Status": "NOT_STARTED",
             "SigningAttributesOrigin": "AWS_SES", "NextSigningKeyLength": key_length}
    if is_domain(name) and dkim != "NONE":
        if dkim == "EXTERNAL":
            attrs.update(SigningEnabled=True, Status=status, SigningAttributesOrigin="EXTERNAL",
                         Tokens=[selector or "sel1"])
            attrs.pop("NextSigningKeyLength", None)
        else:
            tokens = dkim_tokens(region, name)
            b.dkim_tokens[name] = tokens
            attrs.update(SigningEnabled=True, Status=status, Tokens=tokens,
                         CurrentSigningKeyLength=key_length, LastKeyGenerationTimestamp=now)
    ident.dkim_attributes = attrs
    b.email_identities[name] = ident
    if tags:
        b.tagger.tag_resource(arn=get_arn(b, "ses", f"email-identity/{name}"), tags=tags)
    return ident


def set_status(region, name, status=None, dkim_status=None, mail_from_status=None):
    b = backend(region)
    ident = b.email_identities[name]
    if status:
        ident.verification_status = status
        if ident.dkim_attributes.get("SigningEnabled") and not dkim_status:
            ident.dkim_attributes["Status"] = status
    if dkim_status:
        ident.dkim_attributes["Status"] = dkim_status
    if mail_from_status:
        mf = b.identity_mail_from_domains.get(name)
        if mf is not None:
            mf["status"] = mail_from_status
    ident.sesemu_checked = time.time()


def identity_is_verified(region, address):
    """True when the address, or its domain, is a verified identity (SES's sending rule)."""
    ids = backend(region).email_identities
    address = address.strip()
    for cand in (address, address.rsplit("@", 1)[-1]):
        ident = ids.get(cand) or ids.get(cand.lower())
        if ident is None:   # identities keep the case they were created with
            ident = next((i for n, i in ids.items() if n.lower() == cand.lower()), None)
        if ident is not None and ident.verification_status == "SUCCESS":
            return True
    return False


def delete_identity(region, name):
    b = backend(region)
    b.email_identities.pop(name, None)
    b.dkim_tokens.pop(name, None)
    b.identity_mail_from_domains.pop(name, None)


def set_mail_from(region, name, domain, behavior_v1):
    """Custom MAIL FROM as both APIs store it (moto's v1 dict plus our status); None removes.
    Returns an error message when the domain is not a subdomain of the identity's domain."""
    b = backend(region)
    if not domain:
        b.identity_mail_from_domains.pop(name, None)
        return None
    parent = name.split("@")[-1].lower()
    if not domain.lower().endswith("." + parent):
        return (f"Provided MAIL-FROM domain '{domain}' is not subdomain of the domain of the identity "
                f"'{parent}'.")
    b.identity_mail_from_domains[name] = {"mail_from_domain": domain, "behavior_on_mx_failure": behavior_v1,
                                          "status": "PENDING"}
    return None
