#ifndef SESCTL_SES_SUPPRESSION_H
#define SESCTL_SES_SUPPRESSION_H

/*
 * SES the account-level suppression list.
 *
 * Calls of both protocols for this family; the three layers (build, parse, call),
 * ownership and tolerance rules are in ses/sesv2.h (REST-JSON) and ses/sesv1.h (Query/XML).
 */

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "sesctl/ses/model.h"
#include "sesctl/ses/request.h"
#include "sesctl/util/err.h"

struct sesv2_suppression_filter {
	bool bounce;                      /* Reason=BOUNCE */
	bool complaint;                   /* Reason=COMPLAINT; neither = both */
	time_t start, end;                /* 0 = leave out */
	const char *next_token;
	int page_size;                    /* 0 = leave out */
};
void sesv2_suppressed_list_free(struct ses_suppressed *v, size_t n);
void sesv2_build_list_suppressed(struct ses_request *r, const struct sesv2_suppression_filter *f);
enum sc_status sesv2_build_get_suppressed(struct ses_request *r, const char *email,
					  struct sc_error *err);
/* reason BOUNCE | COMPLAINT */
enum sc_status sesv2_build_put_suppressed(struct ses_request *r, const char *email,
					  const char *reason, struct sc_error *err);
enum sc_status sesv2_build_delete_suppressed(struct ses_request *r, const char *email,
					     struct sc_error *err);
/* Appends. Required: SuppressedDestinationSummaries (array), each EmailAddress, Reason. */
enum sc_status sesv2_parse_list_suppressed(const char *body, size_t len, struct ses_suppressed **v,
					   size_t *n, char **next_token, struct sc_error *err);
/* Required: SuppressedDestination.EmailAddress, .Reason. */
enum sc_status sesv2_parse_get_suppressed(const char *body, size_t len, struct ses_suppressed *out,
					  struct sc_error *err);
/* One page (f->next_token / *next_token drive paging). */
enum sc_status sesv2_list_suppressed(const struct ses_ctx *ctx,
				     const struct sesv2_suppression_filter *f,
				     struct ses_suppressed **v, size_t *n, char **next_token,
				     struct sc_error *err);
enum sc_status sesv2_get_suppressed(const struct ses_ctx *ctx, const char *email,
				    struct ses_suppressed *out, struct sc_error *err);
enum sc_status sesv2_put_suppressed(const struct ses_ctx *ctx, const char *email,
				    const char *reason, struct sc_error *err);
enum sc_status sesv2_delete_suppressed(const struct ses_ctx *ctx, const char *email,
				       struct sc_error *err);

#endif
