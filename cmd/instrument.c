/*
 * -race, -msan and -asan: the checks and configuration of
 * cmd/go/internal/work/init.go's instrumentInit (go1.26), shared by build,
 * install, run and test.  What they change downstream: the mode's tool tag
 * (so runtime/race's files match), the linker dependency on runtime/<mode>
 * (modload), and the forced compile/link flags and install suffix (work).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/internal.h"
#include "runtime/runtime.h"

/* internal/platform.RaceDetectorSupported (go1.26) */
static bool race_supported(const char *goos, const char *goarch)
{
	if (strcmp(goos, "linux") == 0)
		return strcmp(goarch, "amd64") == 0 || strcmp(goarch, "arm64") == 0 || strcmp(goarch, "loong64") == 0 ||
		       strcmp(goarch, "ppc64le") == 0 || strcmp(goarch, "riscv64") == 0 || strcmp(goarch, "s390x") == 0;
	if (strcmp(goos, "darwin") == 0)
		return strcmp(goarch, "amd64") == 0 || strcmp(goarch, "arm64") == 0;
	if (strcmp(goos, "freebsd") == 0 || strcmp(goos, "netbsd") == 0 || strcmp(goos, "windows") == 0)
		return strcmp(goarch, "amd64") == 0;
	return false;
}

/* internal/platform.MSanSupported */
static bool msan_supported(const char *goos, const char *goarch)
{
	if (strcmp(goos, "linux") == 0)
		return strcmp(goarch, "amd64") == 0 || strcmp(goarch, "arm64") == 0 || strcmp(goarch, "loong64") == 0;
	if (strcmp(goos, "freebsd") == 0)
		return strcmp(goarch, "amd64") == 0;
	return false;
}

/* internal/platform.ASanSupported */
static bool asan_supported(const char *goos, const char *goarch)
{
	if (strcmp(goos, "linux") == 0)
		return strcmp(goarch, "arm64") == 0 || strcmp(goarch, "amd64") == 0 || strcmp(goarch, "loong64") == 0 ||
		       strcmp(goarch, "riscv64") == 0 || strcmp(goarch, "ppc64le") == 0;
	return false;
}

/* parse_version finds "<prefix>(\d+)\.(\d+)" in s. */
static bool parse_version(const char *s, const char *prefix, int *major, int *minor)
{
	size_t pn = strlen(prefix);
	for (const char *p = strstr(s, prefix); p; p = strstr(p + 1, prefix)) {
		const char *q = p + pn;
		char *end;
		long ma, mi;
		if (*q < '0' || *q > '9')
			continue;
		ma = strtol(q, &end, 10);
		if (*end != '.' || end[1] < '0' || end[1] > '9')
			continue;
		mi = strtol(end + 1, &end, 10);
		*major = (int)ma;
		*minor = (int)mi;
		return true;
	}
	return false;
}

/*
 * asan_version_error mirrors compilerRequiredAsanVersion: the C compiler
 * ($CC from the process environment, as compilerVersion reads it, else the
 * default) must be gcc >= 7 or clang >= 9.  Returns go's text (heap) or NULL.
 */
static char *asan_version_error(const struct cfg *cfg)
{
	const char *cc = getenv("CC");
	struct buf out = BUF_INIT, errout = BUF_INIT;
	struct err e = ERR_INIT;
	char *argv[3], *msg = NULL;
	const char *name = "unknown";
	int major = 0, minor = 0, rc;
	bool matched = false;

	if (!cc || !cc[0])
		cc = cfg_getenv(cfg, "CC");
	if (!cc || !cc[0])
		cc = cfg_default_cc(cfg->ctx.goos, cfg->ctx.goarch);
	argv[0] = (char *)cc;
	argv[1] = "--version";
	argv[2] = NULL;
	rc = proc_run(argv, NULL, NULL, &out, &errout, &e);
	if (rc != 0) {
		msg = xstrdup("-asan: the version of $(go env CC) could not be parsed");
		goto out;
	}
	if (strncmp(buf_cstr(&out), "gcc", 3) == 0) {
		name = "gcc";
		buf_reset(&out);
		buf_reset(&errout);
		argv[1] = "-v";
		/* CombinedOutput: the version line is on stderr */
		rc = proc_run(argv, NULL, NULL, &out, &errout, &e);
		if (rc != 0) {
			msg = xstrdup("-asan: the version of $(go env CC) could not be parsed");
			goto out;
		}
		buf_adds(&out, buf_cstr(&errout));
		matched = parse_version(buf_cstr(&out), "gcc version ", &major, &minor);
	} else if (parse_version(buf_cstr(&out), "clang version ", &major, &minor)) {
		name = "clang";
		matched = true;
	}
	if (!matched)
		name = strcmp(name, "gcc") == 0 ? "gcc" : "unknown";
	if (strcmp(name, "gcc") == 0 && matched) {
		if ((strcmp(tc_host_goarch(), "ppc64le") == 0 && major < 9) || major < 7)
			msg = xasprintf("-asan is not supported with gcc compiler %d.%d\n", major, minor);
	} else if (strcmp(name, "clang") == 0) {
		if (major < 9)
			msg = xasprintf("-asan is not supported with clang compiler %d.%d\n", major, minor);
	} else {
		/* "unknown" (including gcc whose -v did not parse) */
		msg = xstrdup("-asan: C compiler is not gcc or clang");
	}
out:
	err_clear(&e);
	buf_release(&out);
	buf_release(&errout);
	return msg;
}

const char *cmd_instrument_init(struct cfg *cfg, const struct build_flags *bf)
{
	const char *goos = cfg->ctx.goos, *goarch = cfg->ctx.goarch;
	const char *mode;

	if (!bf->race && !bf->msan && !bf->asan)
		return NULL;
	if (bf->race && bf->msan) {
		fprintf(stderr, "%s: may not use -race and -msan simultaneously\n", prog_name);
		base_exit(2);
	}
	if (bf->race && bf->asan) {
		fprintf(stderr, "%s: may not use -race and -asan simultaneously\n", prog_name);
		base_exit(2);
	}
	if (bf->msan && bf->asan) {
		fprintf(stderr, "%s: may not use -msan and -asan simultaneously\n", prog_name);
		base_exit(2);
	}
	if (bf->msan && !msan_supported(goos, goarch)) {
		fprintf(stderr, "-msan is not supported on %s/%s\n", goos, goarch);
		base_exit(2);
	}
	if (bf->race && !race_supported(goos, goarch)) {
		fprintf(stderr, "-race is not supported on %s/%s\n", goos, goarch);
		base_exit(2);
	}
	if (bf->asan && !asan_supported(goos, goarch)) {
		fprintf(stderr, "-asan is not supported on %s/%s\n", goos, goarch);
		base_exit(2);
	}
	if (bf->asan) {
		char *msg = asan_version_error(cfg);
		if (msg) {
			fprintf(stderr, "%s\n", msg);
			free(msg);
			base_exit(2);
		}
	}
	mode = bf->race ? "race" : bf->msan ? "msan" : "asan";
	if (bf->msan && (!bf->buildmode || !bf->buildmode[0] || strcmp(bf->buildmode, "default") == 0) &&
	    (strcmp(goos, "linux") != 0 || strcmp(goarch, "amd64") != 0)) {
		/* msan needs PIE everywhere but linux/amd64: gotool's pie would
		 * have to be forced here; refuse rather than build an exe */
		fprintf(stderr, "%s: -msan on %s/%s is not supported yet by gotool\n", prog_name, goos, goarch);
		base_exit(2);
	}
	/* -race does not need cgo on macOS; -asan and -msan do */
	if (!cfg->ctx.cgo_enabled && (strcmp(goos, "darwin") != 0 || bf->asan || bf->msan)) {
		if (strcmp(cfg->tc.hostos, goos) != 0 || strcmp(cfg->tc.hostarch, goarch) != 0)
			fprintf(stderr, "%s: -%s requires cgo\n", prog_name, mode);
		else
			fprintf(stderr, "%s: -%s requires cgo; enable cgo by setting CGO_ENABLED=1\n", prog_name, mode);
		base_exit(2);
	}
	if (bf->race && bf->buildmode && strcmp(bf->buildmode, "pie") == 0 &&
	    !(strcmp(goos, "android") == 0 || strcmp(goos, "ios") == 0 || strcmp(goos, "darwin") == 0)) {
		/* buildModeInit: DefaultPIE(goos, goarch, race) is false (windows
		 * too, under -race); base.Fatalf without a prefix */
		fprintf(stderr, "-buildmode=pie not supported when -race is enabled on %s/%s\n", goos, goarch);
		base_exit(1);
	}
	strvec_push(&cfg->ctx.tool_tags, mode);
	return mode;
}

const char *cmd_instrument_pkg(const char *mode)
{
	/* LinkerDeps: the package the mode's runtime support lives in */
	if (!mode)
		return NULL;
	if (strcmp(mode, "race") == 0)
		return "runtime/race";
	if (strcmp(mode, "msan") == 0)
		return "runtime/msan";
	return "runtime/asan";
}
