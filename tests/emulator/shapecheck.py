"""Strict shape check of raw responses against botocore's service models (tests only).

attach(client) hooks botocore's before-parse event: every successful response body is
walked against the operation's output shape before botocore parses it. Unknown members,
missing required members, wrong types, values outside an enum, JSON nulls and ISO
strings where AWS sends epoch numbers are recorded in checker.errors.
"""

import datetime
import json
import xml.etree.ElementTree as ET


class ShapeChecker:
    def __init__(self):
        self.errors = []
        self.checked = []

    def attach(self, client):
        client.meta.events.register("before-parse", self._hook)
        return client

    def _hook(self, operation_model, response_dict, **kwargs):
        if response_dict.get("status_code", 0) >= 300:
            return
        name = operation_model.name
        self.checked.append(name)
        shape = operation_model.output_shape
        body = response_dict.get("body") or b""
        protocol = operation_model.service_model.resolved_protocol
        try:
            if protocol in ("rest-json", "json"):
                data = json.loads(body or b"{}")
                if shape is not None:
                    self._json(shape, data, name)
            elif protocol == "query":
                self._query(operation_model, body, name)
        except Exception as e:  # a body that does not parse at all
            self.errors.append(f"{name}: unparseable body ({e}): {body[:200]!r}")

    # ---- JSON -----------------------------------------------------------------------------
    def _json(self, shape, value, path):
        err = self.errors.append
        if value is None:
            err(f"{path}: null")
            return
        t = shape.type_name
        if t == "structure":
            if not isinstance(value, dict):
                return err(f"{path}: expected object, got {type(value).__name__}")
            for k, v in value.items():
                member = shape.members.get(k)
                if member is None or member.serialization.get("location") in ("header", "headers", "statusCode"):
                    err(f"{path}.{k}: not a member of {shape.name}")
                else:
                    self._json(member, v, f"{path}.{k}")
            for req in shape.required_members:
                if req not in value and shape.members[req].serialization.get("location") is None:
                    err(f"{path}.{req}: required member missing")
        elif t == "list":
            if not isinstance(value, list):
                return err(f"{path}: expected list")
            for i, v in enumerate(value):
                self._json(shape.member, v, f"{path}[{i}]")
        elif t == "map":
            if not isinstance(value, dict):
                return err(f"{path}: expected map")
            for k, v in value.items():
                self._json(shape.value, v, f"{path}[{k}]")
        elif t == "string":
            if not isinstance(value, str):
                return err(f"{path}: expected string, got {value!r}")
            enum = shape.metadata.get("enum")
            if enum and value not in enum:
                err(f"{path}: {value!r} not in enum {shape.name}")
        elif t == "boolean":
            if not isinstance(value, bool):
                err(f"{path}: expected boolean, got {value!r}")
        elif t in ("integer", "long"):
            if isinstance(value, bool) or not isinstance(value, int):
                err(f"{path}: expected integer, got {value!r}")
        elif t in ("double", "float"):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                err(f"{path}: expected number, got {value!r}")
        elif t == "timestamp":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                err(f"{path}: timestamp must be an epoch number as AWS sends it, got {value!r}")
        elif t == "blob":
            if not isinstance(value, str):
                err(f"{path}: expected base64 string")

    # ---- Query XML ------------------------------------------------------------------------
    def _query(self, operation_model, body, name):
        root = ET.fromstring(body)
        ns = root.tag.split("}")[0] + "}" if root.tag.startswith("{") else ""
        if root.tag != f"{ns}{name}Response":
            self.errors.append(f"{name}: root element {root.tag}")
        shape = operation_model.output_shape
        result = root.find(f"{ns}{name}Result")
        if shape is None:
            if result is not None and len(result):
                self.errors.append(f"{name}: Result element for an operation without output")
            return
        if result is None:
            self.errors.append(f"{name}: missing {name}Result")
            return
        self._xml(shape, result, name, ns)

    def _xml(self, shape, el, path, ns):
        err = self.errors.append
        t = shape.type_name
        strip = len(ns)
        if t == "structure":
            seen = set()
            for child in el:
                tag = child.tag[strip:]
                member = shape.members.get(tag)
                if member is None:
                    err(f"{path}.{tag}: not a member of {shape.name}")
                    continue
                seen.add(tag)
                self._xml(member, child, f"{path}.{tag}", ns)
            for req in shape.required_members:
                if req not in seen:
                    err(f"{path}.{req}: required member missing")
        elif t == "list":
            for i, child in enumerate(el):
                if child.tag[strip:] != "member":
                    err(f"{path}[{i}]: list item <{child.tag[strip:]}> is not <member>")
                self._xml(shape.member, child, f"{path}[{i}]", ns)
        elif t == "map":
            for child in el:
                if child.tag[strip:] != "entry":
                    err(f"{path}: map item <{child.tag[strip:]}> is not <entry>")
                    continue
                key, value = child.find(f"{ns}key"), child.find(f"{ns}value")
                if key is None or value is None:
                    err(f"{path}: entry without key/value")
                    continue
                self._xml(shape.value, value, f"{path}[{key.text}]", ns)
        else:
            text = el.text or ""
            if t == "boolean" and text not in ("true", "false"):
                err(f"{path}: boolean {text!r}")
            elif t in ("integer", "long"):
                try:
                    int(text)
                except ValueError:
                    err(f"{path}: integer {text!r}")
            elif t in ("double", "float"):
                try:
                    float(text)
                except ValueError:
                    err(f"{path}: number {text!r}")
            elif t == "timestamp":
                try:
                    datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
                except ValueError:
                    err(f"{path}: timestamp {text!r}")
            elif t == "string":
                enum = shape.metadata.get("enum")
                if enum and text not in enum:
                    err(f"{path}: {text!r} not in enum {shape.name}")
