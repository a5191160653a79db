/*
 * Go-like values (struct val) and their JSON encoding.  The encoder prints a
 * val tree byte for byte as encoding/json's MarshalIndent (or Marshal) would
 * print the Go value it models: struct fields in declaration order with
 * omitempty, map keys sorted, nil slices/maps/pointers as null, and
 * encoding/json's string escaping (HTML-safe, U+2028/U+2029, invalid UTF-8
 * replaced by \ufffd).
 */
#include <stdlib.h>
#include <string.h>

#include "runtime/runtime.h"

/* ---- constructors ------------------------------------------------------- */

static struct val *val_make(struct arena *a, enum val_kind kind)
{
	struct val *v = arena_new(a, struct val);

	v->kind = kind;
	v->arena = a;
	return v;
}

/* val_nil returns a nil pointer/slice/map value (arena). */
struct val *val_nil(struct arena *a)
{
	return val_make(a, VAL_NIL);
}

/* val_bool returns a bool value (arena). */
struct val *val_bool(struct arena *a, bool b)
{
	struct val *v = val_make(a, VAL_BOOL);

	v->b = b;
	return v;
}

/* val_int returns an int value (arena). */
struct val *val_int(struct arena *a, int64_t i)
{
	struct val *v = val_make(a, VAL_INT);

	v->i = i;
	return v;
}

/* val_string returns a string value borrowing s (arena). */
struct val *val_string(struct arena *a, const char *s)
{
	struct val *v = val_make(a, VAL_STRING);

	v->s = s ? s : "";
	return v;
}

/* val_list returns an empty, non-nil slice (arena). */
struct val *val_list(struct arena *a)
{
	return val_make(a, VAL_LIST);
}

/* val_map returns an empty, non-nil map (arena). */
struct val *val_map(struct arena *a)
{
	return val_make(a, VAL_MAP);
}

/* val_struct returns an empty struct of Go type name type (arena). */
struct val *val_struct(struct arena *a, const char *type, bool is_ptr)
{
	struct val *v = val_make(a, VAL_STRUCT);

	v->type = type;
	v->is_ptr = is_ptr;
	return v;
}

/* val_error returns a struct value that fmt prints as text (arena). */
struct val *val_error(struct arena *a, const char *type, bool is_ptr, const char *text)
{
	struct val *v = val_struct(a, type, is_ptr);

	v->error_text = text ? text : "";
	return v;
}

/*
 * arena_grow makes room for one more element in an arena-backed vector of
 * *n elements of size bytes (capacity *cap): vals live and die with their
 * arena, so their arrays are arena memory too (old arrays are abandoned).
 */
static void *arena_grow(struct arena *a, void *v, size_t n, size_t *cap, size_t size)
{
	void *nv;

	if (n < *cap)
		return v;
	CHECK(a != NULL); /* vals must come from the val_* constructors */
	*cap = *cap ? *cap * 2 : 4;
	CHECK(*cap <= SIZE_MAX / size);
	nv = arena_alloc(a, *cap * size);
	if (n > 0)
		memcpy(nv, v, n * size);
	return nv;
}

/* val_list_add appends item to list. */
void val_list_add(struct val *list, struct val *item)
{
	CHECK(list->kind == VAL_LIST);
	list->items.v = arena_grow(list->arena, list->items.v, list->items.n, &list->items.cap,
				   sizeof(*list->items.v));
	list->items.v[list->items.n++] = item;
}

/* val_field_add appends a struct field or a map key. */
void val_field_add(struct val *s, const char *name, struct val *v, bool omitempty)
{
	struct val_field f = {name, v, omitempty};

	CHECK(s->kind == VAL_STRUCT || s->kind == VAL_MAP);
	s->fields.v = arena_grow(s->arena, s->fields.v, s->fields.n, &s->fields.cap, sizeof(*s->fields.v));
	s->fields.v[s->fields.n++] = f;
}

/* val_strlist makes a []string of n strings (n == 0: a nil slice). */
struct val *val_strlist(struct arena *a, char *const *v, size_t n)
{
	struct val *l;

	if (n == 0) {
		/* typed, so fmt-style printers show a nil []string as [] */
		l = val_nil(a);
		l->type = "[]string";
		return l;
	}
	l = val_list(a);
	for (size_t i = 0; i < n; i++)
		val_list_add(l, val_string(a, arena_strdup(a, v[i])));
	return l;
}

/* val_lookup returns the field or map entry called name, or NULL. */
struct val *val_lookup(const struct val *s, const char *name)
{
	if (s == NULL || (s->kind != VAL_STRUCT && s->kind != VAL_MAP))
		return NULL;
	for (size_t i = 0; i < s->fields.n; i++)
		if (strcmp(s->fields.v[i].name, name) == 0)
			return s->fields.v[i].v;
	return NULL;
}

/* val_is_empty mirrors encoding/json/encode.go isEmptyValue (go1.26). */
bool val_is_empty(const struct val *v)
{
	if (v == NULL)
		return true;
	switch (v->kind) {
	case VAL_NIL:
		return true;
	case VAL_BOOL:
		return !v->b;
	case VAL_INT:
		return v->i == 0;
	case VAL_STRING:
		return v->s[0] == '\0';
	case VAL_LIST:
		return v->items.n == 0;
	case VAL_MAP:
		return v->fields.n == 0;
	case VAL_STRUCT:
		/* A struct value is never empty; a pointer only when nil
		 * (VAL_NIL above). */
		return false;
	}
	return false;
}

/* ---- string escaping ---------------------------------------------------- */


/* json_quote mirrors encoding/json/encode.go appendString with escapeHTML (go1.26). */
void json_quote(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, start = 0;

	buf_addch(b, '"');
	while (i < n) {
		unsigned char c = u[i];
		if (c < 0x80) {
			if (c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&') {
				i++;
				continue;
			}
			buf_add(b, s + start, i - start);
			switch (c) {
			case '"':
			case '\\':
				buf_addch(b, '\\');
				buf_addch(b, c);
				break;
			case '\b': buf_adds(b, "\\b"); break;
			case '\f': buf_adds(b, "\\f"); break;
			case '\n': buf_adds(b, "\\n"); break;
			case '\r': buf_adds(b, "\\r"); break;
			case '\t': buf_adds(b, "\\t"); break;
			default:
				buf_adds(b, "\\u00");
				buf_addch(b, hex[c >> 4]);
				buf_addch(b, hex[c & 0xF]);
				break;
			}
			start = ++i;
			continue;
		}
		int32_t r;
		size_t sz = utf8_rune_decode(s + i, n - i, &r);
		if (r == 0xFFFD && sz == 1) { /* utf8.RuneError of width 1: an invalid byte */
			buf_add(b, s + start, i - start);
			buf_adds(b, "\\ufffd");
			start = ++i;
			continue;
		}
		/* JSONP safety: encoding/json always escapes these two. */
		if (r == 0x2028 || r == 0x2029) {
			buf_add(b, s + start, i - start);
			buf_adds(b, r == 0x2028 ? "\\u2028" : "\\u2029");
			i += sz;
			start = i;
			continue;
		}
		i += sz;
	}
	buf_add(b, s + start, n - start);
	buf_addch(b, '"');
}

/* ---- encoder ------------------------------------------------------------ */

/* An encoder prints either compact (indent == NULL) or indented output. */
struct jenc {
	struct buf *b;
	const char *prefix, *indent;
};

/* newline starts a line at nesting depth like encoding/json's Indent. */
static void jenc_newline(struct jenc *j, int depth)
{
	if (j->indent == NULL)
		return;
	buf_addch(j->b, '\n');
	buf_adds(j->b, j->prefix);
	for (int k = 0; k < depth; k++)
		buf_adds(j->b, j->indent);
}

static int cmp_field_name(const void *x, const void *y)
{
	const struct val_field *const *a = x, *const *b = y;

	return strcmp((*a)->name, (*b)->name);
}

static void jenc_value(struct jenc *j, const struct val *v, int depth);

/* jenc_object prints fields (already filtered and ordered) as an object. */
static void jenc_object(struct jenc *j, const struct val_field **f, size_t n, int depth)
{
	buf_addch(j->b, '{');
	for (size_t k = 0; k < n; k++) {
		if (k > 0)
			buf_addch(j->b, ',');
		jenc_newline(j, depth + 1);
		json_quote(j->b, f[k]->name, strlen(f[k]->name));
		buf_addch(j->b, ':');
		if (j->indent != NULL)
			buf_addch(j->b, ' ');
		jenc_value(j, f[k]->v, depth + 1);
	}
	/* Indent keeps empty objects and arrays as {} and []. */
	if (n > 0)
		jenc_newline(j, depth);
	buf_addch(j->b, '}');
}

static void jenc_value(struct jenc *j, const struct val *v, int depth)
{
	const struct val_field **f = NULL;
	size_t n = 0;

	if (v == NULL) {
		buf_adds(j->b, "null");
		return;
	}
	switch (v->kind) {
	case VAL_NIL:
		buf_adds(j->b, "null");
		break;
	case VAL_BOOL:
		buf_adds(j->b, v->b ? "true" : "false");
		break;
	case VAL_INT:
		buf_printf(j->b, "%lld", (long long)v->i);
		break;
	case VAL_STRING:
		json_quote(j->b, v->s, strlen(v->s));
		break;
	case VAL_LIST:
		buf_addch(j->b, '[');
		for (size_t k = 0; k < v->items.n; k++) {
			if (k > 0)
				buf_addch(j->b, ',');
			jenc_newline(j, depth + 1);
			jenc_value(j, v->items.v[k], depth + 1);
		}
		if (v->items.n > 0)
			jenc_newline(j, depth);
		buf_addch(j->b, ']');
		break;
	case VAL_MAP:
	case VAL_STRUCT:
		f = xreallocarray(NULL, v->fields.n ? v->fields.n : 1, sizeof(*f));
		for (size_t k = 0; k < v->fields.n; k++) {
			const struct val_field *fd = &v->fields.v[k];
			/* omitempty applies to struct fields only. */
			if (v->kind == VAL_STRUCT && fd->omitempty && val_is_empty(fd->v))
				continue;
			f[n++] = fd;
		}
		/* encoding/json sorts map keys bytewise (string keys). */
		if (v->kind == VAL_MAP && n > 1)
			qsort(f, n, sizeof(*f), cmp_field_name);
		jenc_object(j, f, n, depth);
		free(f);
		break;
	}
}

/* json_marshal_indent mirrors json.MarshalIndent(v, prefix, indent) (go1.26). */
void json_marshal_indent(struct buf *b, const struct val *v, const char *prefix, const char *indent)
{
	struct jenc j = {b, prefix ? prefix : "", indent ? indent : ""};

	jenc_value(&j, v, 0);
}

/* json_marshal mirrors json.Marshal(v) (go1.26). */
void json_marshal(struct buf *b, const struct val *v)
{
	struct jenc j = {b, "", NULL};

	jenc_value(&j, v, 0);
}
