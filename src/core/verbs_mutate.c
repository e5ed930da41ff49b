/* Verbs that change the account: sending pause/resume, identity create/delete. Each
 * re-reads what it changed and writes it to the cache; verb_run() audits them. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json_model.h"
#include "sesctl/core/sync.h"
#include "sesctl/dns/export.h"
#include "sesctl/dns/name.h"
#include "sesctl/dns/records.h"
#include "sesctl/ses/account.h"
#include "sesctl/ses/config_sets.h"
#include "sesctl/ses/identities.h"
#include "sesctl/store/audit.h"
#include "sesctl/store/account.h"
#include "sesctl/store/config_sets.h"
#include "sesctl/store/identities.h"
#include "verbs_impl.h"

/* ---- sending pause / resume ---- */

/* The change is made and read back, but the cache could not keep it: say so (the outcome
 * stays "ok"; the console and --offline show the old state until the next refresh). */
static void cache_behind(struct verb_result *res, const struct sc_error *cerr)
{
	buf_printf(&res->warning,
		   "the change was made and read back from SES, but the cache could not be "
		   "updated (%s): until a refresh succeeds, the cached state is the old one\n",
		   cerr->message);
}

static enum sc_status set_sending(struct core *core, const struct verb_args *args,
                                  struct verb_result *res, bool enable, struct sc_error *err)
{
	struct sc_error cerr;
	const char *reason = verb_opt(args, "reason"), *cset = verb_opt(args, "config-set");
	struct verb_target t;
	enum sc_status st;
	cJSON *o;

	if (!reason || !*reason)
		return sc_fail(err, SC_USAGE,
		               "--reason is required (it goes into the audit trail)");
	res->audit_reason = xstrdup(reason);
	res->audit_action = enable ? AUDIT_ACTION_RESUME : AUDIT_ACTION_PAUSE;
	res->audit_config_set = cset ? xstrdup(cset) : NULL;
	st = verb_target_open(core, &t, err);
	if (st)
		return st;
	if (cset) {
		struct ses_config_set cs = {0};

		st = sesv2_get_config_set(&t.ses.ctx, cset, &cs, err); /* fresh: it must exist */
		ses_config_set_free(&cs);
		if (!st)
			st = sesv2_put_config_set_sending(&t.ses.ctx, cset, enable, err);
		if (!st)
			st = sesv2_get_config_set_full(&t.ses.ctx, cset, &cs, err);
		if (!st) {
			cs.fetched = time(NULL);
			if (cache_put_config_set(t.cache, t.account, t.region, &cs, &cerr))
				cache_behind(res, &cerr);
			if (cs.sending_enabled != enable)
				st = sc_fail(err, SC_ERR,
				             "configuration set %s still reads sending %s", cset,
				             cs.sending_enabled ? "enabled" : "disabled");
		}
		ses_config_set_free(&cs);
	} else {
		struct ses_account a = {0};

		/* read back from SES itself: the cache is a copy, and a cache that cannot be
		 * written (a full disk) does not make a change that was made a failure */
		st = sesv2_put_account_sending(&t.ses.ctx, enable, err);
		if (!st)
			st = sesv2_get_account(&t.ses.ctx, &a, err);
		if (!st) {
			free(a.account_id);
			a.account_id = xstrdup(t.account);
			free(a.region);
			a.region = xstrdup(t.region);
			a.fetched = time(NULL);
			if (cache_put_account(t.cache, t.account, t.region, &a, &cerr))
				cache_behind(res, &cerr);
		}
		if (!st && a.sending_enabled != enable)
			st = sc_fail(
			    err, SC_ERR,
			    "account %s in %s still reads sending %s (AWS may have paused it: "
			    "only AWS support can resume that)",
			    t.account, t.region, a.sending_enabled ? "enabled" : "disabled");
		ses_account_free(&a);
	}
	if (st)
		return st;
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "sending", enable ? "enabled" : "paused");
	cJSON_AddStringToObject(o, "scope", cset ? "configuration-set" : "account");
	jm_str(o, "configuration_set", cset);
	jm_str(o, "account", t.account);
	jm_str(o, "region", t.region);
	jm_str(o, "reason", reason);
	jm_time(o, "at", time(NULL));
	res->json = o;
	return SC_OK;
}

enum sc_status verb_sending_pause(struct core *core, const struct verb_args *args,
                                  struct verb_result *res, struct sc_error *err)
{
	return set_sending(core, args, res, false, err);
}

enum sc_status verb_sending_resume(struct core *core, const struct verb_args *args,
                                   struct verb_result *res, struct sc_error *err)
{
	return set_sending(core, args, res, true, err);
}

/* ---- identity create ---- */

/* The base64 body of a PEM file: what SES takes as DomainSigningPrivateKey. */
static void pem_body(struct buf *out, const char *pem)
{
	const char *p = pem;

	while (*p) {
		size_t n = strcspn(p, "\n");

		if (n && strncmp(p, "-----", 5)) {
			for (size_t i = 0; i < n; i++)
				if (p[i] != '\r' && p[i] != ' ')
					buf_putc(out, p[i]);
		}
		p += n + (p[n] == '\n');
	}
}

static enum sc_status read_key_file(const char *path, struct buf *pem, struct sc_error *err)
{
	char chunk[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return sc_fail(err, SC_USAGE, "cannot read private key %s: %s", path,
		               strerror(errno));
	while ((n = read(fd, chunk, sizeof(chunk))) > 0 && pem->len < 65536)
		buf_append(pem, chunk, (size_t)n);
	secure_zero(chunk, sizeof(chunk));
	close(fd);
	if (!strstr(buf_str(pem), "PRIVATE KEY-----"))
		return sc_fail(err, SC_USAGE, "%s is not a PEM private key", path);
	return SC_OK;
}

static enum sc_status generate_key(int bits, struct buf *pem, struct sc_error *err)
{
	EVP_PKEY *key = EVP_RSA_gen((unsigned)bits);
	BIO *bio = BIO_new(BIO_s_mem());
	char *data = NULL;
	long n;

	if (!key || !bio ||
	    !PEM_write_bio_PrivateKey_traditional(bio, key, NULL, NULL, 0, NULL, NULL)) {
		EVP_PKEY_free(key);
		BIO_free(bio);
		return sc_fail(err, SC_ERR, "could not generate an RSA-%d key", bits);
	}
	n = BIO_get_mem_data(bio, &data);
	buf_append(pem, data, (size_t)n);
	secure_zero(data, (size_t)n);
	BIO_free(bio);
	EVP_PKEY_free(key);
	return SC_OK;
}

static enum sc_status write_key_file(const char *path, const struct buf *pem, struct sc_error *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	ssize_t n;

	if (fd < 0)
		return sc_fail(err, SC_IO, "cannot create %s: %s (it must not exist yet)", path,
		               strerror(errno));
	n = write(fd, pem->data, pem->len);
	if (close(fd) || n != (ssize_t)pem->len)
		return sc_fail(err, SC_IO, "could not write %s", path);
	return SC_OK;
}

struct create_plan {
	struct sesv2_dkim_signing dkim;
	struct buf pem; /* secret: wiped */
	struct buf b64; /* secret: wiped */
	char *public_key;
	bool use_dkim;
};

static enum sc_status plan_dkim(const struct verb_args *args, bool domain, struct create_plan *p,
                                struct sc_error *err)
{
	const char *len = verb_opt(args, "key-length"), *sel = verb_opt(args, "selector");
	const char *keyfile = verb_opt(args, "private-key"), *out = verb_opt(args, "write-key");
	bool gen = verb_flag(args, "generate-key");
	enum sc_status st;

	if (!domain && (len || sel || keyfile || gen))
		return sc_fail(err, SC_USAGE, "DKIM options apply to domain identities only");
	if (len && strcmp(len, "1024") && strcmp(len, "2048"))
		return sc_fail(err, SC_USAGE, "--key-length must be 1024 or 2048");
	if ((keyfile || gen) && !sel)
		return sc_fail(err, SC_USAGE,
		               "BYODKIM needs --selector with --private-key or --generate-key");
	if (sel && !!keyfile == gen)
		return sc_fail(err, SC_USAGE,
		               "give exactly one of --private-key FILE or --generate-key");
	if (gen && !out)
		return sc_fail(
		    err, SC_USAGE,
		    "--generate-key needs --write-key FILE (0600) so the private key is not lost");
	if (len) {
		p->dkim.next_key_length = !strcmp(len, "1024") ? "RSA_1024_BIT" : "RSA_2048_BIT";
		p->use_dkim = true;
	}
	if (!sel)
		return SC_OK;
	st = keyfile ? read_key_file(keyfile, &p->pem, err)
	             : generate_key(len && !strcmp(len, "1024") ? 1024 : 2048, &p->pem, err);
	if (!st)
		st = dns_byodkim_public_key(buf_str(&p->pem), p->pem.len, &p->public_key, err);
	if (!st && gen)
		st = write_key_file(out, &p->pem, err);
	if (st)
		return st;
	pem_body(&p->b64, buf_str(&p->pem));
	p->dkim.selector = sel;
	p->dkim.private_key = buf_str(&p->b64);
	p->dkim.next_key_length = NULL;
	p->use_dkim = true;
	return SC_OK;
}

enum sc_status verb_identity_create(struct core *core, const struct verb_args *args,
                                    struct verb_result *res, struct sc_error *err)
{
	const char *input = args->argv[0];
	bool domain = !strchr(input, '@');
	struct create_plan p = {0};
	struct dns_name name = {0};
	struct ses_identity x = {0};
	struct verb_target t;
	enum sc_status st = SC_OK;

	if (domain)
		st = dns_name_normalize(input, 0, &name, err);
	if (!st)
		st = plan_dkim(args, domain, &p, err);
	if (!st)
		st = verb_target_open(core, &t, err);
	if (!st)
		st = sesv2_create_email_identity(&t.ses.ctx, domain ? name.alabel : input,
		                                 p.use_dkim ? &p.dkim : NULL,
		                                 verb_opt(args, "config-set"), NULL, err);
	buf_wipe(&p.pem);
	buf_wipe(&p.b64);
	if (!st)
		st = sesv2_get_email_identity(&t.ses.ctx, domain ? name.alabel : input, &x, err);
	if (!st) {
		cache_put_identity(t.cache, t.account, t.region, &x, NULL);
		res->json = jm_identity(&x, t.region, time(NULL));
	}
	if (!st && domain) {
		struct dns_gen_opts go = {.byodkim_public_key = p.public_key};
		struct dns_record_set set;

		dns_record_set_init(&set);
		if (dns_records_for_identity(&set, &x, t.account, t.region, &go, NULL) == SC_OK) {
			buf_printf(&res->text, "created %s in %s; publish these records:\n\n",
			           name.ulabel, t.region);
			dns_export_table(&res->text, &set);
			res->text_only = true;
		}
		dns_record_set_free(&set);
	}
	free(p.public_key);
	ses_identity_free(&x);
	dns_name_free(&name);
	return st;
}

/* ---- identity delete ---- */

enum sc_status verb_identity_delete(struct core *core, const struct verb_args *args,
                                    struct verb_result *res, struct sc_error *err)
{
	const char *name = args->argv[0];
	struct ses_identity x = {0};
	struct verb_target t;
	enum sc_status st = verb_target_open(core, &t, err);
	cJSON *o;

	if (!st)
		st = sesv2_get_email_identity(&t.ses.ctx, name, &x, err); /* fresh: it must exist */
	ses_identity_free(&x);
	if (!st)
		st = sesv2_delete_email_identity(&t.ses.ctx, name, err);
	if (st)
		return st;
	cache_delete_identity(t.cache, t.account, t.region, name, NULL);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "deleted", name);
	cJSON_AddStringToObject(o, "region", t.region);
	res->json = o;
	return SC_OK;
}
