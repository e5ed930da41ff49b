#include "sesctl/ses/mailmanager.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/ses/jsonr.h"
#include "sesctl/util/buf.h"

static const struct mm_list_row {
	const char *op, *target, *array, *kind, *id, *name, *status, *time;
} lists[MM_LIST_COUNT] = {
#define MM_ROW(id_, op, arr, kind, idf, namef, statusf, timef) \
	{op, "MailManagerSvc." op, arr, kind, idf, namef, statusf, timef},
	MM_LIST_INFO(MM_ROW)
#undef MM_ROW
};

void mm_items_free(struct ses_mm_item *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ses_mm_item_free(&v[i]);
	free(v);
}

enum sc_status mm_build_list(struct ses_request *r, enum mm_list which, const char *next_token,
			     int page_size, struct sc_error *err)
{
	memset(r, 0, sizeof(*r));
	if ((unsigned)which >= MM_LIST_COUNT)
		return sc_fail(err, SC_USAGE, "Mail Manager: unknown list");
	if (page_size < 0 || page_size > 50)
		return sc_fail(err, SC_USAGE, "%s: the page size must be 1 to 50", lists[which].op);
	ses_request_init(r, SES_SVC_MAILMANAGER, lists[which].op, "POST");
	buf_putc(&r->path, '/');
	r->content_type = "application/x-amz-json-1.0";
	r->target = lists[which].target;
	ses_json_open(&r->body, '{');
	ses_json_kv(&r->body, "NextToken", next_token && *next_token ? next_token : NULL);
	if (page_size) {
		ses_json_key(&r->body, "PageSize");
		ses_json_num(&r->body, page_size);
	}
	ses_json_close(&r->body, '}');
	return SC_OK;
}

static void parse_item(struct jr *r, const struct mm_list_row *row, const cJSON *it,
		       struct ses_mm_item *x)
{
	x->id = jr_str(r, it, row->id, JR_REQUIRED);
	x->kind = xstrdup(row->kind);
	x->name = jr_str(r, it, row->name, JR_OPTIONAL);
	if (row->status)
		x->status = jr_str(r, it, row->status, JR_OPTIONAL);
	if (row->time)
		jr_time(r, it, row->time, JR_OPTIONAL, &x->modified);
	if (!strcmp(row->kind, "ingress-point")) {
		char *type = jr_str(r, it, "Type", JR_OPTIONAL);
		char *a = jr_str(r, it, "ARecord", JR_OPTIONAL);
		struct buf b = BUF_INIT;

		if (type)
			buf_puts(&b, type);
		if (type && a)
			buf_putc(&b, ' ');
		if (a)
			buf_puts(&b, a);
		x->detail = b.len ? buf_steal(&b) : NULL;
		buf_free(&b);
		free(type);
		free(a);
	}
}

enum sc_status mm_parse_list(enum mm_list which, const char *body, size_t len,
			     struct ses_mm_item **v, size_t *n, char **next_token,
			     struct sc_error *err)
{
	const struct mm_list_row *row;
	struct jr r = {"Mail Manager", NULL, err, SC_OK};
	const cJSON *arr, *it;
	cJSON *root;
	size_t base = *n;

	if ((unsigned)which >= MM_LIST_COUNT)
		return sc_fail(err, SC_USAGE, "Mail Manager: unknown list");
	row = &lists[which];
	r.op = row->op;
	root = jr_parse(&r, body, len);
	arr = jr_arr(&r, root, row->array, JR_REQUIRED);
	if (r.st != SC_OK) {
		cJSON_Delete(root);
		return r.st;
	}
	*v = xrealloc(*v, (base + (size_t)cJSON_GetArraySize(arr) + 1) * sizeof(**v));
	r.scope = row->array;
	cJSON_ArrayForEach(it, arr) {
		struct ses_mm_item *x = &(*v)[(*n)++];

		memset(x, 0, sizeof(*x));
		parse_item(&r, row, it, x);
		if (r.st != SC_OK)
			break;
	}
	r.scope = NULL;
	if (r.st == SC_OK && next_token) {
		free(*next_token);
		*next_token = jr_str(&r, root, "NextToken", JR_OPTIONAL);
	}
	if (r.st != SC_OK)
		while (*n > base)
			ses_mm_item_free(&(*v)[--(*n)]);
	cJSON_Delete(root);
	return r.st;
}

enum sc_status mm_list(const struct ses_ctx *ctx, enum mm_list which, struct ses_mm_item **v,
		       size_t *n, struct sc_error *err)
{
	char *token = NULL, *prev = NULL;
	struct ses_pager pager = {.op = lists[which].op};
	enum sc_status st = SC_OK;

	*v = NULL;
	*n = 0;
	for (int page = 0; st == SC_OK && page < 10000; page++) {
		struct ses_request r;
		struct aws_reply reply;

		st = mm_build_list(&r, which, token, 50, err);
		if (st != SC_OK)
			break;
		st = ses_call(ctx, &r, &reply, err);
		ses_request_free(&r);
		if (st != SC_OK)
			break;
		free(prev);
		prev = token;
		token = NULL;
		st = mm_parse_list(which, reply.body.data, reply.body.len, v, n, &token, err);
		aws_reply_free(&reply);
		if (st == SC_OK)
			st = ses_pager_next(&pager, token, *n, err);
		if (!token)
			break;
	}
	free(prev);
	ses_pager_free(&pager);
	free(token);
	if (st != SC_OK) {
		mm_items_free(*v, *n);
		*v = NULL;
		*n = 0;
	}
	return st;
}
