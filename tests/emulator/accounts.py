"""Which account a request acts in: access keys mapped to AWS accounts.

The default keys (--access-key) stand for the main account 123456789012, as before. Other
accounts get keys of their own (admin API, the fleet seed); temporary keys STS hands out
act in the account of the role they were issued for (AssumeRole into
arn:aws:iam::ACCOUNT:role/NAME) or of their caller (GetSessionToken). A key can also be
known but expired: AWS then answers ExpiredToken instead of checking the signature.

moto keys its backends by account as well (backends[account][region]); sesemu.py tells
moto the account with moto's own `x-moto-account-id` header, so moto and sesemu's state
(state.py, attached to moto's SES backend) always agree.
"""

import base64
import hashlib
import re
import threading

from state import MAIN_ACCOUNT

ACCOUNT_RE = re.compile(r"^\d{12}$")
ALIAS_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")     # IAM account alias rules


def default_keys(account_id):
    """Deterministic keys for an account (the fleet config files and tests derive them the
    same way): AKIA + the 12 digits + SEMU, and a 40-character secret."""
    secret = base64.b64encode(hashlib.sha256(f"sesemu-secret-{account_id}".encode()).digest()).decode()[:40]
    return f"AKIA{account_id}SEMU", secret


class Accounts:
    def __init__(self, main_key, main_secret):
        self.lock = threading.RLock()
        self.secrets = {}       # access key -> secret key (what sigcheck verifies against)
        self.owner = {}         # access key -> account id
        self.expired = set()    # access keys AWS would answer ExpiredToken for
        self.aliases = {}       # account id -> alias or None (insertion order: creation order)
        self.add(MAIN_ACCOUNT, None, main_key, main_secret)

    def add(self, account_id, alias=None, access_key=None, secret_key=None):
        """Creates (or, for the same id, updates) an account with a key pair; returns its view."""
        account_id = str(account_id)
        if not ACCOUNT_RE.match(account_id):
            raise ValueError(f"account id must be 12 digits, not {account_id!r}")
        if alias is not None and not ALIAS_RE.match(alias):
            raise ValueError(f"alias {alias!r}: 3-63 characters of a-z, 0-9 and '-'")
        with self.lock:
            for other, other_alias in self.aliases.items():
                if alias and other_alias == alias and other != account_id:
                    raise ValueError(f"alias {alias!r} already names account {other}")
            if access_key is None:
                access_key, secret_key = default_keys(account_id)
            if self.owner.get(access_key, account_id) != account_id:
                raise ValueError(f"access key {access_key} already belongs to account {self.owner[access_key]}")
            if account_id not in self.aliases or alias is not None:
                self.aliases[account_id] = alias
            self.learn(access_key, secret_key, account_id)
        return self.view(account_id)

    def learn(self, access_key, secret_key, account_id, expired=False):
        """A key that signs for account_id from now on (STS temporary keys too)."""
        with self.lock:
            self.secrets[access_key] = secret_key
            self.owner[access_key] = account_id
            if expired:
                self.expired.add(access_key)

    def account_of(self, access_key):
        return self.owner.get(access_key)

    def resolve(self, name):
        """An account id from an id or an alias (admin calls take either); None if unknown."""
        name = str(name)
        if name in self.aliases:
            return name
        return next((a for a, alias in self.aliases.items() if alias == name), None)

    def keys_of(self, account_id):
        return [k for k, a in self.owner.items() if a == account_id and k not in self.expired]

    def view(self, account_id):
        keys = self.keys_of(account_id)
        return {"id": account_id, "alias": self.aliases.get(account_id), "main": account_id == MAIN_ACCOUNT,
                "access_key": keys[0] if keys else None, "secret_key": self.secrets[keys[0]] if keys else None}

    def list(self):
        return [self.view(a) for a in self.aliases]
