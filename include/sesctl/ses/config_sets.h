#ifndef SESCTL_SES_CONFIG_SETS_H
#define SESCTL_SES_CONFIG_SETS_H

/*
 * SES configuration sets (SESv2): list, read, create, delete, every option block, event
 * destinations, and an identity's default set.
 *
 * Layers (build, parse, call), ownership and tolerance rules are in ses/sesv2.h. Option
 * blocks are written whole: SES replaces a block on each Put, so a caller that changes one
 * field reads the set, changes the field in its copy and puts the block back
 * (core/verbs_config_sets.c does).
 */

#include <stdbool.h>
#include <stddef.h>

#include "sesctl/ses/model.h"
#include "sesctl/ses/request.h"
#include "sesctl/util/err.h"

/* The Put*Options blocks of a set. */
enum ses_cs_block {
	SES_CS_DELIVERY,    /* TlsPolicy, SendingPoolName, MaxDeliverySeconds */
	SES_CS_REPUTATION,  /* ReputationMetricsEnabled */
	SES_CS_SENDING,     /* SendingEnabled */
	SES_CS_SUPPRESSION, /* SuppressedReasons, ValidationOptions */
	SES_CS_TRACKING,    /* CustomRedirectDomain, HttpsPolicy */
	SES_CS_VDM,         /* DashboardOptions, GuardianOptions */
	SES_CS_ARCHIVING,   /* ArchiveArn (absent: detached) */
	SES_CS_BLOCKS
};
const char *ses_cs_block_op(enum ses_cs_block b); /* "PutConfigurationSetDeliveryOptions" */

/* Checks made before any request; SC_USAGE with a sentence that says what is wrong. */
enum sc_status ses_config_set_name_check(const char *name, struct sc_error *err);
/* Name rules, exactly one destination kind, at least one known event type, the ARN's shape
 * for its kind (EventBridge: the default bus only; Firehose: a role ARN too), CloudWatch
 * dimensions (1..10, name/source/default rules). */
enum sc_status ses_event_dest_check(const struct ses_event_dest *d, struct sc_error *err);

void sesv2_build_list_config_sets(struct ses_request *r, const char *next_token, int page_size);
enum sc_status sesv2_build_get_config_set(struct ses_request *r, const char *name,
					  struct sc_error *err);
/* Every block cs has (delivery when any of its fields is set, suppression when
 * suppression_set, tracking when tracking_domain, …; reputation and sending always) and
 * the tags. */
enum sc_status sesv2_build_create_config_set(struct ses_request *r,
					     const struct ses_config_set *cs, struct sc_error *err);
enum sc_status sesv2_build_delete_config_set(struct ses_request *r, const char *name,
					     struct sc_error *err);
/* PUT one block of cs (cs->name is the set). */
enum sc_status sesv2_build_put_config_set_block(struct ses_request *r,
						const struct ses_config_set *cs,
						enum ses_cs_block block, struct sc_error *err);
enum sc_status sesv2_build_put_config_set_sending(struct ses_request *r, const char *name,
						 bool enabled, struct sc_error *err);
void sesv2_build_get_event_dests(struct ses_request *r, const char *set);
/* create: POST with EventDestinationName; else PUT …/event-destinations/NAME with the
 * whole definition. d is checked with ses_event_dest_check() first. */
enum sc_status sesv2_build_put_event_dest(struct ses_request *r, const char *set,
					  const struct ses_event_dest *d, bool create,
					  struct sc_error *err);
enum sc_status sesv2_build_delete_event_dest(struct ses_request *r, const char *set,
					     const char *dest, struct sc_error *err);
/* set NULL clears the identity's default configuration set. */
enum sc_status sesv2_build_put_identity_config_set(struct ses_request *r, const char *identity,
						   const char *set, struct sc_error *err);

/* Appends names. Required: ConfigurationSets (array of strings). */
enum sc_status sesv2_parse_list_config_sets(const char *body, size_t len, char ***v, size_t *n,
					    char **next_token, struct sc_error *err);
/* Required: ConfigurationSetName. SendingEnabled absent = true (the service default). Every
 * option block is optional; unknown members are ignored. */
enum sc_status sesv2_parse_get_config_set(const char *body, size_t len, struct ses_config_set *out,
					  struct sc_error *err);
/* Required: EventDestinations[], each with Name. Event types this version does not know are
 * kept in unknown_events; a destination kind it does not know is SES_DEST_NONE. *v is
 * malloc'd (NULL when empty); free each with ses_event_dest_free(), then *v. */
enum sc_status sesv2_parse_event_dests(const char *body, size_t len, struct ses_event_dest **v,
				       size_t *n, struct sc_error *err);

/* All pages. */
enum sc_status sesv2_list_config_sets(const struct ses_ctx *ctx, char ***v, size_t *n,
				      struct sc_error *err);
enum sc_status sesv2_get_config_set(const struct ses_ctx *ctx, const char *name,
				    struct ses_config_set *out, struct sc_error *err);
/* GetConfigurationSet + GetConfigurationSetEventDestinations (dests_known set). */
enum sc_status sesv2_get_config_set_full(const struct ses_ctx *ctx, const char *name,
					 struct ses_config_set *out, struct sc_error *err);
enum sc_status sesv2_create_config_set(const struct ses_ctx *ctx, const struct ses_config_set *cs,
				       struct sc_error *err);
enum sc_status sesv2_delete_config_set(const struct ses_ctx *ctx, const char *name,
				       struct sc_error *err);
enum sc_status sesv2_put_config_set_block(const struct ses_ctx *ctx,
					  const struct ses_config_set *cs, enum ses_cs_block block,
					  struct sc_error *err);
enum sc_status sesv2_put_config_set_sending(const struct ses_ctx *ctx, const char *name,
					    bool enabled, struct sc_error *err);
enum sc_status sesv2_get_event_dests(const struct ses_ctx *ctx, const char *set,
				     struct ses_event_dest **v, size_t *n, struct sc_error *err);
enum sc_status sesv2_put_event_dest(const struct ses_ctx *ctx, const char *set,
				    const struct ses_event_dest *d, bool create, struct sc_error *err);
enum sc_status sesv2_delete_event_dest(const struct ses_ctx *ctx, const char *set,
				       const char *dest, struct sc_error *err);
enum sc_status sesv2_put_identity_config_set(const struct ses_ctx *ctx, const char *identity,
					     const char *set, struct sc_error *err);

/* Tags of a SESv2 resource (sesctl tags configuration sets). Keys: 1..128 characters, not
 * starting with aws:; values at most 256 (ses_tag_check(), value NULL: the key alone). */
void ses_config_set_arn(char *out, size_t size, const char *region, const char *account,
			const char *name); /* arn:PARTITION:ses:REGION:ACCOUNT:configuration-set/NAME */
enum sc_status ses_tag_check(const char *key, const char *value, struct sc_error *err);
enum sc_status sesv2_build_tag_resource(struct ses_request *r, const char *arn,
					const struct ses_tag *tags, size_t n, struct sc_error *err);
enum sc_status sesv2_build_untag_resource(struct ses_request *r, const char *arn,
					  char *const *keys, size_t n, struct sc_error *err);
enum sc_status sesv2_tag_resource(const struct ses_ctx *ctx, const char *arn,
				  const struct ses_tag *tags, size_t n, struct sc_error *err);
enum sc_status sesv2_untag_resource(const struct ses_ctx *ctx, const char *arn,
				    char *const *keys, size_t n, struct sc_error *err);

#endif
