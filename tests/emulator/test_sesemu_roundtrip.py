"""Every operation sesemu adds or replaces round-trips through boto3, and every reply
matches botocore's model (shapecheck). The list of operations is read from the
extension modules, so a new handler without a call here fails this test."""

import datetime
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from emutest import EmuTestCase  # noqa: E402

import cloudtrail  # noqa: E402
import ext_mailmanager  # noqa: E402
import ext_v1  # noqa: E402
import ext_v2  # noqa: E402
import feedback  # noqa: E402
import tenants  # noqa: E402


class EveryExtension(EmuTestCase):
    SEED = "demo"

    def test_every_extension_operation(self):
        v2, v1 = self.v2, self.v1
        mm = self.shapes.attach(self.emu.client("mailmanager"))
        now = datetime.datetime.now(datetime.timezone.utc)
        simple = {"Simple": {"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "b"}}}}
        sim = {"ToAddresses": ["success@simulator.amazonses.com"]}

        # SESv2
        v2.list_email_identities(PageSize=5)
        v2.create_email_identity(EmailIdentity="rt.example")
        v2.get_email_identity(EmailIdentity="rt.example")
        v2.put_email_identity_dkim_attributes(EmailIdentity="rt.example", SigningEnabled=True)
        v2.put_email_identity_dkim_signing_attributes(EmailIdentity="rt.example", SigningAttributesOrigin="AWS_SES",
                                                      SigningAttributes={"NextSigningKeyLength": "RSA_1024_BIT"})
        v2.put_email_identity_mail_from_attributes(EmailIdentity="rt.example", MailFromDomain="mf.rt.example")
        v2.put_email_identity_feedback_attributes(EmailIdentity="rt.example", EmailForwardingEnabled=True)
        v2.delete_email_identity(EmailIdentity="rt.example")
        v2.get_account()
        v2.put_account_sending_attributes(SendingEnabled=True)
        v2.put_account_suppression_attributes(SuppressedReasons=["BOUNCE"])
        self.assertEqual(v2.get_account()["SuppressionAttributes"]["SuppressedReasons"], ["BOUNCE"])
        v2.put_account_details(MailType="MARKETING", WebsiteURL="https://shop.example")
        v2.put_suppressed_destination(EmailAddress="rt@x.example", Reason="BOUNCE")
        v2.get_suppressed_destination(EmailAddress="rt@x.example")
        v2.list_suppressed_destinations(PageSize=3)
        v2.delete_suppressed_destination(EmailAddress="rt@x.example")
        v2.list_configuration_sets(PageSize=2)
        v2.get_configuration_set(ConfigurationSetName="transactional")
        v2.put_configuration_set_sending_options(ConfigurationSetName="transactional", SendingEnabled=True)
        v2.create_configuration_set(ConfigurationSetName="rt", ArchivingOptions={
            "ArchiveArn": "arn:aws:ses:eu-west-1:123456789012:mailmanager-archive/a-" + "0" * 24})
        v2.put_configuration_set_tracking_options(ConfigurationSetName="rt", CustomRedirectDomain="t.shop.example",
                                                  HttpsPolicy="REQUIRE")
        v2.put_configuration_set_delivery_options(ConfigurationSetName="rt", TlsPolicy="REQUIRE",
                                                  MaxDeliverySeconds=600)
        v2.put_configuration_set_reputation_options(ConfigurationSetName="rt", ReputationMetricsEnabled=True)
        v2.put_configuration_set_suppression_options(ConfigurationSetName="rt", SuppressedReasons=["BOUNCE"])
        v2.put_configuration_set_vdm_options(ConfigurationSetName="rt", VdmOptions={
            "DashboardOptions": {"EngagementMetrics": "ENABLED"}})
        v2.put_configuration_set_archiving_options(ConfigurationSetName="rt")
        sns = {"Enabled": True, "MatchingEventTypes": ["BOUNCE"],
               "SnsDestination": {"TopicArn": "arn:aws:sns:eu-west-1:123456789012:t"}}
        v2.create_configuration_set_event_destination(ConfigurationSetName="rt", EventDestinationName="d",
                                                      EventDestination=sns)
        v2.update_configuration_set_event_destination(ConfigurationSetName="rt", EventDestinationName="d",
                                                      EventDestination=dict(sns, Enabled=False))
        v2.get_configuration_set_event_destinations(ConfigurationSetName="rt")
        v2.delete_configuration_set_event_destination(ConfigurationSetName="rt", EventDestinationName="d")
        v2.put_email_identity_configuration_set_attributes(EmailIdentity="shop.example", ConfigurationSetName="rt")
        arn = "arn:aws:ses:eu-west-1:123456789012:configuration-set/rt"
        v2.tag_resource(ResourceArn=arn, Tags=[{"Key": "k", "Value": "v"}])
        v2.list_tags_for_resource(ResourceArn=arn)
        v2.untag_resource(ResourceArn=arn, TagKeys=["k"])
        v2.delete_configuration_set(ConfigurationSetName="rt")
        v2.send_email(FromEmailAddress="ops@shop.example", Destination=sim, Content=simple)
        v2.batch_get_metric_data(Queries=[{"Id": "q", "Namespace": "VDM", "Metric": "DELIVERY",
                                           "StartDate": now - datetime.timedelta(days=2), "EndDate": now}])

        # SESv2 tenants, reputation entities, recommendations (tenants.py)
        v1.create_template(Template={"TemplateName": "rt-tpl", "SubjectPart": "s", "TextPart": "t"})
        tenant = v2.create_tenant(TenantName="rt", Tags=[{"Key": "k", "Value": "v"}])["TenantArn"]
        v2.get_tenant(TenantName="rt")
        v2.list_tenants(PageSize=2)
        ident = "arn:aws:ses:eu-west-1:123456789012:identity/shop.example"
        for arn in (ident, "arn:aws:ses:eu-west-1:123456789012:configuration-set/transactional",
                    "arn:aws:ses:eu-west-1:123456789012:template/rt-tpl"):
            v2.create_tenant_resource_association(TenantName="rt", ResourceArn=arn)
        v2.list_tenant_resources(TenantName="rt", Filter={"RESOURCE_TYPE": "EMAIL_IDENTITY"})
        v2.list_resource_tenants(ResourceArn=ident)
        v2.send_email(FromEmailAddress="ops@shop.example", Destination=sim, Content=simple, TenantName="rt",
                      ConfigurationSetName="transactional")
        v2.send_bulk_email(FromEmailAddress="ops@shop.example", TenantName="rt",
                           DefaultContent={"Template": {"TemplateName": "rt-tpl", "TemplateData": "{}"}},
                           BulkEmailEntries=[{"Destination": sim}])
        v2.list_reputation_entities(Filter={"SENDING_STATUS": "ENABLED"})
        v2.get_reputation_entity(ReputationEntityType="RESOURCE", ReputationEntityReference=tenant)
        v2.update_reputation_entity_policy(ReputationEntityType="RESOURCE", ReputationEntityReference=tenant,
                                           ReputationEntityPolicy="arn:aws:ses:eu-west-1:aws:reputation-policy/strict")
        v2.update_reputation_entity_customer_managed_status(ReputationEntityType="RESOURCE",
                                                            ReputationEntityReference=tenant, SendingStatus="REINSTATED")
        v2.list_recommendations(Filter={"STATUS": "OPEN", "IMPACT": "HIGH"}, PageSize=10)
        v2.tag_resource(ResourceArn=tenant, Tags=[{"Key": "k2", "Value": "v2"}])
        v2.list_tags_for_resource(ResourceArn=tenant)
        v2.untag_resource(ResourceArn=tenant, TagKeys=["k2"])
        v2.delete_tenant_resource_association(TenantName="rt", ResourceArn=ident)
        v2.delete_tenant(TenantName="rt")

        # SES v1
        v1.create_receipt_rule(RuleSetName="inbound-legacy", Rule={"Name": "rt", "Enabled": True, "Actions": [
            {"StopAction": {"Scope": "RuleSet"}}]})
        v1.set_receipt_rule_position(RuleSetName="inbound-legacy", RuleName="rt", After="all-to-s3")
        v1.reorder_receipt_rule_set(RuleSetName="inbound-legacy", RuleNames=["rt", "all-to-s3"])
        v1.delete_receipt_rule(RuleSetName="inbound-legacy", RuleName="rt")
        v1.create_receipt_filter(Filter={"Name": "rt", "IpFilter": {"Policy": "Allow", "Cidr": "192.0.2.1"}})
        v1.list_receipt_filters()
        v1.delete_receipt_filter(FilterName="rt")
        v1.get_account_sending_enabled()
        v1.update_account_sending_enabled(Enabled=True)
        v1.get_send_quota()
        v1.update_configuration_set_sending_enabled(ConfigurationSetName="legacy-newsletter", Enabled=False)
        v1.create_configuration_set_event_destination(ConfigurationSetName="transactional", EventDestination={
            "Name": "rt-v1", "Enabled": True, "MatchingEventTypes": ["send"],
            "SNSDestination": {"TopicARN": "arn:aws:sns:eu-west-1:123456789012:t"}})
        v1.describe_configuration_set(ConfigurationSetName="transactional",
                                      ConfigurationSetAttributeNames=["eventDestinations", "reputationOptions"])
        v1.get_send_statistics()
        v1.verify_email_identity(EmailAddress="rt1@shop.example")
        v1.verify_email_address(EmailAddress="rt2@shop.example")
        v1.verify_domain_identity(Domain="rt1.example")
        self.assertEqual(len(v1.verify_domain_dkim(Domain="rt2.example")["DkimTokens"]), 3)
        v1.get_identity_verification_attributes(Identities=["rt1.example", "rt1@shop.example"])
        v1.get_identity_dkim_attributes(Identities=["rt2.example"])
        v1.set_identity_mail_from_domain(Identity="rt2.example", MailFromDomain="m.rt2.example",
                                         BehaviorOnMXFailure="RejectMessage")
        v1.get_identity_mail_from_domain_attributes(Identities=["rt2.example"])
        v1.delete_identity(Identity="rt1.example")
        v1.set_identity_notification_topic(Identity="shop.example", NotificationType="Delivery",
                                           SnsTopic="arn:aws:sns:eu-west-1:123456789012:ses-deliveries")
        v1.set_identity_headers_in_notifications_enabled(Identity="shop.example", NotificationType="Complaint",
                                                         Enabled=True)
        v1.set_identity_feedback_forwarding_enabled(Identity="shop.example", ForwardingEnabled=True)
        v1.get_identity_notification_attributes(Identities=["shop.example"])   # all three topics set
        v1.send_email(Source="ops@shop.example", Destination=sim,
                      Message={"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "b"}}})
        v1.send_raw_email(RawMessage={"Data": b"From: ops@shop.example\r\nTo: success@simulator.amazonses.com\r\n"
                                              b"Subject: r\r\n\r\nb\r\n"})

        # Mail Manager
        mm.list_rule_sets()
        mm.list_traffic_policies()
        mm.list_ingress_points()
        mm.list_archives()

        # CloudTrail
        self.shapes.attach(self.emu.client("cloudtrail")).lookup_events(MaxResults=5)

        expected = (set(ext_v2.HANDLERS) | set(ext_v1.HANDLERS) | set(feedback.HANDLERS)
                    | set(ext_mailmanager.HANDLERS) | set(cloudtrail.HANDLERS) | set(tenants.HANDLERS))
        self.assertEqual(expected - set(self.shapes.checked), set())
        statuses = {(r["op"], r["status"]) for r in self.emu.requests()}
        self.assertTrue(all(status == 200 for _, status in statuses), statuses)

    def test_tokens_differ_per_region(self):
        west = self.emu.client("sesv2", region="us-west-2")
        t_eu = self.v2.create_email_identity(EmailIdentity="two.example")["DkimAttributes"]["Tokens"]
        t_us = west.create_email_identity(EmailIdentity="two.example")["DkimAttributes"]["Tokens"]
        self.assertEqual(len(set(t_eu) | set(t_us)), 6)
        self.assertEqual(west.list_email_identities()["EmailIdentities"][0]["IdentityName"], "two.example")

    def test_request_log(self):
        self.emu.requests(clear=True)
        self.v2.get_account()
        self.emu.set_faults(rules=[{"kind": "throttle", "rate": 1.0, "operation": "ListReceiptFilters"}])
        with self.assertRaises(Exception):
            self.v1.list_receipt_filters()
        log = [(r["family"], r["op"], r["status"], r["fault"]) for r in self.emu.requests()]
        self.assertEqual(log, [("v2", "GetAccount", 200, None), ("v1", "ListReceiptFilters", 400, "throttle")])


if __name__ == "__main__":
    unittest.main()
