#include "sesctl/core/settings.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "sesctl/util/buf.h"
#include "sesctl/util/file.h"

static void profile_init(struct settings_profile *p, const char *name)
{
	memset(p, 0, sizeof(*p));
	p->name = xstrdup(name);
	p->read_only = -1;
	p->protected_ = -1;
	p->refresh = -1;
}

static void profile_free(struct settings_profile *p)
{
	free(p->name);
	free(p->alias);
	free(p->theme);
	for (size_t i = 0; i < p->n_regions; i++)
		free(p->regions[i]);
	free(p->regions);
	memset(p, 0, sizeof(*p));
}

static void strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void fleet_section_free(struct settings_fleet *f)
{
	free(f->name);
	strv_free(f->profiles, f->n_profiles);
	strv_free(f->regions, f->n_regions);
	memset(f, 0, sizeof(*f));
}

void settings_free(struct settings *s)
{
	free(s->path);
	profile_free(&s->global);
	for (size_t i = 0; i < s->n_profiles; i++)
		profile_free(&s->profiles[i]);
	free(s->profiles);
	for (size_t i = 0; i < s->n_keys; i++) {
		free(s->keys[i].key);
		free(s->keys[i].value);
	}
	free(s->keys);
	for (size_t i = 0; i < s->n_fleets; i++)
		fleet_section_free(&s->fleets[i]);
	free(s->fleets);
	memset(s, 0, sizeof(*s));
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int parse_bool(const char *v)
{
	if (!strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcmp(v, "1") ||
	    !strcasecmp(v, "on"))
		return 1;
	if (!strcasecmp(v, "false") || !strcasecmp(v, "no") || !strcmp(v, "0") ||
	    !strcasecmp(v, "off"))
		return 0;
	return -1;
}

/* Append the comma- or blank-separated words of v to *out. */
static void split_words(char ***out, size_t *n, const char *v)
{
	char *copy = xstrdup(v), *save = NULL;

	for (char *tok = strtok_r(copy, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save)) {
		*out = xrealloc(*out, (*n + 1) * sizeof(**out));
		(*out)[(*n)++] = xstrdup(tok);
	}
	free(copy);
}

static void split_regions(struct settings_profile *p, const char *v)
{
	split_words(&p->regions, &p->n_regions, v);
}

static enum sc_status set_fleet_key(struct settings_fleet *f, const char *k, const char *v,
				    const char *where, struct sc_error *err)
{
	if (!strcmp(k, "profiles")) {
		split_words(&f->profiles, &f->n_profiles, v);
	} else if (!strcmp(k, "regions")) {
		f->active = !strcmp(v, "active");
		if (!f->active)
			split_words(&f->regions, &f->n_regions, v);
	} else {
		return sc_fail(err, SC_CONFIG, "%s: unknown fleet setting '%s' (profiles, regions)",
			       where, k);
	}
	return SC_OK;
}

static struct settings_fleet *section_fleet(struct settings *s, const char *name)
{
	for (size_t i = 0; i < s->n_fleets; i++)
		if (!strcmp(s->fleets[i].name, name))
			return &s->fleets[i];
	s->fleets = xrealloc(s->fleets, (s->n_fleets + 1) * sizeof(*s->fleets));
	memset(&s->fleets[s->n_fleets], 0, sizeof(*s->fleets));
	s->fleets[s->n_fleets].name = xstrdup(name);
	return &s->fleets[s->n_fleets++];
}

const struct settings_fleet *settings_fleet(const struct settings *s, const char *name)
{
	for (size_t i = 0; s && i < s->n_fleets; i++)
		if (!strcmp(s->fleets[i].name, name ? name : ""))
			return &s->fleets[i];
	return NULL;
}

static enum sc_status set_profile_key(struct settings_profile *p, const char *k, const char *v,
                                      const char *where, struct sc_error *err)
{
	int b;

	if (!strcmp(k, "read_only") || !strcmp(k, "protected")) {
		b = parse_bool(v);
		if (b < 0)
			return sc_fail(err, SC_CONFIG, "%s: %s must be true or false, not '%s'",
			               where, k, v);
		if (k[0] == 'r')
			p->read_only = b;
		else
			p->protected_ = b;
	} else if (!strcmp(k, "alias")) {
		free(p->alias);
		p->alias = xstrdup(v);
	} else if (!strcmp(k, "theme")) {
		free(p->theme);
		p->theme = xstrdup(v);
	} else if (!strcmp(k, "regions")) {
		split_regions(p, v);
	} else if (!strcmp(k, "refresh")) {
		char *end;
		long n = strtol(v, &end, 10);

		if (*end || n < 0 || n > 86400)
			return sc_fail(err, SC_CONFIG,
			               "%s: refresh must be seconds (0-86400), not '%s'", where, v);
		p->refresh = (int)n;
	} else {
		return sc_fail(err, SC_CONFIG, "%s: unknown setting '%s'", where, k);
	}
	return SC_OK;
}

static struct settings_profile *section_profile(struct settings *s, const char *name)
{
	for (size_t i = 0; i < s->n_profiles; i++)
		if (!strcmp(s->profiles[i].name, name))
			return &s->profiles[i];
	s->profiles = xrealloc(s->profiles, (s->n_profiles + 1) * sizeof(*s->profiles));
	profile_init(&s->profiles[s->n_profiles], name);
	return &s->profiles[s->n_profiles++];
}

enum sc_status settings_parse(const char *text, size_t len, const char *name, struct settings *out,
                              struct sc_error *err)
{
	char *copy = xstrndup(text, len), *line, *next;
	struct settings_profile *cur;
	struct settings_fleet *fleet = NULL;
	bool in_keys = false;
	enum sc_status st = SC_OK;
	char where[512];
	int lineno = 0;

	memset(out, 0, sizeof(*out));
	profile_init(&out->global, "");
	cur = &out->global;
	for (line = copy; line; line = next) {
		char *s, *eq;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		s = trim(line);

		lineno++;
		snprintf(where, sizeof(where), "%s:%d", name, lineno);
		if (!*s || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			char *close = strchr(s, ']');

			if (!close || close[1]) {
				st = sc_fail(err, SC_CONFIG, "%s: malformed section header", where);
				break;
			}
			*close = '\0';
			s = trim(s + 1);
			in_keys = !strcmp(s, "keys");
			fleet = NULL;
			if (!strcmp(s, "fleet") || !strncmp(s, "fleet ", 6)) {
				fleet = section_fleet(out, s[5] ? trim(s + 6) : "");
			} else if (!strcmp(s, "global") || in_keys) {
				cur = &out->global;
			} else if (!strncmp(s, "profile ", 8)) {
				cur = section_profile(out, trim(s + 8));
			} else if (!strcmp(s, "default")) {
				cur = section_profile(out, "default");
			} else {
				st = sc_fail(err, SC_CONFIG,
				             "%s: unknown section [%s] (use [global], [keys], "
				             "[profile NAME] or [fleet NAME])",
				             where, s);
				break;
			}
			continue;
		}
		eq = strchr(s, '=');
		if (!eq) {
			st = sc_fail(err, SC_CONFIG, "%s: expected 'key = value'", where);
			break;
		}
		*eq = '\0';
		if (in_keys) {
			out->keys = xrealloc(out->keys, (out->n_keys + 1) * sizeof(*out->keys));
			out->keys[out->n_keys].key = xstrdup(trim(s));
			out->keys[out->n_keys++].value = xstrdup(trim(eq + 1));
			continue;
		}
		if (fleet)
			st = set_fleet_key(fleet, trim(s), trim(eq + 1), where, err);
		else
			st = set_profile_key(cur, trim(s), trim(eq + 1), where, err);
		if (st)
			break;
	}
	free(copy);
	if (st)
		settings_free(out);
	return st;
}

char *settings_default_path(void)
{
	const char *x = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	struct buf b = BUF_INIT;

	if (x && x[0] == '/')
		buf_printf(&b, "%s/sesctl/config", x);
	else
		buf_printf(&b, "%s/.config/sesctl/config", home && *home ? home : ".");
	return buf_steal(&b);
}

enum sc_status settings_load(const char *path, struct settings *out, struct sc_error *err)
{
	const char *env = getenv("SESCTL_CONFIG");
	char *p = path ? xstrdup(path) : env && *env ? xstrdup(env) : settings_default_path();
	struct buf text = BUF_INIT;
	char chunk[4096];
	enum sc_status st;
	size_t n;
	FILE *f;
	int fd;

	fd = file_open_regular(p); /* SESCTL_CONFIG may name a FIFO: never block on it */
	f = fd >= 0 ? fdopen(fd, "r") : NULL;
	if (!f && fd >= 0)
		close(fd);
	if (!f) {
		if (errno != ENOENT) {
			st = sc_fail(err, SC_CONFIG, "cannot read %s: %s", p, file_strerror(errno));
			free(p);
			return st;
		}
		memset(out, 0, sizeof(*out));
		profile_init(&out->global, "");
		out->path = p;
		return SC_OK;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&text, chunk, n);
	fclose(f);
	st = settings_parse(buf_str(&text), text.len, p, out, err);
	buf_free(&text);
	if (st) {
		free(p);
		return st;
	}
	out->path = p;
	return SC_OK;
}

void settings_view(const struct settings *s, const char *profile, struct settings_view *out)
{
	const struct settings_profile *p = NULL, *g = &s->global;

	for (size_t i = 0; profile && i < s->n_profiles; i++)
		if (!strcmp(s->profiles[i].name, profile))
			p = &s->profiles[i];
#define PICK(field, unset) (p && p->field != (unset) ? p->field : g->field)
	out->read_only = PICK(read_only, -1) == 1;
	out->protected_ = PICK(protected_, -1) == 1;
	out->alias = PICK(alias, NULL);
	out->theme = PICK(theme, NULL);
	out->refresh = PICK(refresh, -1);
#undef PICK
	if (!out->theme)
		out->theme = "default";
	if (out->refresh < 0)
		out->refresh = 300;
	if (p && p->n_regions) {
		out->regions = p->regions;
		out->n_regions = p->n_regions;
	} else {
		out->regions = g->regions;
		out->n_regions = g->n_regions;
	}
}
