/* libFuzzer target: every SES-side reply parser on arbitrary bytes. The first byte picks
 * the parser; the rest is the body. A parser must return SC_OK or SC_BAD_REPLY, never
 * crash or leak, and on failure leave nothing half-filled.
 * Build: make fuzz-build (a libsesctl.a built by clang with coverage, see the Makefile).
 * Seeds: tests/fixtures/{sesv2,sesv1,cloudwatch,sts,mailmanager}/, prefixed with the selector
 * byte by tests/fuzz/seeds.py. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "sesctl/ses/mailmanager.h"
#include "sesctl/ses/metrics.h"
#include "sesctl/ses/account.h"
#include "sesctl/ses/config_sets.h"
#include "sesctl/ses/identities.h"
#include "sesctl/ses/receipt_rules.h"
#include "sesctl/ses/sending.h"
#include "sesctl/ses/suppression.h"
#include "sesctl/ses/vdm.h"
#include "sesctl/ses/sesv1.h"
#include "sesctl/ses/sts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(enum sc_status st)
{
	if (st != SC_OK && st != SC_BAD_REPLY)
		abort();
}

static void fuzz_v2(unsigned which, const char *b, size_t n)
{
	struct ses_identity id = {0}, *ids = NULL;
	struct ses_account a = {0};
	struct ses_config_set cs = {0};
	struct ses_suppressed sup = {0}, *sups = NULL;
	struct ses_policy *pol = NULL;
	struct sesv2_metric_result *mr = NULL;
	char **names = NULL, *tok = NULL, *msg = NULL;
	size_t k = 0;

	switch (which % 10) {
	case 0:
		check(sesv2_parse_list_email_identities(b, n, &ids, &k, &tok, NULL));
		ses_identities_free(ids, k);
		break;
	case 1:
		check(sesv2_parse_get_email_identity(b, n, &id, NULL));
		check(sesv2_parse_put_dkim_signing_attributes(b, n, &id, NULL));
		break;
	case 2:
		check(sesv2_parse_create_email_identity(b, n, &id, NULL));
		break;
	case 3:
		check(sesv2_parse_get_policies(b, n, &pol, &k, NULL));
		sesv2_policies_free(pol, k);
		break;
	case 4:
		check(sesv2_parse_get_account(b, n, &a, NULL));
		break;
	case 5:
		check(sesv2_parse_list_suppressed(b, n, &sups, &k, &tok, NULL));
		sesv2_suppressed_list_free(sups, k);
		check(sesv2_parse_get_suppressed(b, n, &sup, NULL));
		break;
	case 6:
		check(sesv2_parse_list_config_sets(b, n, &names, &k, &tok, NULL));
		sesv2_strv_free(names, k);
		check(sesv2_parse_get_config_set(b, n, &cs, NULL));
		{
			struct ses_event_dest *d = NULL;
			size_t nd = 0;

			check(sesv2_parse_event_dests(b, n, &d, &nd, NULL));
			for (size_t i = 0; i < nd; i++)
				ses_event_dest_free(&d[i]);
			free(d);
		}
		break;
	case 7:
		check(sesv2_parse_batch_get_metric_data(b, n, &mr, &k, NULL));
		sesv2_metric_results_free(mr, k);
		break;
	case 8:
		check(sesv2_parse_send_email(b, n, &msg, NULL));
		break;
	default: {
		struct ses_mm_item *mm = NULL;

		for (int l = 0; l < MM_LIST_COUNT; l++)
			check(mm_parse_list((enum mm_list)l, b, n, &mm, &k, &tok, NULL));
		mm_items_free(mm, k);
	}
	}
	ses_identity_free(&id);
	ses_account_free(&a);
	ses_config_set_free(&cs);
	ses_suppressed_free(&sup);
	free(tok);
	free(msg);
}

static void fuzz_xml(unsigned which, const char *b, size_t n)
{
	struct ses_rule_set rs = {0}, *sets = NULL;
	struct ses_receipt_filter *f = NULL;
	struct ses_send_point *pts = NULL;
	struct ses_account a = {0};
	struct sesv1_verification *ver = NULL;
	struct metrics_series *ms = NULL;
	struct ses_caller c = {0};
	char *tok = NULL;
	size_t k = 0;
	bool yes;

	switch (which % 9) {
	case 0:
		check(sesv1_parse_list_receipt_rule_sets(b, n, &sets, &k, &tok, NULL));
		ses_rule_sets_free(sets, k);
		break;
	case 1:
		check(sesv1_parse_describe_receipt_rule_set(b, n, &rs, NULL));
		break;
	case 2:
		check(sesv1_parse_describe_active_receipt_rule_set(b, n, &rs, &yes, NULL));
		break;
	case 3:
		check(sesv1_parse_list_receipt_filters(b, n, &f, &k, NULL));
		sesv1_receipt_filters_free(f, k);
		break;
	case 4:
		check(sesv1_parse_get_send_statistics(b, n, &pts, &k, NULL));
		free(pts);
		break;
	case 5:
		check(sesv1_parse_get_send_quota(b, n, &a, NULL));
		check(sesv1_parse_get_account_sending_enabled(b, n, &yes, NULL));
		break;
	case 6:
		check(sesv1_parse_get_identity_verification_attributes(b, n, &ver, &k, NULL));
		sesv1_verifications_free(ver, k);
		break;
	case 7:
		check(metrics_parse_get_metric_data(b, n, &ms, &k, &tok, NULL));
		metrics_series_free(ms, k);
		break;
	default:
		check(sts_parse_get_caller_identity(b, n, &c, NULL));
		check(sesv1_parse_empty("CreateReceiptRule", b, n, NULL));
	}
	ses_rule_set_free(&rs);
	ses_caller_free(&c);
	free(tok);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data + 1;

	if (!size)
		return 0;
	if (data[0] & 0x80)
		fuzz_xml(data[0] & 0x7f, body, size - 1);
	else
		fuzz_v2(data[0], body, size - 1);
	return 0;
}
