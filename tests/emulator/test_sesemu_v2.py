"""sesemu: entry point, SigV4 verification, moto fixes and the SESv2 extensions, driven by
the real AWS SDK (boto3) with every response checked against botocore's model."""

import base64
import datetime
import json
import os
import signal
import subprocess
import sys
import unittest
from unittest import mock

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from emutest import EmuTestCase, raw_request  # noqa: E402
from sesemu_fixture import HERE  # noqa: E402


def rsa_key_b64(bits=2048):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.TraditionalOpenSSL,
                            serialization.NoEncryption())
    return base64.b64encode(der).decode()


class EntryPoint(unittest.TestCase):
    def test_first_line_then_clean_stop_on_sigterm(self):
        proc = subprocess.Popen([sys.executable, os.path.join(HERE, "sesemu.py"), "--port", "0", "--seed", "empty"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            line = proc.stdout.readline().decode()
            self.assertRegex(line, r"^sesemu listening on http://127\.0\.0\.1:[1-9][0-9]*\n$")
            proc.send_signal(signal.SIGTERM)
            self.assertEqual(proc.wait(timeout=20), 0)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proc.stdout.close()
            proc.stderr.close()


class CustomCredentials(unittest.TestCase):
    def test_access_and_secret_key_flags(self):
        from sesemu_fixture import Sesemu
        with Sesemu(args=["--access-key", "AKIAOTHERKEY", "--secret-key", "other/secret"]) as emu:
            ok = emu.client("sesv2", session=emu.session(access_key="AKIAOTHERKEY", secret_key="other/secret"))
            self.assertFalse(ok.get_account()["ProductionAccessEnabled"])
            from botocore.exceptions import ClientError
            with self.assertRaises(ClientError) as cm:
                emu.client("sesv2").get_account()          # the default test key is no longer known
            self.assertEqual(cm.exception.response["Error"]["Code"], "UnrecognizedClientException")


class Signatures(EmuTestCase):
    def test_missing_or_garbled_authorization(self):
        import http.client
        conn = http.client.HTTPConnection("127.0.0.1", self.emu.port, timeout=30)
        conn.request("GET", "/v2/email/account")
        resp = conn.getresponse()
        self.assertEqual((resp.status, resp.getheader("x-amzn-ErrorType")), (403, "MissingAuthenticationToken"))
        resp.read()
        conn.request("GET", "/v2/email/account", headers={"Authorization": "AWS4-HMAC-SHA256 nonsense"})
        resp = conn.getresponse()
        self.assertEqual((resp.status, resp.getheader("x-amzn-ErrorType")), (400, "IncompleteSignature"))
        resp.read()
        conn.close()

    def test_wrong_secret_is_rejected_with_the_canonical_request(self):
        bad = self.emu.client("sesv2", session=self.emu.session(secret_key="not-the-secret"))
        err = self.assertAwsError("SignatureDoesNotMatch", bad.get_account, status=403)
        msg = err["Error"]["Message"]
        self.assertIn("The Canonical String for this request should have been\n'GET\n/v2/email/account\n", msg)
        self.assertIn("The String-to-Sign should have been\n'AWS4-HMAC-SHA256\n", msg)

    def test_tampered_body_is_rejected(self):
        body = json.dumps({"EmailIdentity": "a.example"}).encode()

        def tamper(h):
            h["X-Amz-Content-SHA256"] = "0" * 64
        status, headers, _ = raw_request(self.emu, "POST", "/v2/email/identities", body,
                                         {"Content-Type": "application/json"}, tamper=tamper)
        self.assertEqual((status, headers.get("x-amzn-errortype")), (403, "SignatureDoesNotMatch"))
        self.assertEqual(self.emu.state()["identities"], 0)

    def test_v1_wrong_signature_is_xml_error(self):
        bad = self.emu.client("ses", session=self.emu.session(secret_key="x"))
        self.assertAwsError("SignatureDoesNotMatch", bad.list_identities, status=403)

    def test_unknown_access_key(self):
        s = self.emu.session(access_key="AKIDUNKNOWN")
        self.assertAwsError("UnrecognizedClientException", self.emu.client("sesv2", session=s).get_account, status=403)
        self.assertAwsError("InvalidClientTokenId", self.emu.client("ses", session=s).list_identities, status=403)

    def test_skewed_clock_is_refused(self):
        past = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=6)
        with mock.patch("botocore.auth.get_current_datetime", return_value=past):
            err = self.assertAwsError("SignatureDoesNotMatch", self.v2.get_account, status=403)
        self.assertIn("Signature expired", err["Error"]["Message"])
        near = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=4)
        with mock.patch("botocore.auth.get_current_datetime", return_value=near):
            self.v2.get_account()

    def test_sts_through_the_emulator(self):
        # sesctl whoami asks STS; moto answers it, sesemu checks the signature first
        sts = self.emu.client("sts")
        self.assertEqual(sts.get_caller_identity()["Account"], "123456789012")
        bad = self.emu.client("sts", session=self.emu.session(secret_key="wrong"))
        self.assertAwsError("SignatureDoesNotMatch", bad.get_caller_identity, status=403)
        unknown = self.emu.client("sts", session=self.emu.session(access_key="AKIDNOPE"))
        self.assertAwsError("InvalidClientTokenId", unknown.get_caller_identity, status=403)

    def test_session_token_is_accepted(self):
        s = self.emu.session(token="FwoGZXIvYXdzEXAMPLETOKEN")
        self.assertTrue(self.emu.client("sesv2", session=s).get_account()["SendingEnabled"])

    def test_percent_encoded_identity_path_as_a_c_client_sends_it(self):
        self.v2.create_email_identity(EmailIdentity="ops@shop.example")
        status, _, body = raw_request(self.emu, "GET", "/v2/email/identities/ops%40shop.example")
        self.assertEqual(status, 200, body)
        self.assertEqual(json.loads(body)["IdentityType"], "EMAIL_ADDRESS")
        status, _, _ = raw_request(self.emu, "GET", "/v2/email/identities/ops%40shop.example",
                                   secret="wrong")
        self.assertEqual(status, 403)


class Identities(EmuTestCase):
    def test_more_than_100_identities_and_page_size(self):
        self.emu.reset("bulk:250")
        names, token, pages = [], None, 0
        while True:
            kw = {"PageSize": 100}
            if token:
                kw["NextToken"] = token
            r = self.v2.list_email_identities(**kw)
            names += [i["IdentityName"] for i in r["EmailIdentities"]]
            pages += 1
            token = r.get("NextToken")
            if not token:
                break
        self.assertEqual((len(names), len(set(names)), pages), (250, 250, 3))
        self.assertEqual(len(self.v2.list_email_identities()["EmailIdentities"]), 100)
        self.assertAwsError("BadRequestException", self.v2.list_email_identities, PageSize=1001)

    def test_duplicate_create_and_missing_delete(self):
        self.v2.create_email_identity(EmailIdentity="dup.example")
        self.assertAwsError("AlreadyExistsException", self.v2.create_email_identity, EmailIdentity="dup.example",
                            status=400)
        self.assertAwsError("NotFoundException", self.v2.delete_email_identity, EmailIdentity="nope.example",
                            status=404)
        self.v2.delete_email_identity(EmailIdentity="dup.example")
        self.assertAwsError("NotFoundException", self.v2.get_email_identity, EmailIdentity="dup.example")

    def test_new_identities_start_pending_with_three_tokens(self):
        r = self.v2.create_email_identity(EmailIdentity="new.example",
                                          DkimSigningAttributes={"NextSigningKeyLength": "RSA_1024_BIT"})
        self.assertFalse(r["VerifiedForSendingStatus"])
        tokens = r["DkimAttributes"]["Tokens"]
        self.assertEqual(len(tokens), 3)
        self.assertTrue(all(len(t) == 32 for t in tokens))
        g = self.v2.get_email_identity(EmailIdentity="new.example")
        self.assertEqual((g["VerificationStatus"], g["DkimAttributes"]["Status"]), ("PENDING", "PENDING"))
        self.assertEqual(g["DkimAttributes"]["NextSigningKeyLength"], "RSA_1024_BIT")
        self.assertIsInstance(g["DkimAttributes"]["LastKeyGenerationTimestamp"], datetime.datetime)
        self.assertEqual(self.v1.get_identity_dkim_attributes(Identities=["new.example"])
                         ["DkimAttributes"]["new.example"]["DkimTokens"], tokens)
        v = self.v1.get_identity_verification_attributes(Identities=["new.example"])["VerificationAttributes"]
        self.assertEqual(v["new.example"]["VerificationStatus"], "Pending")
        self.assertEqual(len(v["new.example"]["VerificationToken"]), 44)

    def test_email_identity_verified_when_link_clicked(self):
        self.v2.create_email_identity(EmailIdentity="me@new.example")
        self.assertEqual(self.v2.get_email_identity(EmailIdentity="me@new.example")["VerificationStatus"], "PENDING")
        self.emu.verify_identity("me@new.example")
        g = self.v2.get_email_identity(EmailIdentity="me@new.example")
        self.assertEqual((g["VerificationStatus"], g["VerifiedForSendingStatus"]), ("SUCCESS", True))
        self.assertTrue(self.v2.list_email_identities()["EmailIdentities"][0]["SendingEnabled"])
        self.emu.set_identity_status("me@new.example", "FAILED")
        listed = self.v2.list_email_identities()["EmailIdentities"][0]
        self.assertEqual((listed["VerificationStatus"], listed["SendingEnabled"]), ("FAILED", False))

    def test_dkim_signing_attributes_easy_and_byodkim(self):
        self.v2.create_email_identity(EmailIdentity="d.example")
        r = self.v2.put_email_identity_dkim_signing_attributes(
            EmailIdentity="d.example", SigningAttributesOrigin="EXTERNAL",
            SigningAttributes={"DomainSigningSelector": "sel1", "DomainSigningPrivateKey": rsa_key_b64(1024)})
        self.assertEqual((r["DkimStatus"], r["DkimTokens"]), ("PENDING", ["sel1"]))
        dk = self.v2.get_email_identity(EmailIdentity="d.example")["DkimAttributes"]
        self.assertEqual(dk["SigningAttributesOrigin"], "EXTERNAL")
        r = self.v2.put_email_identity_dkim_signing_attributes(
            EmailIdentity="d.example", SigningAttributesOrigin="AWS_SES",
            SigningAttributes={"NextSigningKeyLength": "RSA_2048_BIT"})
        self.assertEqual(len(r["DkimTokens"]), 3)
        dk = self.v2.get_email_identity(EmailIdentity="d.example")["DkimAttributes"]
        self.assertEqual((dk["SigningAttributesOrigin"], dk["NextSigningKeyLength"]), ("AWS_SES", "RSA_2048_BIT"))
        for bad in ("bm90IGEga2V5", base64.b64encode(b"-----BEGIN PRIVATE KEY-----\nxx\n").decode()):
            self.assertAwsError("BadRequestException", self.v2.put_email_identity_dkim_signing_attributes,
                                EmailIdentity="d.example", SigningAttributesOrigin="EXTERNAL",
                                SigningAttributes={"DomainSigningSelector": "s", "DomainSigningPrivateKey": bad})
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        ec_der = ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        self.assertAwsError("BadRequestException", self.v2.put_email_identity_dkim_signing_attributes,
                            EmailIdentity="d.example", SigningAttributesOrigin="EXTERNAL",
                            SigningAttributes={"DomainSigningSelector": "s",
                                               "DomainSigningPrivateKey": base64.b64encode(ec_der).decode()})
        self.assertAwsError("NotFoundException", self.v2.put_email_identity_dkim_signing_attributes,
                            EmailIdentity="none.example", SigningAttributesOrigin="AWS_SES")

    def test_old_v1_path_of_dkim_signing_attributes(self):
        self.v2.create_email_identity(EmailIdentity="old-path.example")
        body = json.dumps({"SigningAttributesOrigin": "AWS_SES",
                           "SigningAttributes": {"NextSigningKeyLength": "RSA_1024_BIT"}}).encode()
        status, _, out = raw_request(self.emu, "PUT", "/v1/email/identities/old-path.example/dkim/signing", body,
                                     {"Content-Type": "application/json"})
        self.assertEqual(status, 200, out)
        self.assertEqual(len(json.loads(out)["DkimTokens"]), 3)
        dk = self.v2.get_email_identity(EmailIdentity="old-path.example")["DkimAttributes"]
        self.assertEqual(dk["NextSigningKeyLength"], "RSA_1024_BIT")

    def test_create_with_byodkim_rejects_bad_key(self):
        self.assertAwsError("BadRequestException", self.v2.create_email_identity, EmailIdentity="b.example",
                            DkimSigningAttributes={"DomainSigningSelector": "s", "DomainSigningPrivateKey": "AAAA"})
        r = self.v2.create_email_identity(EmailIdentity="b.example", DkimSigningAttributes={
            "DomainSigningSelector": "s", "DomainSigningPrivateKey": rsa_key_b64()})
        self.assertEqual(r["DkimAttributes"]["SigningAttributesOrigin"], "EXTERNAL")

    def test_dkim_mail_from_and_feedback_attributes(self):
        self.v2.create_email_identity(EmailIdentity="m.example")
        self.v2.put_email_identity_dkim_attributes(EmailIdentity="m.example", SigningEnabled=False)
        self.v2.put_email_identity_mail_from_attributes(EmailIdentity="m.example", MailFromDomain="bounce.m.example",
                                                        BehaviorOnMxFailure="REJECT_MESSAGE")
        # forwarding can be turned off only once bounces and complaints have SNS topics
        self.assertAwsError("BadRequestException", self.v2.put_email_identity_feedback_attributes,
                            EmailIdentity="m.example", EmailForwardingEnabled=False)
        for kind in ("Bounce", "Complaint"):
            self.v1.set_identity_notification_topic(Identity="m.example", NotificationType=kind,
                                                    SnsTopic="arn:aws:sns:eu-west-1:123456789012:fb")
        self.v2.put_email_identity_feedback_attributes(EmailIdentity="m.example", EmailForwardingEnabled=False)
        g = self.v2.get_email_identity(EmailIdentity="m.example")
        self.assertFalse(g["DkimAttributes"]["SigningEnabled"])
        self.assertFalse(g["FeedbackForwardingStatus"])
        self.assertEqual(g["MailFromAttributes"], {"MailFromDomain": "bounce.m.example",
                                                   "MailFromDomainStatus": "PENDING",
                                                   "BehaviorOnMxFailure": "REJECT_MESSAGE"})
        v1 = self.v1.get_identity_mail_from_domain_attributes(Identities=["m.example"])
        self.assertEqual(v1["MailFromDomainAttributes"]["m.example"]["BehaviorOnMXFailure"], "RejectMessage")
        self.emu.set_identity_status("m.example", mail_from_status="SUCCESS")
        self.assertEqual(self.v2.get_email_identity(EmailIdentity="m.example")
                         ["MailFromAttributes"]["MailFromDomainStatus"], "SUCCESS")
        self.assertAwsError("BadRequestException", self.v2.put_email_identity_mail_from_attributes,
                            EmailIdentity="m.example", MailFromDomain="bounce.other.example")
        self.v2.put_email_identity_mail_from_attributes(EmailIdentity="m.example")
        self.assertNotIn("MailFromAttributes", self.v2.get_email_identity(EmailIdentity="m.example"))
        for fn, kw in ((self.v2.put_email_identity_dkim_attributes, {"SigningEnabled": True}),
                       (self.v2.put_email_identity_feedback_attributes, {"EmailForwardingEnabled": True}),
                       (self.v2.put_email_identity_mail_from_attributes, {"MailFromDomain": "x.none.example"})):
            self.assertAwsError("NotFoundException", fn, EmailIdentity="none.example", status=404, **kw)


class MotoPassThrough(EmuTestCase):
    def test_moto_replies_are_normalized(self):
        # moto answers these itself; sesemu drops its nulls and turns ISO timestamps into
        # epoch numbers (the shape check in tearDown fails otherwise)
        self.v2.create_contact_list(ContactListName="customers")
        self.assertIsInstance(self.v2.get_contact_list(ContactListName="customers")["CreatedTimestamp"],
                              datetime.datetime)
        self.v2.create_configuration_set(ConfigurationSetName="a")
        self.assertEqual(self.v2.list_configuration_sets()["ConfigurationSets"], ["a"])
        self.v2.create_email_identity(EmailIdentity="p.example")
        self.v2.create_email_identity_policy(EmailIdentity="p.example", PolicyName="p", Policy="{}")
        self.assertEqual(self.v2.get_email_identity_policies(EmailIdentity="p.example")["Policies"], {"p": "{}"})
        self.assertLessEqual({"GetContactList", "ListConfigurationSets"}, set(self.shapes.checked))


class Account(EmuTestCase):
    def test_get_account_and_shared_sending_flag(self):
        a = self.v2.get_account()
        self.assertEqual((a["SendingEnabled"], a["ProductionAccessEnabled"], a["EnforcementStatus"]),
                         (True, False, "HEALTHY"))
        self.v2.put_account_sending_attributes(SendingEnabled=False)
        self.assertFalse(self.v2.get_account()["SendingEnabled"])
        self.assertFalse(self.v1.get_account_sending_enabled()["Enabled"])
        self.v1.update_account_sending_enabled(Enabled=True)
        self.assertTrue(self.v2.get_account()["SendingEnabled"])
        self.assertTrue(self.emu.state()["sending_enabled"])

    def test_put_account_details(self):
        self.v2.put_account_details(MailType="TRANSACTIONAL", WebsiteURL="https://shop.example",
                                    UseCaseDescription="receipts", ContactLanguage="EN",
                                    AdditionalContactEmailAddresses=["ops@shop.example"],
                                    ProductionAccessEnabled=True)
        d = self.v2.get_account()["Details"]
        self.assertEqual((d["MailType"], d["ReviewDetails"]["Status"]), ("TRANSACTIONAL", "PENDING"))
        self.assertAwsError("ConflictException", self.v2.put_account_details, MailType="MARKETING",
                            WebsiteURL="https://x.example", status=409)


class Suppression(EmuTestCase):
    def test_put_get_list_filter_page_delete(self):
        for i in range(25):
            self.v2.put_suppressed_destination(EmailAddress=f"u{i:02d}@x.example",
                                               Reason="COMPLAINT" if i % 5 == 0 else "BOUNCE")
        g = self.v2.get_suppressed_destination(EmailAddress="u03@x.example")["SuppressedDestination"]
        self.assertEqual((g["Reason"], g["EmailAddress"]), ("BOUNCE", "u03@x.example"))
        self.assertIsInstance(g["LastUpdateTime"], datetime.datetime)
        comp = self.v2.list_suppressed_destinations(Reasons=["COMPLAINT"])["SuppressedDestinationSummaries"]
        self.assertEqual(sorted(s["EmailAddress"] for s in comp), [f"u{i:02d}@x.example" for i in range(0, 25, 5)])
        seen, token = [], None
        while True:
            kw = {"PageSize": 10, **({"NextToken": token} if token else {})}
            r = self.v2.list_suppressed_destinations(**kw)
            seen += [s["EmailAddress"] for s in r["SuppressedDestinationSummaries"]]
            token = r.get("NextToken")
            if not token:
                break
        self.assertEqual(len(seen), 25)
        self.assertEqual(len(set(seen)), 25)
        future = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)
        self.assertEqual(self.v2.list_suppressed_destinations(StartDate=future)["SuppressedDestinationSummaries"], [])
        self.v2.delete_suppressed_destination(EmailAddress="u03@x.example")
        self.assertAwsError("NotFoundException", self.v2.get_suppressed_destination, EmailAddress="u03@x.example",
                            status=404)
        self.assertAwsError("NotFoundException", self.v2.delete_suppressed_destination, EmailAddress="u03@x.example")
        self.assertAwsError("BadRequestException", self.v2.put_suppressed_destination,
                            EmailAddress="a@x.example", Reason="SPAM")


class Sending(EmuTestCase):
    def setUp(self):
        super().setUp()
        self.v2.create_email_identity(EmailIdentity="shop.example")
        self.v2.create_email_identity(EmailIdentity="friend@other.example")
        self.emu.verify_identity("shop.example")

    def send(self, to, **kw):
        return self.v2.send_email(FromEmailAddress="ops@shop.example", Destination={"ToAddresses": [to]},
                                  Content={"Simple": {"Subject": {"Data": "hi"}, "Body": {"Text": {"Data": "x"}}}},
                                  **kw)

    def test_sandbox_sends_only_to_verified_and_simulator(self):
        self.send("success@simulator.amazonses.com")
        self.assertAwsError("MessageRejected", self.send, "friend@other.example")   # still pending
        self.emu.verify_identity("friend@other.example")
        self.send("friend@other.example")
        self.assertAwsError("MessageRejected", self.send, "stranger@else.example")
        self.emu.set_account(production_access=True)
        mid = self.send("stranger@else.example")["MessageId"]
        sent = self.emu.sent()
        self.assertEqual(len(sent), 3)
        self.assertEqual(sent[-1]["MessageId"], mid)

    def test_v1_raw_email_follows_the_same_rules(self):
        raw = (b"From: ops@shop.example\r\nTo: stranger@else.example\r\nSubject: raw\r\n\r\nbody\r\n")
        self.assertAwsError("MessageRejected", self.v1.send_raw_email, RawMessage={"Data": raw})
        self.emu.set_account(production_access=True)
        self.v1.send_raw_email(RawMessage={"Data": raw})
        self.assertEqual(self.emu.sent()[-1]["Destinations"], ["stranger@else.example"])
        self.v1.update_account_sending_enabled(Enabled=False)
        self.assertAwsError("AccountSendingPausedException", self.v1.send_raw_email, RawMessage={"Data": raw})

    def test_daily_quota(self):
        self.emu.set_account(max_24h=3)
        self.send("success@simulator.amazonses.com")
        self.send("success@simulator.amazonses.com")
        self.assertEqual(self.v2.get_account()["SendQuota"]["SentLast24Hours"], 2.0)
        self.send("success@simulator.amazonses.com")
        self.assertAwsError("TooManyRequestsException", self.send, "success@simulator.amazonses.com", status=429)
        self.assertAwsError("Throttling", self.v1.send_email, Source="ops@shop.example",
                            Destination={"ToAddresses": ["success@simulator.amazonses.com"]},
                            Message={"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "b"}}})
        self.emu.set_account(max_24h=-1)       # -1: unlimited
        self.send("success@simulator.amazonses.com")

    def test_unverified_sender_is_rejected(self):
        self.assertAwsError("MessageRejected", self.v2.send_email, FromEmailAddress="x@unknown.example",
                            Destination={"ToAddresses": ["success@simulator.amazonses.com"]},
                            Content={"Simple": {"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "b"}}}})

    def test_paused_account_and_paused_configuration_set(self):
        self.v2.create_configuration_set(ConfigurationSetName="cs1")
        self.assertTrue(self.v2.get_configuration_set(ConfigurationSetName="cs1")["SendingOptions"]["SendingEnabled"])
        self.v2.put_configuration_set_sending_options(ConfigurationSetName="cs1", SendingEnabled=False)
        self.assertFalse(self.v2.get_configuration_set(ConfigurationSetName="cs1")["SendingOptions"]["SendingEnabled"])
        self.assertFalse(self.emu.state()["configuration_sets"]["cs1"])
        self.assertAwsError("SendingPausedException", self.send, "success@simulator.amazonses.com",
                            ConfigurationSetName="cs1")
        self.send("success@simulator.amazonses.com")
        self.v2.put_account_sending_attributes(SendingEnabled=False)
        self.assertAwsError("SendingPausedException", self.send, "success@simulator.amazonses.com")
        self.assertAwsError("AccountSendingPausedException", self.v1.send_email, Source="ops@shop.example",
                            Destination={"ToAddresses": ["success@simulator.amazonses.com"]},
                            Message={"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "b"}}})
        self.assertEqual(len(self.emu.sent()), 1)
        self.assertAwsError("NotFoundException", self.v2.put_configuration_set_sending_options,
                            ConfigurationSetName="nope", SendingEnabled=True, status=404)


if __name__ == "__main__":
    unittest.main()
