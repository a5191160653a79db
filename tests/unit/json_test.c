/*
 * Unit tables for runtime/json.c.  Every expected string below was produced
 * by Go 1.26's encoding/json (json.Marshal / json.MarshalIndent) on the Go
 * value the val tree models, printed with strconv.Quote and pasted here.
 */
#include <stdlib.h>
#include <string.h>

#include "runtime/runtime.h"
#include "test.h"

/* json.Marshal(s) for strings: escaping, HTML, U+2028/9, invalid UTF-8. */
static const struct {
	const char *in, *want;
} quote_tests[] = {
	{"a\"b\\c\n\r\t\x01\b\f\x1f", "\"a\\\"b\\\\c\\n\\r\\t\\u0001\\b\\f\\u001f\""},
	{"<>&", "\"\\u003c\\u003e\\u0026\""},
	{"\u2028\u2029", "\"\\u2028\\u2029\""},
	{"\xff\xed\xa0\x80é😀\x7f", "\"\\ufffd\\ufffd\\ufffd\\ufffdé😀\x7f\""},
	{"\xe2\x82", "\"\\ufffd\\ufffd\""},
	{"\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\""},
	{"\xc0\xaf", "\"\\ufffd\\ufffd\""},
	{"ok", "\"ok\""},
	{"", "\"\""},
};

static void test_quote(void)
{
	for (size_t i = 0; i < countof(quote_tests); i++) {
		struct buf b = BUF_INIT;
		json_quote(&b, quote_tests[i].in, strlen(quote_tests[i].in));
		T_STREQ(buf_cstr(&b), quote_tests[i].want, "json_quote row %zu", i);
		buf_release(&b);
	}
}

/*
 * The Go value:
 *	type Inner struct { A string; B []string `json:",omitempty"` }
 *	type T struct {
 *		Name string; Empty string `json:",omitempty"`; N int; Z int `json:",omitempty"`
 *		Flag bool; F2 bool `json:",omitempty"`; Nil, EmptyList, List []string
 *		M, EmptyMap map[string]string; NilMap map[string]string `json:",omitempty"`
 *		P, NilP *Inner; S Inner; SE struct{}; Objs []Inner; Neg int
 *	}
 *	T{Name: "x", N: 42, Flag: true, EmptyList: []string{}, List: []string{"a", "b"},
 *	  M: map[string]string{"z": "1", "a": "2", "B": "3", "é": "4"}, EmptyMap: map[string]string{},
 *	  P: &Inner{A: "p", B: []string{"q"}}, S: Inner{A: "s"}, Objs: []Inner{{A: "o1"}, {A: "o2"}}, Neg: -7}
 */
static struct val *inner(struct arena *a, const char *s, const char *b, bool ptr)
{
	struct val *v = val_struct(a, ptr ? "*main.Inner" : "main.Inner", ptr);
	char *bs[1] = {(char *)b};

	val_field_add(v, "A", val_string(a, s), false);
	val_field_add(v, "B", val_strlist(a, bs, b ? 1 : 0), true);
	return v;
}

static struct val *build_t(struct arena *a)
{
	struct val *t = val_struct(a, "main.T", false);
	char *list[] = {"a", "b"};
	struct val *m = val_map(a), *objs = val_list(a);

	val_field_add(t, "Name", val_string(a, "x"), false);
	val_field_add(t, "Empty", val_string(a, ""), true);
	val_field_add(t, "N", val_int(a, 42), false);
	val_field_add(t, "Z", val_int(a, 0), true);
	val_field_add(t, "Flag", val_bool(a, true), false);
	val_field_add(t, "F2", val_bool(a, false), true);
	val_field_add(t, "Nil", val_strlist(a, NULL, 0), false);
	val_field_add(t, "EmptyList", val_list(a), false);
	val_field_add(t, "List", val_strlist(a, list, 2), false);
	/* insertion order differs from the sorted output on purpose */
	val_field_add(m, "z", val_string(a, "1"), false);
	val_field_add(m, "a", val_string(a, "2"), false);
	val_field_add(m, "é", val_string(a, "4"), false);
	val_field_add(m, "B", val_string(a, "3"), false);
	val_field_add(t, "M", m, false);
	val_field_add(t, "EmptyMap", val_map(a), false);
	val_field_add(t, "NilMap", val_nil(a), true);
	val_field_add(t, "P", inner(a, "p", "q", true), false);
	val_field_add(t, "NilP", val_nil(a), false);
	val_field_add(t, "S", inner(a, "s", NULL, false), false);
	val_field_add(t, "SE", val_struct(a, "struct {}", false), false);
	val_list_add(objs, inner(a, "o1", NULL, false));
	val_list_add(objs, inner(a, "o2", NULL, false));
	val_field_add(t, "Objs", objs, false);
	val_field_add(t, "Neg", val_int(a, -7), false);
	return t;
}

static const char want_tab[] =
	"{\n\t\"Name\": \"x\",\n\t\"N\": 42,\n\t\"Flag\": true,\n\t\"Nil\": null,\n\t\"EmptyList\": [],\n\t\"List\": [\n\t\t\"a\",\n\t\t\"b\"\n\t],\n\t\"M\": {\n\t\t\"B\": \"3\",\n\t\t\"a\": \"2\",\n\t\t\"z\": \"1\",\n\t\t\"é\": \"4\"\n\t},\n\t\"EmptyMap\": {},\n\t\"P\": {\n\t\t\"A\": \"p\",\n\t\t\"B\": [\n\t\t\t\"q\"\n\t\t]\n\t},\n\t\"NilP\": null,\n\t\"S\": {\n\t\t\"A\": \"s\"\n\t},\n\t\"SE\": {},\n\t\"Objs\": [\n\t\t{\n\t\t\t\"A\": \"o1\"\n\t\t},\n\t\t{\n\t\t\t\"A\": \"o2\"\n\t\t}\n\t],\n\t\"Neg\": -7\n}";
static const char want_prefix[] =
	"{\n>  \"Name\": \"x\",\n>  \"N\": 42,\n>  \"Flag\": true,\n>  \"Nil\": null,\n>  \"EmptyList\": [],\n>  \"List\": [\n>    \"a\",\n>    \"b\"\n>  ],\n>  \"M\": {\n>    \"B\": \"3\",\n>    \"a\": \"2\",\n>    \"z\": \"1\",\n>    \"é\": \"4\"\n>  },\n>  \"EmptyMap\": {},\n>  \"P\": {\n>    \"A\": \"p\",\n>    \"B\": [\n>      \"q\"\n>    ]\n>  },\n>  \"NilP\": null,\n>  \"S\": {\n>    \"A\": \"s\"\n>  },\n>  \"SE\": {},\n>  \"Objs\": [\n>    {\n>      \"A\": \"o1\"\n>    },\n>    {\n>      \"A\": \"o2\"\n>    }\n>  ],\n>  \"Neg\": -7\n>}";
static const char want_compact[] =
	"{\"Name\":\"x\",\"N\":42,\"Flag\":true,\"Nil\":null,\"EmptyList\":[],\"List\":[\"a\",\"b\"],\"M\":{\"B\":\"3\",\"a\":\"2\",\"z\":\"1\",\"é\":\"4\"},\"EmptyMap\":{},\"P\":{\"A\":\"p\",\"B\":[\"q\"]},\"NilP\":null,\"S\":{\"A\":\"s\"},\"SE\":{},\"Objs\":[{\"A\":\"o1\"},{\"A\":\"o2\"}],\"Neg\":-7}";

static void test_marshal(void)
{
	struct arena a;
	struct buf b = BUF_INIT;
	struct val *t, *l;

	arena_init(&a);
	t = build_t(&a);
	json_marshal_indent(&b, t, "", "\t");
	T_STREQ(buf_cstr(&b), want_tab, "MarshalIndent tab");
	buf_reset(&b);
	json_marshal_indent(&b, t, ">", "  ");
	T_STREQ(buf_cstr(&b), want_prefix, "MarshalIndent prefix");
	buf_reset(&b);
	json_marshal(&b, t);
	T_STREQ(buf_cstr(&b), want_compact, "Marshal");

	/* json.MarshalIndent([]any{}, "", "\t") and []any{[]int{}, map[string]int{}, nil} */
	buf_reset(&b);
	json_marshal_indent(&b, val_list(&a), "", "\t");
	T_STREQ(buf_cstr(&b), "[]", "empty list");
	l = val_list(&a);
	val_list_add(l, val_list(&a));
	val_list_add(l, val_map(&a));
	val_list_add(l, val_nil(&a));
	buf_reset(&b);
	json_marshal_indent(&b, l, "", "\t");
	T_STREQ(buf_cstr(&b), "[\n\t[],\n\t{},\n\tnull\n]", "nested empties");

	/* an error-valued struct still encodes its fields */
	buf_reset(&b);
	struct val *ev = val_error(&a, "*load.PackageError", true, "boom");
	val_field_add(ev, "Err", val_string(&a, "boom"), false);
	json_marshal(&b, ev);
	T_STREQ(buf_cstr(&b), "{\"Err\":\"boom\"}", "error val");

	buf_release(&b);
	arena_release(&a);
}

/* isEmptyValue rows from encoding/json's omitempty rules. */
static void test_is_empty(void)
{
	struct arena a;

	arena_init(&a);
	T_TRUE(val_is_empty(val_nil(&a)), "nil");
	T_TRUE(val_is_empty(val_string(&a, "")), "empty string");
	T_TRUE(!val_is_empty(val_string(&a, "x")), "string");
	T_TRUE(val_is_empty(val_int(&a, 0)), "0");
	T_TRUE(!val_is_empty(val_int(&a, -1)), "-1");
	T_TRUE(val_is_empty(val_bool(&a, false)), "false");
	T_TRUE(val_is_empty(val_list(&a)), "empty list");
	T_TRUE(val_is_empty(val_map(&a)), "empty map");
	T_TRUE(!val_is_empty(val_struct(&a, "T", false)), "struct never empty");
	T_TRUE(!val_is_empty(val_struct(&a, "*T", true)), "non-nil pointer");
	struct val *s = val_struct(&a, "T", false);
	val_field_add(s, "K", val_int(&a, 1), false);
	T_TRUE(val_lookup(s, "K") != NULL && val_lookup(s, "K")->i == 1, "lookup");
	T_TRUE(val_lookup(s, "X") == NULL, "lookup missing");
	arena_release(&a);
}

int main(void)
{
	test_quote();
	test_marshal();
	test_is_empty();
	return test_exit();
}
