/*
 * Unit tables for modload/godebug.c.  The table is read from the real
 * toolchain ($GOROOT/src/internal/godebugs/table.go, GOROOT from the
 * environment or /usr/local/go); the expected DefaultGODEBUG strings were
 * recorded from go 1.26.8 with `go list -f '{{.DefaultGODEBUG}}' .` on a
 * main package in a temp module (go line, godebug lines and //go:debug
 * lines as in each row), so the rows are only checked against a 1.26
 * toolchain.
 */
#include <stdlib.h>
#include <string.h>

#include "modload/modload.h"
#include "test.h"

static const char all20[] =
	"asynctimerchan=1,containermaxprocs=0,cryptocustomrand=1,decoratemappings=0,gotestjsonbuildtext=1,"
	"gotypesalias=0,httpcookiemaxnum=0,httplaxcontentlength=1,httpmuxgo121=1,httpservecontentkeepheaders=1,"
	"multipathtcp=0,panicnil=1,randseednop=0,rsa1024min=0,tls10server=1,tls3des=1,tlsmlkem=0,tlsrsakex=1,"
	"tlssecpmlkem=0,tlssha1=1,tlsunsafeekm=1,updatemaxprocs=0,urlmaxqueryparams=0,urlstrictcolons=0,"
	"winreadlinkvolume=0,winsymlink=0,x509keypairleaf=0,x509negativeserial=1,x509rsacrt=0,x509sha256skid=0,"
	"x509usepolicies=0";

static void test_default(const struct mod_godebug_table *t)
{
	struct mod_godebug gd_panic[] = {{"panicnil", "1", 3}};
	struct mod_godebug gd_def[] = {{"panicnil", "1", 4}, {"default", "go1.22", 5}};
	struct load_directive d_mixed[] = {{"//go:debug panicnil=0", 1, 1}, {"//go:debug asynctimerchan=0", 2, 1},
					   {"//go:debug bogus=1", 3, 1}, {"//go:debugger", 4, 1}};
	struct load_directive d_default[] = {{"//go:debug default=go1.21", 1, 1}};
	struct load_directive d_toonew[] = {{"//go:debug default=go1.99", 1, 1}};
	struct {
		const char *go;
		const struct mod_godebug *g;
		size_t ng;
		const struct load_directive *d;
		size_t nd;
		const char *want;
	} rows[] = {
		{"1.20", NULL, 0, NULL, 0, all20},
		{"1.21", NULL, 0, NULL, 0,
		 "asynctimerchan=1,containermaxprocs=0,cryptocustomrand=1,decoratemappings=0,gotestjsonbuildtext=1,gotypesalias=0,httpcookiemaxnum=0,httplaxcontentlength=1,httpmuxgo121=1,httpservecontentkeepheaders=1,multipathtcp=0,randseednop=0,rsa1024min=0,tls10server=1,tls3des=1,tlsmlkem=0,tlsrsakex=1,tlssecpmlkem=0,tlssha1=1,tlsunsafeekm=1,updatemaxprocs=0,urlmaxqueryparams=0,urlstrictcolons=0,winreadlinkvolume=0,winsymlink=0,x509keypairleaf=0,x509negativeserial=1,x509rsacrt=0,x509sha256skid=0,x509usepolicies=0"},
		{"1.23", NULL, 0, NULL, 0,
		 "containermaxprocs=0,cryptocustomrand=1,decoratemappings=0,gotestjsonbuildtext=1,httpcookiemaxnum=0,multipathtcp=0,randseednop=0,rsa1024min=0,tlsmlkem=0,tlssecpmlkem=0,tlssha1=1,updatemaxprocs=0,urlmaxqueryparams=0,urlstrictcolons=0,x509rsacrt=0,x509sha256skid=0,x509usepolicies=0"},
		{"1.26", NULL, 0, NULL, 0, ""},
		{"1.26", gd_def, 2, NULL, 0,
		 "asynctimerchan=1,containermaxprocs=0,cryptocustomrand=1,decoratemappings=0,gotestjsonbuildtext=1,gotypesalias=0,httpcookiemaxnum=0,httpservecontentkeepheaders=1,multipathtcp=0,panicnil=1,randseednop=0,rsa1024min=0,tls3des=1,tlsmlkem=0,tlssecpmlkem=0,tlssha1=1,updatemaxprocs=0,urlmaxqueryparams=0,urlstrictcolons=0,winreadlinkvolume=0,winsymlink=0,x509keypairleaf=0,x509negativeserial=1,x509rsacrt=0,x509sha256skid=0,x509usepolicies=0"},
		{"1.23", gd_panic, 1, d_mixed, 4,
		 "asynctimerchan=0,containermaxprocs=0,cryptocustomrand=1,decoratemappings=0,gotestjsonbuildtext=1,httpcookiemaxnum=0,multipathtcp=0,panicnil=0,randseednop=0,rsa1024min=0,tlsmlkem=0,tlssecpmlkem=0,tlssha1=1,updatemaxprocs=0,urlmaxqueryparams=0,urlstrictcolons=0,x509rsacrt=0,x509sha256skid=0,x509usepolicies=0"},
		/* no go line: 1.16 */
		{"1.16", NULL, 0, NULL, 0,
		 "asynctimerchan=1,containermaxprocs=0,cryptocustomrand=1,decoratemappings=0,gotestjsonbuildtext=1,gotypesalias=0,httpcookiemaxnum=0,httplaxcontentlength=1,httpmuxgo121=1,httpservecontentkeepheaders=1,multipathtcp=0,netedns0=0,panicnil=1,randseednop=0,rsa1024min=0,tls10server=1,tls3des=1,tlsmlkem=0,tlsrsakex=1,tlssecpmlkem=0,tlssha1=1,tlsunsafeekm=1,updatemaxprocs=0,urlmaxqueryparams=0,urlstrictcolons=0,winreadlinkvolume=0,winsymlink=0,x509keypairleaf=0,x509negativeserial=1,x509rsacrt=0,x509sha256skid=0,x509usepolicies=0"},
		{"1.24", NULL, 0, d_default, 1,
		 "asynctimerchan=1,containermaxprocs=0,cryptocustomrand=1,decoratemappings=0,gotestjsonbuildtext=1,gotypesalias=0,httpcookiemaxnum=0,httplaxcontentlength=1,httpmuxgo121=1,httpservecontentkeepheaders=1,multipathtcp=0,randseednop=0,rsa1024min=0,tls10server=1,tls3des=1,tlsmlkem=0,tlsrsakex=1,tlssecpmlkem=0,tlssha1=1,tlsunsafeekm=1,updatemaxprocs=0,urlmaxqueryparams=0,urlstrictcolons=0,winreadlinkvolume=0,winsymlink=0,x509keypairleaf=0,x509negativeserial=1,x509rsacrt=0,x509sha256skid=0,x509usepolicies=0"},
		/* an invalid directive (too new default=) is skipped */
		{"1.26", NULL, 0, d_toonew, 1, ""},
		/* not "1.N": no defaults, only the settings */
		{"2.0", gd_panic, 1, NULL, 0, "panicnil=1"},
	};
	struct arena a;
	arena_init(&a);
	for (size_t i = 0; i < countof(rows); i++) {
		struct err e = ERR_INIT;
		const char *out = NULL;
		T_INTEQ(mod_godebug_default(&a, t, rows[i].go, false, rows[i].g, rows[i].ng, rows[i].d, rows[i].nd,
					    "1.26.8", &out, &e), 0, "row %zu", i);
		T_STREQ(out, rows[i].want, "DefaultGODEBUG row %zu (go %s)", i, rows[i].go);
		err_clear(&e);
	}
	const char *out = NULL;
	struct err e = ERR_INIT;
	mod_godebug_default(&a, t, "1.26", true, NULL, 0, NULL, 0, "1.26.8", &out, &e);
	T_STREQ(out, "fips140=on", "GOFIPS140");
	arena_release(&a);
}

static void test_setting_checks(const struct mod_godebug_table *t)
{
	/* texts from cmd/go/internal/modload.CheckGodebug and load.ParseGoDebug */
	static const struct {
		const char *text;
		bool is_debug;
		const char *err;
	} rows[] = {
		{"//go:debug panicnil=1", true, ""},
		{"//go:debug", true, "missing key=value"},
		{"//go:debug  ", true, "missing key=value"},
		{"//go:debugger x", true, "missing key=value"}, /* ParseGoDebug only looks for a blank */
		{"//go:debugger", false, ""},
		{"//go:debug panicnil", true, "missing key=value"},
		{"//go:debug panicnil=1 2", true, "value contains space"},
		{"//go:debug pa,nic=1", true, "key contains comma"},
		{"//go:debug panicnil=1,2", true, "value contains comma"},
		{"//go:debug default=1.21", true, "value for default= must be goVERSION"},
		{"//go:debug default=go1.99", true, "default=go1.99 too new (toolchain is go1.26.8)"},
		{"//go:debug default=go1.21", true, ""},
		{"//go:debug x509sha1=1", true, "use of removed //go:debug setting \"x509sha1\", see https://go.dev/doc/godebug#go-124"},
		{"//go:debug bogus=1", true, "unknown //go:debug setting \"bogus\""},
		{"//go:build linux", false, ""},
	};
	struct arena a;
	arena_init(&a);
	for (size_t i = 0; i < countof(rows); i++) {
		struct err e = ERR_INIT;
		bool is_debug = false;
		const char *k, *v;
		int rc = mod_parse_go_debug(&a, t, rows[i].text, "1.26.8", &is_debug, &k, &v, &e);
		T_INTEQ(rc, rows[i].err[0] ? -1 : 0, "%s rc", rows[i].text);
		T_TRUE(is_debug == rows[i].is_debug, "%s is_debug", rows[i].text);
		T_STREQ(err_msg(&e), rows[i].err, "%s", rows[i].text);
		err_clear(&e);
	}
	struct err e = ERR_INIT;
	T_INTEQ(mod_godebug_check(t, "godebug", "nope", "1", "1.26.8", &e), -1, "go.mod godebug");
	T_STREQ(err_msg(&e), "unknown godebug \"nope\"", "go.mod godebug text");
	err_clear(&e);
	const struct mod_godebug_info *pi = mod_godebug_lookup(t, "panicnil");
	T_TRUE(pi != NULL && pi->changed == 21 && strcmp(pi->old, "1") == 0 && strcmp(pi->package, "runtime") == 0,
	       "panicnil entry");
	const struct mod_godebug_info *fi = mod_godebug_lookup(t, "fips140");
	T_TRUE(fi != NULL && fi->opaque && fi->immutable, "fips140 flags");
	arena_release(&a);
}

static void test_parse_synthetic(void)
{
	static const char tbl[] =
		"package godebugs\n"
		"var All = []Info{\n"
		"\t{Name: \"a\", Package: \"p\", Changed: 3, Old: \"x\"}, // comment\n"
		"\t{Name: \"b\", Package: \"q\", Opaque: true},\n"
		"}\n";
	struct arena a;
	struct err e = ERR_INIT;
	struct mod_godebug_table *t = NULL;
	arena_init(&a);
	T_INTEQ(mod_godebug_table_parse(&a, tbl, strlen(tbl), &t, &e), 0, "synthetic: %s", err_msg(&e));
	if (t != NULL) {
		const struct mod_godebug_info *all;
		T_INTEQ(mod_godebug_table_all(t, &all), 2, "two entries");
		const char *out = NULL;
		mod_godebug_default(&a, t, "1.2", false, NULL, 0, NULL, 0, "1.26.8", &out, &e);
		T_STREQ(out, "a=x", "synthetic default");
	}
	err_clear(&e);
	T_INTEQ(mod_godebug_table_parse(&a, "package x\n", 10, &t, &e), -1, "no All");
	err_clear(&e);
	arena_release(&a);
}

int main(void)
{
	const char *goroot = getenv("GOROOT");
	if (goroot == NULL || goroot[0] == '\0')
		goroot = "/usr/local/go";
	struct arena a;
	struct err e = ERR_INIT;
	struct mod_godebug_table *t = NULL;
	arena_init(&a);
	T_INTEQ(mod_godebug_table_load(&a, goroot, &t, &e), 0, "load table: %s", err_msg(&e));
	err_clear(&e);
	if (t != NULL) {
		test_default(t);
		test_setting_checks(t);
	}
	test_parse_synthetic();
	arena_release(&a);
	return test_exit();
}
