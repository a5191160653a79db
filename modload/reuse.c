/*
 * The -reuse file of go mod download (modload.ListModules, go1.26): the
 * JSON objects an earlier `go mod download -json` or `go list -m -json`
 * printed, one after another.  Each one with an Origin is an old answer
 * for its path@version and, when it has a Query, for path@query; a later
 * object replaces an earlier one under the same key.  The file is
 * decoded as encoding/json's Decoder decodes a modinfo.ModulePublic
 * stream, with its errors ("unexpected EOF", "invalid character ...",
 * "json: cannot unmarshal ... into Go struct field ...").
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "modload/modload.h"

/* What a ModulePublic field holds, for encoding/json's type errors. */
enum ftype { F_STRING, F_BOOL, F_STRINGS, F_MODULE, F_ORIGIN, F_ERROR, F_TIME };

static const struct {
	const char *name;
	enum ftype t;
} module_fields[] = {
	{"Path", F_STRING},     {"Version", F_STRING},     {"Query", F_STRING},     {"Versions", F_STRINGS},
	{"Replace", F_MODULE},  {"Time", F_TIME},          {"Update", F_MODULE},    {"Main", F_BOOL},
	{"Indirect", F_BOOL},   {"Dir", F_STRING},         {"GoMod", F_STRING},     {"GoVersion", F_STRING},
	{"Retracted", F_STRINGS}, {"Deprecated", F_STRING}, {"Error", F_ERROR},     {"Sum", F_STRING},
	{"GoModSum", F_STRING}, {"Origin", F_ORIGIN},      {"Reuse", F_BOOL},
};

/* codehost.Origin's fields, in the order json.Marshal writes them. */
static const char *const origin_fields[] = {"VCS", "URL", "Subdir", "Hash", "TagPrefix", "TagSum", "Ref", "RepoSum"};

/* json_kind is the JSON type name encoding/json's UnmarshalTypeError uses. */
static const char *json_kind(const cJSON *v)
{
	if (cJSON_IsString(v))
		return "string";
	if (cJSON_IsNumber(v))
		return "number";
	if (cJSON_IsBool(v))
		return "bool";
	if (cJSON_IsArray(v))
		return "array";
	return "object";
}

/* field_index is the ModulePublic field name matches (encoding/json
 * matches names without regard to case), or -1. */
static int field_index(const char *name)
{
	for (size_t i = 0; i < countof(module_fields); i++)
		if (strcasecmp(module_fields[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* check_origin reports the first field of an Origin object of the wrong type. */
static int check_origin(const cJSON *o, struct err *e)
{
	const cJSON *f;

	cJSON_ArrayForEach(f, o) {
		for (size_t i = 0; i < countof(origin_fields); i++)
			if (f->string && strcasecmp(f->string, origin_fields[i]) == 0 && !cJSON_IsNull(f) && !cJSON_IsString(f))
				return err_setf(e, "json: cannot unmarshal %s into Go struct field Origin.Origin.%s of type string",
				                json_kind(f), origin_fields[i]);
	}
	return 0;
}

/* check_module reports the first field of a ModulePublic object of the
 * wrong type, as json.Unmarshal would (struct is the Go struct name the
 * message uses for a field of this object). */
static int check_module(const cJSON *m, const char *gostruct, struct err *e)
{
	const cJSON *f;

	cJSON_ArrayForEach(f, m) {
		int k = f->string ? field_index(f->string) : -1;
		const char *want = NULL;
		if (k < 0 || cJSON_IsNull(f))
			continue;
		switch (module_fields[k].t) {
		case F_STRING:
		case F_TIME:
			if (!cJSON_IsString(f))
				want = module_fields[k].t == F_TIME ? "time.Time" : "string";
			break;
		case F_BOOL:
			if (!cJSON_IsBool(f))
				want = "bool";
			break;
		case F_STRINGS:
			if (!cJSON_IsArray(f)) {
				want = "[]string";
			} else {
				const cJSON *s;
				cJSON_ArrayForEach(s, f) {
					if (!cJSON_IsString(s) && !cJSON_IsNull(s))
						return err_setf(e, "json: cannot unmarshal %s into Go struct field %s.%s of type string",
						                json_kind(s), gostruct, module_fields[k].name);
				}
			}
			break;
		case F_MODULE:
			if (!cJSON_IsObject(f))
				want = "modinfo.ModulePublic";
			else if (check_module(f, "ModulePublic", e) < 0)
				return -1;
			break;
		case F_ORIGIN:
			if (!cJSON_IsObject(f))
				want = "codehost.Origin";
			else if (check_origin(f, e) < 0)
				return -1;
			break;
		case F_ERROR:
			/* modinfo.ModuleError takes {"Err": ...} or the plain string
			 * go mod download -json prints */
			if (!cJSON_IsObject(f) && !cJSON_IsString(f))
				want = "modinfo.ModuleError";
			break;
		}
		if (want)
			return err_setf(e, "json: cannot unmarshal %s into Go struct field %s.%s of type %s", json_kind(f),
			                gostruct, module_fields[k].name, want);
	}
	return 0;
}

/* get_str is the string field name of o (any case), or NULL. */
static const char *get_str(const cJSON *o, const char *name)
{
	const cJSON *f = cJSON_GetObjectItem(o, name);

	return cJSON_IsString(f) && f->valuestring ? f->valuestring : NULL;
}

/* origin_text is the Origin as json.Marshal writes it (compact). */
static char *origin_text(const cJSON *o)
{
	struct buf b = BUF_INIT;
	bool first = true;

	buf_addch(&b, '{');
	for (size_t i = 0; i < countof(origin_fields); i++) {
		const char *v = get_str(o, origin_fields[i]);
		if (!v || !v[0])
			continue;
		if (!first)
			buf_addch(&b, ',');
		first = false;
		json_quote(&b, origin_fields[i], strlen(origin_fields[i]));
		buf_addch(&b, ':');
		json_quote(&b, v, strlen(v));
	}
	buf_addch(&b, '}');
	return buf_detach(&b);
}

static void add_entry(struct mod_reuse_set *s, const cJSON *m)
{
	const cJSON *origin = cJSON_GetObjectItem(m, "Origin");
	const cJSON *err = cJSON_GetObjectItem(m, "Error");
	struct mod_reuse_ent *r;
	const char *q;

	if (!cJSON_IsObject(origin))
		return;
	r = arena_new(&s->arena, struct mod_reuse_ent);
	r->path = arena_strdup(&s->arena, get_str(m, "Path") ? get_str(m, "Path") : "");
	r->version = arena_strdup(&s->arena, get_str(m, "Version") ? get_str(m, "Version") : "");
	r->time = get_str(m, "Time") ? arena_strdup(&s->arena, get_str(m, "Time")) : NULL;
	{
		char *o = origin_text(origin);
		r->origin = arena_strdup(&s->arena, o);
		free(o);
	}
	if (cJSON_IsString(err) && err->valuestring[0])
		r->error = arena_strdup(&s->arena, err->valuestring);
	else if (cJSON_IsObject(err) && get_str(err, "Err"))
		r->error = arena_strdup(&s->arena, get_str(err, "Err"));
	map_put(&s->by_key, arena_printf(&s->arena, "%s@%s", r->path, r->version), r);
	q = get_str(m, "Query");
	if (q && q[0])
		map_put(&s->by_key, arena_printf(&s->arena, "%s@%s", r->path, q), r);
}

static bool is_json_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int mod_reuse_load(struct mod_reuse_set *s, const char *file, struct err *e)
{
	struct buf data = BUF_INIT;
	size_t off = 0;
	int rc = -1;

	memset(s, 0, sizeof *s);
	arena_init(&s->arena);
	map_init(&s->by_key);
	if (os_read_file(file, &data, 0, e) < 0)
		goto out;
	for (;;) {
		const char *end = NULL;
		cJSON *m;
		while (off < data.len && is_json_space(data.data[off]))
			off++;
		if (off == data.len)
			break;
		m = cJSON_ParseWithLengthOpts(data.data + off, data.len - off, &end, false);
		if (!m) {
			struct buf msg = BUF_INIT;
			/* Decoder: input that ends inside a value is io.ErrUnexpectedEOF */
			if (!mod_json_syntax_error(data.data + off, data.len - off, &msg) ||
			    strcmp(buf_cstr(&msg), "unexpected end of JSON input") == 0) {
				buf_reset(&msg);
				buf_adds(&msg, "unexpected EOF");
			}
			err_setf(e, "parsing %s: %s", file, buf_cstr(&msg));
			buf_release(&msg);
			goto out;
		}
		off = (size_t)(end - data.data);
		if (!cJSON_IsObject(m) && !cJSON_IsNull(m)) {
			err_setf(e, "parsing %s: json: cannot unmarshal %s into Go value of type modinfo.ModulePublic", file,
			         json_kind(m));
			cJSON_Delete(m);
			goto out;
		}
		if (cJSON_IsObject(m)) {
			struct err te = ERR_INIT;
			if (check_module(m, "ModulePublic", &te) < 0) {
				err_setf(e, "parsing %s: %s", file, err_msg(&te));
				err_clear(&te);
				cJSON_Delete(m);
				goto out;
			}
			add_entry(s, m);
		}
		cJSON_Delete(m);
	}
	rc = 0;
out:
	buf_release(&data);
	return rc;
}

const struct mod_reuse_ent *mod_reuse_get(const struct mod_reuse_set *s, const char *path, const char *version)
{
	struct mod_reuse_ent *r;
	char *k;

	if (!s || !s->by_key.n)
		return NULL;
	k = xasprintf("%s@%s", path, version);
	r = map_get(&s->by_key, k);
	free(k);
	return r;
}

bool mod_reuse_lookup(void *ctx, const char *path, const char *query, const char **version, const char **time,
                      const char **origin)
{
	const struct mod_reuse_ent *r = mod_reuse_get(ctx, path, query);

	if (!r)
		return false;
	*version = r->version;
	*time = r->time;
	*origin = r->origin;
	return true;
}

void mod_reuse_release(struct mod_reuse_set *s)
{
	map_release(&s->by_key);
	arena_release(&s->arena);
}
