"""sesemu tenants: every tenant, reputation-entity and recommendation operation through
boto3 with replies matching the model, their refusals and pages, the reputation entity's
%2F path (signature over the path as sent), the rules for sends through a tenant, the
admin calls that play AWS, CloudTrail's record of a pause, and the demo's tenants."""

import http.client
import json
import os
import re
import sys
import unittest
from urllib.parse import quote

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from emutest import ACCESS_KEY, SECRET_KEY, AWSRequest, Credentials, EmuTestCase, SigV4Auth, raw_request  # noqa: E402

import seeds  # noqa: E402
import tenants as tenants_mod  # noqa: E402

REGION = "eu-west-1"
ACCT = "123456789012"
IDENT = f"arn:aws:ses:{REGION}:{ACCT}:identity/"
CSET = f"arn:aws:ses:{REGION}:{ACCT}:configuration-set/"
TPL = f"arn:aws:ses:{REGION}:{ACCT}:template/"
POLICY = f"arn:aws:ses:{REGION}:aws:reputation-policy/"
ARN_RE = re.compile(rf"^arn:aws:ses:{REGION}:{ACCT}:tenant/([A-Za-z0-9_-]+)/tn-[0-9a-f]{{24}}$")
SIMPLE = {"Simple": {"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "b"}}}}
SIM = {"ToAddresses": ["success@simulator.amazonses.com"]}


def list_all(call, key, **kw):
    out, token = [], None
    while True:
        r = call(**kw, **({"NextToken": token} if token else {}))
        out += r[key]
        token = r.get("NextToken")
        if not token:
            return out


class TenantCase(EmuTestCase):
    SEED = "empty"

    def setUp(self):
        super().setUp()     # a client that lets values the model refuses through to the emulator
        self.raw = self.shapes.attach(self.emu.client("sesv2", parameter_validation=False))

    def entity(self, arn):
        return self.v2.get_reputation_entity(ReputationEntityType="RESOURCE", ReputationEntityReference=arn)[
            "ReputationEntity"]

    def set_customer(self, arn, status):
        self.v2.update_reputation_entity_customer_managed_status(ReputationEntityType="RESOURCE",
                                                                 ReputationEntityReference=arn, SendingStatus=status)


class TenantApi(TenantCase):
    def setUp(self):
        super().setUp()
        for name in ("shop.example", "ops@shop.example", "other.example"):
            self.v2.create_email_identity(EmailIdentity=name)
            self.emu.verify_identity(name)
        self.v2.create_configuration_set(ConfigurationSetName="stream")
        self.v2.create_configuration_set(ConfigurationSetName="other-stream")
        self.v1.create_template(Template={"TemplateName": "welcome", "SubjectPart": "Hi", "TextPart": "t"})

    # ---- tenants ---------------------------------------------------------------------------
    def test_create_get_list_delete(self):
        made = self.v2.create_tenant(TenantName="acme", Tags=[{"Key": "plan", "Value": "gold"}])
        self.assertEqual((made["TenantName"], made["SendingStatus"], made["Tags"]),
                         ("acme", "ENABLED", [{"Key": "plan", "Value": "gold"}]))
        self.assertRegex(made["TenantArn"], ARN_RE)
        self.assertEqual(made["TenantArn"].rsplit("/", 1)[1], made["TenantId"])
        got = self.v2.get_tenant(TenantName="acme")["Tenant"]
        for key in ("TenantName", "TenantId", "TenantArn", "CreatedTimestamp", "Tags", "SendingStatus"):
            self.assertEqual(got[key], made[key], key)
        self.v2.create_tenant(TenantName="globex")
        listed = self.v2.list_tenants()["Tenants"]
        self.assertEqual([t["TenantName"] for t in listed], ["acme", "globex"])
        self.assertEqual(set(listed[0]), {"TenantName", "TenantId", "TenantArn", "CreatedTimestamp"})
        self.v2.delete_tenant(TenantName="acme")
        self.assertAwsError("NotFoundException", self.v2.get_tenant, TenantName="acme", status=404)
        self.assertAwsError("NotFoundException", self.v2.delete_tenant, TenantName="acme", status=404)
        again = self.v2.create_tenant(TenantName="acme")
        self.assertNotEqual(again["TenantId"], made["TenantId"])     # a new tenant, a new id
        self.assertEqual(again["Tags"], [])

    def test_create_refusals(self):
        self.v2.create_tenant(TenantName="a" * 64)
        self.v2.create_tenant(TenantName="Under_score-1")
        for bad in ("has space", "a" * 65, "dot.ted", "ümlaut"):
            self.assertAwsError("BadRequestException", self.v2.create_tenant, TenantName=bad, status=400)
        self.assertAwsError("BadRequestException", self.raw.create_tenant, TenantName="")
        self.assertAwsError("AlreadyExistsException", self.v2.create_tenant, TenantName="Under_score-1", status=400)
        self.assertAwsError("BadRequestException", self.raw.create_tenant, TenantName="t",
                            Tags=[{"Key": "", "Value": "x"}])
        self.assertAwsError("BadRequestException", self.v2.create_tenant, TenantName="t",
                            Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(51)])

    def test_list_tenants_pages(self):
        names = [f"t{i}" for i in range(7)]
        for n in names:
            self.v2.create_tenant(TenantName=n)
        first = self.v2.list_tenants(PageSize=3)
        self.assertEqual([t["TenantName"] for t in first["Tenants"]], names[:3])
        self.assertIn("NextToken", first)
        self.assertEqual([t["TenantName"] for t in list_all(self.v2.list_tenants, "Tenants", PageSize=3)], names)
        pages = list(self.v2.get_paginator("list_tenants").paginate(PaginationConfig={"PageSize": 2}))
        self.assertEqual(len(pages), 4)
        self.assertNotIn("NextToken", self.v2.list_tenants(PageSize=7))
        self.assertAwsError("BadRequestException", self.v2.list_tenants, NextToken="nonsense")
        for size in (0, 1001):
            self.assertAwsError("BadRequestException", self.raw.list_tenants, PageSize=size)

    # ---- associations ---------------------------------------------------------------------
    def test_associations(self):
        self.v2.create_tenant(TenantName="acme")
        self.v2.create_tenant(TenantName="globex")
        arns = [IDENT + "shop.example", CSET + "stream", TPL + "welcome"]
        for arn in arns:
            self.v2.create_tenant_resource_association(TenantName="acme", ResourceArn=arn)
        self.v2.create_tenant_resource_association(TenantName="globex", ResourceArn=CSET + "stream")
        self.assertAwsError("AlreadyExistsException", self.v2.create_tenant_resource_association,
                            TenantName="acme", ResourceArn=CSET + "stream", status=400)
        for missing in (IDENT + "nowhere.example", CSET + "nope", TPL + "nope",
                        f"arn:aws:ses:us-east-1:{ACCT}:identity/shop.example",
                        f"arn:aws:ses:{REGION}:210987654321:identity/shop.example",
                        f"arn:aws:ses:{REGION}:{ACCT}:dedicated-ip-pool/p",
                        f"arn:aws:sns:{REGION}:{ACCT}:topic"):
            self.assertAwsError("NotFoundException", self.v2.create_tenant_resource_association,
                                TenantName="acme", ResourceArn=missing, status=404)
        self.assertAwsError("BadRequestException", self.v2.create_tenant_resource_association,
                            TenantName="acme", ResourceArn="shop.example", status=400)
        self.assertAwsError("NotFoundException", self.v2.create_tenant_resource_association,
                            TenantName="nobody", ResourceArn=IDENT + "shop.example", status=404)

        got = self.v2.list_tenant_resources(TenantName="acme")["TenantResources"]
        self.assertEqual(got, [{"ResourceType": "EMAIL_IDENTITY", "ResourceArn": arns[0]},
                               {"ResourceType": "CONFIGURATION_SET", "ResourceArn": arns[1]},
                               {"ResourceType": "EMAIL_TEMPLATE", "ResourceArn": arns[2]}])
        only = self.v2.list_tenant_resources(TenantName="acme", Filter={"RESOURCE_TYPE": "EMAIL_TEMPLATE"})
        self.assertEqual([r["ResourceArn"] for r in only["TenantResources"]], [arns[2]])
        page = self.v2.list_tenant_resources(TenantName="acme", PageSize=2)
        self.assertEqual(len(page["TenantResources"]), 2)
        self.assertEqual(len(list_all(self.v2.list_tenant_resources, "TenantResources", TenantName="acme",
                                      PageSize=1)), 3)
        self.assertAwsError("BadRequestException", self.raw.list_tenant_resources, TenantName="acme",
                            Filter={"RESOURCE_TYPE": "DEDICATED_IP_POOL"})
        self.assertAwsError("BadRequestException", self.raw.list_tenant_resources, TenantName="acme",
                            Filter={"TYPE": "EMAIL_IDENTITY"})
        self.assertAwsError("NotFoundException", self.v2.list_tenant_resources, TenantName="nobody", status=404)

        shared = self.v2.list_resource_tenants(ResourceArn=CSET + "stream")["ResourceTenants"]
        self.assertEqual([(t["TenantName"], t["ResourceArn"]) for t in shared],
                         [("acme", CSET + "stream"), ("globex", CSET + "stream")])
        self.assertTrue(all(t["TenantId"].startswith("tn-") and "AssociatedTimestamp" in t for t in shared))
        self.assertEqual(len(list_all(self.v2.list_resource_tenants, "ResourceTenants", ResourceArn=CSET + "stream",
                                      PageSize=1)), 2)
        self.assertEqual(self.v2.list_resource_tenants(ResourceArn=IDENT + "other.example")["ResourceTenants"], [])
        self.assertAwsError("NotFoundException", self.v2.list_resource_tenants, ResourceArn=IDENT + "gone.example")

        self.v2.delete_tenant_resource_association(TenantName="acme", ResourceArn=arns[0])
        self.assertAwsError("NotFoundException", self.v2.delete_tenant_resource_association,
                            TenantName="acme", ResourceArn=arns[0], status=404)
        self.assertAwsError("NotFoundException", self.v2.delete_tenant_resource_association,
                            TenantName="nobody", ResourceArn=arns[1], status=404)
        # deleting a tenant removes its associations; the resources stay
        self.v2.delete_tenant(TenantName="acme")
        self.assertEqual([t["TenantName"] for t in self.v2.list_resource_tenants(ResourceArn=CSET + "stream")
                          ["ResourceTenants"]], ["globex"])
        self.v2.get_configuration_set(ConfigurationSetName="stream")
        self.assertEqual(self.v1.get_template(TemplateName="welcome")["Template"]["TemplateName"], "welcome")

    def test_identity_arn_case_and_deleted_resources(self):
        self.v2.create_tenant(TenantName="acme")
        self.v2.create_tenant_resource_association(TenantName="acme", ResourceArn=IDENT + "SHOP.example")
        self.assertEqual(self.v2.list_tenant_resources(TenantName="acme")["TenantResources"][0]["ResourceArn"],
                         IDENT + "shop.example")        # the identity's own name
        self.v2.create_tenant_resource_association(TenantName="acme", ResourceArn=CSET + "other-stream")
        self.v2.delete_configuration_set(ConfigurationSetName="other-stream")
        self.v2.delete_email_identity(EmailIdentity="shop.example")
        self.assertEqual(self.v2.list_tenant_resources(TenantName="acme")["TenantResources"], [])

    # ---- reputation entities ---------------------------------------------------------------
    def test_reputation_entity(self):
        arn = self.v2.create_tenant(TenantName="acme")["TenantArn"]
        e = self.entity(arn)
        self.assertEqual((e["ReputationEntityReference"], e["ReputationEntityType"], e["ReputationManagementPolicy"],
                          e["SendingStatusAggregate"]), (arn, "RESOURCE", POLICY + "standard", "ENABLED"))
        self.assertEqual((e["CustomerManagedStatus"]["Status"], e["AwsSesManagedStatus"]["Status"]),
                         ("ENABLED", "ENABLED"))
        self.assertNotIn("ReputationImpact", e)
        self.assertNotIn("Cause", e["CustomerManagedStatus"])

        for word in ("strict", "none", "standard"):
            self.v2.update_reputation_entity_policy(ReputationEntityType="RESOURCE", ReputationEntityReference=arn,
                                                    ReputationEntityPolicy=POLICY + word)
            self.assertEqual(self.entity(arn)["ReputationManagementPolicy"], POLICY + word)
        for bad in (POLICY + "lenient", "arn:aws:ses:us-east-1:aws:reputation-policy/strict", "strict",
                    f"arn:aws:ses:{REGION}:{ACCT}:reputation-policy/strict"):
            self.assertAwsError("BadRequestException", self.v2.update_reputation_entity_policy,
                                ReputationEntityType="RESOURCE", ReputationEntityReference=arn,
                                ReputationEntityPolicy=bad, status=400)

        self.set_customer(arn, "DISABLED")
        e = self.entity(arn)
        self.assertEqual((e["CustomerManagedStatus"]["Status"], e["SendingStatusAggregate"]), ("DISABLED", "DISABLED"))
        self.assertGreaterEqual(e["CustomerManagedStatus"]["LastUpdatedTimestamp"],
                                e["AwsSesManagedStatus"]["LastUpdatedTimestamp"])
        self.assertEqual(self.v2.get_tenant(TenantName="acme")["Tenant"]["SendingStatus"], "DISABLED")
        self.set_customer(arn, "REINSTATED")
        self.assertEqual(self.entity(arn)["SendingStatusAggregate"], "REINSTATED")
        self.assertEqual(self.v2.get_tenant(TenantName="acme")["Tenant"]["SendingStatus"], "REINSTATED")
        self.assertAwsError("BadRequestException", self.raw.update_reputation_entity_customer_managed_status,
                            ReputationEntityType="RESOURCE", ReputationEntityReference=arn, SendingStatus="PAUSED")

        gone = arn.replace("/acme/", "/nobody/")
        self.assertAwsError("NotFoundException", self.v2.get_reputation_entity, ReputationEntityType="RESOURCE",
                            ReputationEntityReference=gone, status=404)
        self.assertAwsError("BadRequestException", self.v2.update_reputation_entity_customer_managed_status,
                            ReputationEntityType="RESOURCE", ReputationEntityReference=gone, SendingStatus="ENABLED")
        self.assertAwsError("BadRequestException", self.v2.update_reputation_entity_policy,
                            ReputationEntityType="RESOURCE", ReputationEntityReference=gone,
                            ReputationEntityPolicy=POLICY + "strict")
        self.assertAwsError("BadRequestException", self.raw.get_reputation_entity, ReputationEntityType="IDENTITY",
                            ReputationEntityReference=arn)

    def test_aws_status_findings_and_impact(self):
        arn = self.v2.create_tenant(TenantName="acme")["TenantArn"]
        out = self.emu.set_tenant_aws_status("acme", "DISABLED", cause="High bounce rate")
        self.assertEqual(out["SendingStatus"], "DISABLED")
        e = self.entity(arn)
        self.assertEqual(e["AwsSesManagedStatus"]["Status"], "DISABLED")
        self.assertEqual(e["AwsSesManagedStatus"]["Cause"], "High bounce rate")
        self.set_customer(arn, "REINSTATED")              # cannot override AWS
        self.assertEqual(self.entity(arn)["SendingStatusAggregate"], "DISABLED")
        self.emu.set_tenant_aws_status("acme", "ENABLED")
        e = self.entity(arn)
        self.assertNotIn("Cause", e["AwsSesManagedStatus"])
        self.assertEqual(e["SendingStatusAggregate"], "REINSTATED")

        self.emu.add_recommendation("acme", "COMPLAINT", "LOW", "complaints 0.09%")
        self.assertEqual(self.entity(arn)["ReputationImpact"], "LOW")
        rec = self.emu.add_recommendation(arn, "BOUNCE", "HIGH", "bounces 11%")
        self.assertEqual((rec["ResourceArn"], rec["Status"]), (arn, "OPEN"))
        self.assertEqual(self.entity(arn)["ReputationImpact"], "HIGH")
        fixed = self.emu.resolve_recommendation("acme", "BOUNCE")
        self.assertEqual([(r["Type"], r["Status"]) for r in fixed], [("BOUNCE", "FIXED")])
        self.assertEqual(self.entity(arn)["ReputationImpact"], "LOW")
        self.emu.resolve_recommendation(arn, "COMPLAINT", description="complaints 0.09%")
        self.assertNotIn("ReputationImpact", self.entity(arn))
        with self.assertRaisesRegex(RuntimeError, "404"):
            self.emu.resolve_recommendation(arn, "COMPLAINT")
        with self.assertRaisesRegex(RuntimeError, "404"):
            self.emu.set_tenant_aws_status("nobody", "DISABLED")
        with self.assertRaisesRegex(RuntimeError, "400"):
            self.emu.set_tenant_aws_status("acme", "PAUSED")
        with self.assertRaisesRegex(RuntimeError, "400"):
            self.emu.add_recommendation("acme", "TYPO", "HIGH", "x")
        with self.assertRaisesRegex(RuntimeError, "404"):
            self.emu.add_recommendation("nobody", "DKIM", "HIGH", "x")
        state = self.emu.tenants()
        self.assertEqual(state["tenants"]["acme"]["ReputationEntity"]["SendingStatusAggregate"], "REINSTATED")
        self.assertEqual(len(state["recommendations"]), 2)

    def test_list_reputation_entities(self):
        arns = {n: self.v2.create_tenant(TenantName=n)["TenantArn"] for n in ("acme", "acme2", "globex", "hooli")}
        self.set_customer(arns["hooli"], "DISABLED")
        self.set_customer(arns["globex"], "REINSTATED")
        self.emu.add_recommendation("globex", "COMPLAINT", "LOW", "c")
        self.emu.add_recommendation("acme2", "BOUNCE", "HIGH", "b")

        def refs(**f):
            out = list_all(self.v2.list_reputation_entities, "ReputationEntities", **f)
            return [e["ReputationEntityReference"].split("/")[1] for e in out]

        self.assertEqual(refs(), ["acme", "acme2", "globex", "hooli"])
        self.assertEqual(refs(Filter={"SENDING_STATUS": "DISABLED"}), ["hooli"])
        self.assertEqual(refs(Filter={"SENDING_STATUS": "REINSTATED"}), ["globex"])
        self.assertEqual(refs(Filter={"REPUTATION_IMPACT": "HIGH"}), ["acme2"])
        self.assertEqual(refs(Filter={"ENTITY_TYPE": "RESOURCE"}), ["acme", "acme2", "globex", "hooli"])
        prefix = f"arn:aws:ses:{REGION}:{ACCT}:tenant/acme"
        self.assertEqual(refs(Filter={"ENTITY_REFERENCE_PREFIX": prefix}), ["acme", "acme2"])
        self.assertEqual(refs(Filter={"ENTITY_REFERENCE_PREFIX": prefix, "SENDING_STATUS": "ENABLED"}), ["acme", "acme2"])
        self.assertEqual(refs(PageSize=1), ["acme", "acme2", "globex", "hooli"])
        pages = list(self.v2.get_paginator("list_reputation_entities").paginate(PaginationConfig={"PageSize": 3}))
        self.assertEqual([len(p["ReputationEntities"]) for p in pages], [3, 1])
        for bad in ({"SENDING_STATUS": "PAUSED"}, {"REPUTATION_IMPACT": "MEDIUM"}, {"ENTITY_TYPE": "IDENTITY"},
                    {"OWNER": "x"}, {"SENDING_STATUS": ""}):
            self.assertAwsError("BadRequestException", self.raw.list_reputation_entities, Filter=bad)
        self.assertEqual(len(self.v2.list_reputation_entities(Filter={})["ReputationEntities"]), 4)   # no min

    # ---- recommendations -------------------------------------------------------------------
    def test_list_recommendations(self):
        arn = self.v2.create_tenant(TenantName="acme")["TenantArn"]
        self.assertEqual(self.v2.list_recommendations()["Recommendations"], [])
        self.emu.add_recommendation("shop.example", "DKIM", "HIGH", "DKIM1")
        self.emu.add_recommendation("shop.example", "DKIM", "LOW", "DKIM2")
        self.emu.add_recommendation(IDENT + "other.example", "SPF", "LOW", "no SPF")
        self.emu.add_recommendation("acme", "BOUNCE", "HIGH", "bounces")
        self.emu.add_recommendation("other.example", "DMARC", "HIGH", "no DMARC", status="FIXED")
        again = self.emu.add_recommendation("shop.example", "DKIM", "HIGH", "DKIM1")   # same finding: updated
        self.assertEqual(again["ResourceArn"], IDENT + "shop.example")
        recs = self.v2.list_recommendations()["Recommendations"]
        self.assertEqual(len(recs), 5)
        self.assertEqual((recs[0]["Type"], recs[0]["Description"]), ("DKIM", "DKIM1"))   # newest change first
        for r in recs:
            self.assertEqual(set(r), {"ResourceArn", "Type", "Description", "Status", "Impact", "CreatedTimestamp",
                                      "LastUpdatedTimestamp"})

        def descs(**f):
            return sorted(r["Description"] for r in list_all(self.v2.list_recommendations, "Recommendations", **f))

        self.assertEqual(descs(Filter={"TYPE": "DKIM"}), ["DKIM1", "DKIM2"])
        self.assertEqual(descs(Filter={"IMPACT": "HIGH"}), ["DKIM1", "bounces", "no DMARC"])
        self.assertEqual(descs(Filter={"STATUS": "FIXED"}), ["no DMARC"])
        self.assertEqual(descs(Filter={"RESOURCE_ARN": arn}), ["bounces"])
        self.assertEqual(descs(Filter={"STATUS": "OPEN", "IMPACT": "HIGH"}), ["DKIM1", "bounces"])
        self.assertEqual(descs(Filter={"STATUS": "OPEN", "TYPE": "SPF"}), ["no SPF"])
        self.assertEqual(descs(PageSize=2), ["DKIM1", "DKIM2", "bounces", "no DMARC", "no SPF"])
        self.assertIn("NextToken", self.v2.list_recommendations(PageSize=2))
        self.v2.list_recommendations(PageSize=100)
        for f in ({"TYPE": "DKIM", "IMPACT": "HIGH"}, {"RESOURCE_ARN": arn, "STATUS": "OPEN"},
                  {"STATUS": "OPEN", "IMPACT": "HIGH", "TYPE": "DKIM"}, {"TYPE": "SMTP"}, {"STATUS": "CLOSED"},
                  {"IMPACT": "MEDIUM"}, {"ACCOUNT": "x"}, {}):
            self.assertAwsError("BadRequestException", self.raw.list_recommendations, Filter=f, status=400)
        for size in (0, 101):
            self.assertAwsError("BadRequestException", self.raw.list_recommendations, PageSize=size)
        self.assertAwsError("BadRequestException", self.v2.list_recommendations, NextToken="x")
        # deleting a tenant takes the findings on its ARN with it
        self.v2.delete_tenant(TenantName="acme")
        self.assertEqual(descs(Filter={"RESOURCE_ARN": arn}), [])

    def test_empty_seed_has_no_tenants(self):
        self.assertEqual(self.v2.list_tenants()["Tenants"], [])
        self.assertEqual(self.v2.list_reputation_entities()["ReputationEntities"], [])
        self.assertEqual(self.v2.list_recommendations()["Recommendations"], [])
        self.assertEqual(self.emu.tenants(), {"region": REGION, "tenants": {}, "recommendations": []})

    def test_tags_on_a_tenant_arn(self):
        arn = self.v2.create_tenant(TenantName="acme", Tags=[{"Key": "a", "Value": "1"}])["TenantArn"]
        self.v2.tag_resource(ResourceArn=arn, Tags=[{"Key": "b", "Value": "2"}])
        self.assertEqual(self.v2.list_tags_for_resource(ResourceArn=arn)["Tags"],
                         [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
        self.v2.untag_resource(ResourceArn=arn, TagKeys=["a"])
        self.assertEqual(self.v2.get_tenant(TenantName="acme")["Tenant"]["Tags"], [{"Key": "b", "Value": "2"}])
        self.assertAwsError("NotFoundException", self.v2.list_tags_for_resource,
                            ResourceArn=arn.replace("/acme/", "/nobody/"))

    # ---- the %2F path ----------------------------------------------------------------------
    def test_reference_path_and_its_signature(self):
        arn = self.v2.create_tenant(TenantName="acme")["TenantArn"]
        self.emu.requests(clear=True)
        self.entity(arn)                                   # boto3: '/' as %2F
        path = self.emu.requests()[-1]["path"]
        self.assertIn("%2Facme%2F", path)
        self.assertNotIn("/acme/", path)
        base = "/v2/email/reputation/entities/RESOURCE/"
        for sent in (base + quote(arn, safe=":"), base + quote(arn, safe="")):   # ':' raw (as sesctl) or %3A
            status, _, body = raw_request(self.emu, "GET", sent)                 # signed by botocore's SigV4Auth
            self.assertEqual(status, 200, body)
            self.assertEqual(json.loads(body)["ReputationEntity"]["ReputationEntityReference"], arn)
        sent = base + quote(arn, safe=":")

        def wrong(headers):
            headers["Authorization"] = re.sub(r"Signature=[0-9a-f]+", "Signature=" + "0" * 64,
                                              headers["Authorization"])
        status, headers, body = raw_request(self.emu, "GET", sent, tamper=wrong)
        self.assertEqual((status, headers.get("x-amzn-errortype")), (403, "SignatureDoesNotMatch"))
        message = json.loads(body)["message"]
        self.assertIn(base + quote(quote(arn, safe=":"), safe="/~"), message)     # the canonical URI: %252F
        self.assertIn("%252F", message)

        # a client that signs the decoded path (a single '/') but sends %2F is refused
        req = AWSRequest(method="GET", url=self.emu.url + base + arn)
        SigV4Auth(Credentials(ACCESS_KEY, SECRET_KEY), "ses", REGION).add_auth(req)
        conn = http.client.HTTPConnection("127.0.0.1", self.emu.port, timeout=30)
        try:
            conn.request("GET", sent, headers=dict(req.headers.items()))
            resp = conn.getresponse()
            status, kind = resp.status, resp.getheader("x-amzn-ErrorType")
            resp.read()
        finally:
            conn.close()
        self.assertEqual((status, kind), (403, "SignatureDoesNotMatch"))
        # same for the PUTs
        body = json.dumps({"SendingStatus": "DISABLED"}).encode()
        status, _, out = raw_request(self.emu, "PUT", sent + "/customer-managed-status", body=body,
                                     headers={"Content-Type": "application/json"})
        self.assertEqual(status, 200, out)
        self.assertEqual(self.entity(arn)["CustomerManagedStatus"]["Status"], "DISABLED")

    # ---- sending ---------------------------------------------------------------------------
    def send(self, client=None, **kw):
        args = {"FromEmailAddress": "ops@shop.example", "Destination": SIM, "Content": SIMPLE}
        args.update(kw)
        return (client or self.v2).send_email(**args)

    def test_send_rules(self):
        arn = self.v2.create_tenant(TenantName="acme")["TenantArn"]
        self.v2.create_tenant(TenantName="bare")
        for res in (IDENT + "shop.example", CSET + "stream", TPL + "welcome"):
            self.v2.create_tenant_resource_association(TenantName="acme", ResourceArn=res)
        self.send()                                          # without TenantName: unchanged
        self.send(TenantName="acme", ConfigurationSetName="stream")        # the domain covers the address
        self.send(TenantName="acme", Content={"Template": {"TemplateName": "welcome", "TemplateData": "{}"}})
        self.send(TenantName="acme", Content={"Template": {"TemplateArn": TPL + "welcome", "TemplateData": "{}"}})

        err = self.assertAwsError("NotFoundException", self.send, TenantName="nobody", status=404)
        self.assertIn("nobody", err["Error"]["Message"])
        err = self.assertAwsError("BadRequestException", self.send, TenantName="bare", status=400)
        self.assertIn(IDENT + "ops@shop.example", err["Error"]["Message"])
        self.assertIn("bare", err["Error"]["Message"])
        self.assertAwsError("BadRequestException", self.send, TenantName="acme", FromEmailAddress="x@other.example")
        self.assertAwsError("BadRequestException", self.send, TenantName="acme",
                            FromEmailAddressIdentityArn=IDENT + "ops@shop.example")
        self.send(TenantName="acme", FromEmailAddressIdentityArn=IDENT + "shop.example")
        err = self.assertAwsError("BadRequestException", self.send, TenantName="acme",
                                  ConfigurationSetName="other-stream")
        self.assertIn(CSET + "other-stream", err["Error"]["Message"])
        self.assertAwsError("NotFoundException", self.send, TenantName="acme", ConfigurationSetName="nope")
        self.v1.create_template(Template={"TemplateName": "other", "SubjectPart": "Hi", "TextPart": "t"})
        self.assertAwsError("BadRequestException", self.send, TenantName="acme",
                            Content={"Template": {"TemplateName": "other", "TemplateData": "{}"}})
        self.assertAwsError("MessageRejected", self.send, TenantName="acme", FromEmailAddress="x@unknown.example")

        # paused by the operator, resumed, paused by AWS (REINSTATED does not help), resumed
        self.set_customer(arn, "DISABLED")
        err = self.assertAwsError("SendingPausedException", self.send, TenantName="acme", status=400)
        self.assertIn("acme", err["Error"]["Message"])
        self.send()                                          # the account still sends
        self.set_customer(arn, "ENABLED")
        self.send(TenantName="acme")
        self.emu.set_tenant_aws_status("acme", "DISABLED", cause="High bounce rate")
        self.set_customer(arn, "REINSTATED")
        self.assertAwsError("SendingPausedException", self.send, TenantName="acme")
        self.emu.set_tenant_aws_status("acme", "ENABLED")
        mid = self.send(TenantName="acme")["MessageId"]
        self.assertIn(mid, [m["MessageId"] for m in self.emu.sent()])
        # the account's pause comes first
        self.emu.set_account(sending_enabled=False)
        err = self.assertAwsError("SendingPausedException", self.send, TenantName="nobody")
        self.assertIn("account", err["Error"]["Message"])

    def test_send_bulk_email(self):
        arn = self.v2.create_tenant(TenantName="acme")["TenantArn"]
        for res in (IDENT + "shop.example", TPL + "welcome"):
            self.v2.create_tenant_resource_association(TenantName="acme", ResourceArn=res)

        def bulk(**kw):
            args = {"FromEmailAddress": "ops@shop.example",
                    "DefaultContent": {"Template": {"TemplateName": "welcome", "TemplateData": "{}"}},
                    "BulkEmailEntries": [{"Destination": SIM},
                                         {"Destination": {"ToAddresses": ["someone@elsewhere.example"]}}]}
            args.update(kw)
            return self.v2.send_bulk_email(**args)

        out = bulk(TenantName="acme")["BulkEmailEntryResults"]
        self.assertEqual(out[0]["Status"], "SUCCESS")
        self.assertIn(out[0]["MessageId"], [m["MessageId"] for m in self.emu.sent()])
        self.assertEqual(out[1]["Status"], "MESSAGE_REJECTED")     # sandbox: unverified recipient
        self.assertIn("Error", out[1])
        self.assertEqual(bulk()["BulkEmailEntryResults"][0]["Status"], "SUCCESS")
        self.assertAwsError("NotFoundException", bulk, TenantName="nobody")
        self.assertAwsError("BadRequestException", bulk, TenantName="acme", ConfigurationSetName="stream")
        self.assertAwsError("NotFoundException", bulk,
                            DefaultContent={"Template": {"TemplateName": "nope", "TemplateData": "{}"}})
        self.assertAwsError("BadRequestException", bulk, BulkEmailEntries=[{"Destination": SIM}] * 51)
        self.set_customer(arn, "DISABLED")
        self.assertAwsError("SendingPausedException", bulk, TenantName="acme")

    # ---- CloudTrail -------------------------------------------------------------------------
    def test_cloudtrail_records_tenant_writes(self):
        self.emu.set_cloudtrail_delay(0)
        self.emu.clear_cloudtrail_events()
        arn = self.v2.create_tenant(TenantName="acme")["TenantArn"]
        self.v2.create_tenant_resource_association(TenantName="acme", ResourceArn=IDENT + "shop.example")
        self.v2.get_tenant(TenantName="acme")
        self.v2.list_tenants()
        self.entity(arn)
        self.v2.list_recommendations()
        self.set_customer(arn, "DISABLED")
        self.assertAwsError("SendingPausedException", self.send, TenantName="acme")
        self.v2.update_reputation_entity_policy(ReputationEntityType="RESOURCE", ReputationEntityReference=arn,
                                                ReputationEntityPolicy=POLICY + "strict")
        self.v2.delete_tenant_resource_association(TenantName="acme", ResourceArn=IDENT + "shop.example")
        self.v2.delete_tenant(TenantName="acme")
        events = self.emu.cloudtrail_events()
        self.assertEqual([e["eventName"] for e in events],
                         ["CreateTenant", "CreateTenantResourceAssociation",
                          "UpdateReputationEntityCustomerManagedStatus", "UpdateReputationEntityPolicy",
                          "DeleteTenantResourceAssociation", "DeleteTenant"])
        pause = events[2]
        self.assertEqual(pause["requestParameters"], {"reputationEntityType": "RESOURCE",
                                                      "reputationEntityReference": arn, "sendingStatus": "DISABLED"})
        self.assertEqual((pause["eventSource"], pause["readOnly"], pause["userIdentity"]["userName"]),
                         ("ses.amazonaws.com", False, "sesemu-admin"))
        self.assertEqual(pause["sesemu"]["resources"], [{"ResourceType": "AWS::SES::Tenant", "ResourceName": "acme"}])
        self.assertEqual(events[0]["requestParameters"], {"tenantName": "acme"})
        self.assertEqual(events[1]["requestParameters"], {"tenantName": "acme", "resourceArn": IDENT + "shop.example"})
        self.assertEqual(events[3]["requestParameters"]["reputationEntityPolicy"], POLICY + "strict")
        ct = self.shapes.attach(self.emu.client("cloudtrail"))
        found = ct.lookup_events(LookupAttributes=[{"AttributeKey": "ResourceName", "AttributeValue": "acme"}])
        self.assertEqual(len(found["Events"]), 6)
        paused = ct.lookup_events(LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue":
                                                     "UpdateReputationEntityCustomerManagedStatus"}])["Events"]
        self.assertEqual(json.loads(paused[0]["CloudTrailEvent"])["requestParameters"]["sendingStatus"], "DISABLED")


class DemoTenants(TenantCase):
    SEED = "demo"

    def test_tenants_statuses_and_resources(self):
        listed = self.v2.list_tenants()["Tenants"]
        self.assertEqual([t["TenantName"] for t in listed], ["acme", "globex", "initech", "umbrella", "hooli", "wayne"])
        for t in listed:
            self.assertEqual(t["TenantId"], tenants_mod.tenant_id(REGION, t["TenantName"]))   # the same every run
            self.assertRegex(t["TenantArn"], ARN_RE)
        arn = {t["TenantName"]: t["TenantArn"] for t in listed}
        status = {n: self.v2.get_tenant(TenantName=n)["Tenant"]["SendingStatus"] for n in arn}
        self.assertEqual(status, {"acme": "ENABLED", "globex": "ENABLED", "initech": "ENABLED",
                                  "umbrella": "DISABLED", "hooli": "DISABLED", "wayne": "REINSTATED"})
        umbrella, hooli, wayne = self.entity(arn["umbrella"]), self.entity(arn["hooli"]), self.entity(arn["wayne"])
        self.assertEqual(umbrella["AwsSesManagedStatus"]["Status"], "DISABLED")
        self.assertEqual(umbrella["AwsSesManagedStatus"]["Cause"], seeds.UMBRELLA_CAUSE)
        self.assertEqual((umbrella["CustomerManagedStatus"]["Status"], umbrella["ReputationImpact"]),
                         ("ENABLED", "HIGH"))
        self.assertEqual((hooli["CustomerManagedStatus"]["Status"], hooli["CustomerManagedStatus"]["Cause"]),
                         ("DISABLED", seeds.HOOLI_CAUSE))
        self.assertEqual(hooli["AwsSesManagedStatus"]["Status"], "ENABLED")
        self.assertNotIn("ReputationImpact", hooli)
        self.assertEqual((wayne["CustomerManagedStatus"]["Status"], wayne["ReputationImpact"]), ("REINSTATED", "LOW"))
        self.assertTrue(all(e["ReputationManagementPolicy"] == POLICY + "standard"
                            for e in self.v2.list_reputation_entities()["ReputationEntities"]))
        self.assertEqual([e["ReputationEntityReference"] for e in self.v2.list_reputation_entities(
            Filter={"SENDING_STATUS": "DISABLED"})["ReputationEntities"]], [arn["umbrella"], arn["hooli"]])

        for name, _, plan, resources in seeds.DEMO_TENANTS:
            got = self.v2.list_tenant_resources(TenantName=name)["TenantResources"]
            want = [(IDENT if kind == "identity" else CSET) + res for kind, res in resources]
            self.assertEqual([r["ResourceArn"] for r in got], want, name)
            self.assertEqual(self.v2.get_tenant(TenantName=name)["Tenant"]["Tags"], [{"Key": "plan", "Value": plan}])
        self.assertEqual([t["TenantName"] for t in self.v2.list_resource_tenants(ResourceArn=CSET + "transactional")
                          ["ResourceTenants"]], ["acme", "hooli"])
        self.assertEqual([t["TenantName"] for t in self.v2.list_resource_tenants(ResourceArn=CSET + "notifications")
                          ["ResourceTenants"]], ["initech", "hooli", "wayne"])

    def test_recommendations(self):
        recs = list_all(self.v2.list_recommendations, "Recommendations")
        got = sorted((r["ResourceArn"].split(":", 5)[5], r["Type"], r["Impact"], r["Status"]) for r in recs)
        self.assertEqual([g for g in got if g[0].startswith("identity/")], [
            ("identity/accounts.example", "DMARC", "HIGH", "OPEN"),
            ("identity/billing.example", "SPF", "LOW", "OPEN"),
            ("identity/old.example", "DKIM", "HIGH", "OPEN"),
            ("identity/shop.example", "DMARC", "LOW", "FIXED")])
        tenant_findings = sorted((g[0].split("/")[1], g[1], g[2], g[3]) for g in got if g[0].startswith("tenant/"))
        self.assertEqual(tenant_findings, [("umbrella", "BOUNCE", "HIGH", "OPEN"), ("wayne", "COMPLAINT", "LOW", "OPEN")])
        open_high = self.v2.list_recommendations(Filter={"STATUS": "OPEN", "IMPACT": "HIGH"})["Recommendations"]
        self.assertEqual(len(open_high), 3)
        self.assertTrue(all(r["CreatedTimestamp"] <= r["LastUpdatedTimestamp"] for r in recs))

    def test_sends_through_the_demo_tenants(self):
        def send(tenant, sender, cs):
            return self.v2.send_email(FromEmailAddress=sender, Destination=SIM, Content=SIMPLE,
                                      ConfigurationSetName=cs, TenantName=tenant)

        send("acme", "ops@shop.example", "transactional")
        send("wayne", "bob@support.example", "notifications")         # reinstated: sends
        self.assertAwsError("SendingPausedException", send, "umbrella", "newsletter@news.shop.example", "marketing")
        self.assertAwsError("SendingPausedException", send, "hooli", "billing@billing.example", "notifications")
        self.assertAwsError("BadRequestException", send, "globex", "ops@shop.example", "marketing")
        self.emu.set_tenant_aws_status("umbrella", "ENABLED")       # AWS lifts the pause
        send("umbrella", "newsletter@news.shop.example", "marketing")
        arn = self.v2.get_tenant(TenantName="hooli")["Tenant"]["TenantArn"]
        self.set_customer(arn, "ENABLED")                            # the operator resumes hooli
        send("hooli", "billing@billing.example", "notifications")


if __name__ == "__main__":
    unittest.main()
