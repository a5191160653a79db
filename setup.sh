#!/usr/bin/env bash
# setup.sh: from a fresh clone to a result, on Debian/Ubuntu.
#
#   ./setup.sh example   install missing build packages, build gotool, run it on examples/hello
#   ./setup.sh test      install missing build packages, build twice (plain and ASan+UBSan),
#                        run the whole test suite, the banned-function check and the
#                        conformance subset; ends with "N passed, N failed"
#   ./setup.sh deps      only install the missing Debian packages
#   ./setup.sh build     deps, then configure and build build/
#
# Idempotent: packages already installed are left alone (no apt-get update either), and
# the build directories are reused.  Environment: JOBS (default 2) sets build and ctest
# parallelism; BUILD_DIR and ASAN_DIR (default build, build-asan; relative to the repo)
# name the two build directories; GOTOOL_E2E_GOCACHE (default build-e2e-gocache) is the go
# build cache the e2e scripts share for reference go builds whose output does not depend on it.
set -euo pipefail

# Only builtins up to cmd_deps, so tests/e2e/setup.sh can run `deps` with a PATH of mocks.
case "${BASH_SOURCE[0]}" in
*/*) ROOT=${BASH_SOURCE[0]%/*} ;;
*) ROOT=. ;;
esac
ROOT=$(cd "$ROOT" && pwd)
JOBS=${JOBS:-2}
BUILD_DIR=${BUILD_DIR:-build}
ASAN_DIR=${ASAN_DIR:-build-asan}

# The Debian packages gotool needs to build (CMakeLists.txt's pkg_check_modules, plus the
# compiler and make), then the compilers tests/e2e/cgo.sh drives through cgo: C++,
# Objective-C, Fortran, and C for linux/arm64 with its C library (installed without
# recommends, so named here).  Checked one by one with dpkg-query; only missing ones are
# installed.
PACKAGES=(cmake pkg-config libgit2-dev libcurl4-openssl-dev zlib1g-dev libcjson-dev
	libsqlite3-dev libssl-dev libpcre2-dev gcc make
	g++ gobjc gfortran gcc-aarch64-linux-gnu libc6-dev-arm64-cross)

# example_job GOTOOL: gotool's main job, run in examples/hello by `./setup.sh example`:
# build the program with gotool (the toolchain's compile, asm and link) and run it.
example_job() {
	"$1" build -o "$ROOT/$BUILD_DIR/hello" . && "$ROOT/$BUILD_DIR/hello"
}

say() { printf 'setup.sh: %s\n' "$*"; }
die() {
	printf 'setup.sh: error: %s\n' "$*" >&2
	exit 1
}

# ---------------------------------------------------------------- packages

missing_packages() {
	local p st
	for p in "${PACKAGES[@]}"; do
		st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null) || st=
		[[ $st == installed ]] || printf '%s\n' "$p"
	done
}

cmd_deps() {
	local missing=() p
	command -v dpkg-query >/dev/null 2>&1 ||
		die "dpkg-query not found: this script installs Debian packages; on another system install the equivalents of: ${PACKAGES[*]}"
	while IFS= read -r p; do
		missing+=("$p")
	done < <(missing_packages)
	if ((${#missing[@]} == 0)); then
		say "all ${#PACKAGES[@]} build packages are installed"
		return 0
	fi
	say "missing packages: ${missing[*]}"
	command -v apt-get >/dev/null 2>&1 ||
		die "apt-get not found: cannot install ${missing[*]}; install them by hand and re-run"
	local sudo=()
	if [[ $(id -u) != 0 ]]; then
		command -v sudo >/dev/null 2>&1 ||
			die "not root and sudo not found: run as root or install ${missing[*]} by hand"
		sudo=(sudo)
	fi
	# A failed update (no network, a stale mirror) is not fatal by itself: the install
	# below may still succeed from the existing lists, and says so clearly if not.
	"${sudo[@]}" apt-get update -qq || say "warning: apt-get update failed; trying the install anyway"
	# sudo resets the environment, so DEBIAN_FRONTEND goes on its command line.
	local install=(apt-get install -y --no-install-recommends "${missing[@]}") rc=0
	if ((${#sudo[@]})); then
		sudo DEBIAN_FRONTEND=noninteractive "${install[@]}" || rc=$?
	else
		DEBIAN_FRONTEND=noninteractive "${install[@]}" || rc=$?
	fi
	((rc == 0)) || die "apt-get install failed (exit $rc) for: ${missing[*]}"
	# Trust dpkg, not apt's exit status, that everything is now there.
	missing=()
	while IFS= read -r p; do
		missing+=("$p")
	done < <(missing_packages)
	((${#missing[@]} == 0)) || die "still missing after apt-get install: ${missing[*]}"
	say "installed; all ${#PACKAGES[@]} build packages present"
}

# ---------------------------------------------------------------- build

# configure DIR CMAKE-ARGS...: (re)configure a build directory.  Options are passed
# explicitly every time so a directory configured earlier with other options is corrected.
configure() {
	local dir=$1
	shift
	cmake -S "$ROOT" -B "$ROOT/$dir" "$@"
}

# build DIR [TARGET]: build everything, or one target.
build() {
	local dir=$1
	shift
	if (($#)); then
		cmake --build "$ROOT/$dir" -j "$JOBS" --target "$@"
	else
		cmake --build "$ROOT/$dir" -j "$JOBS"
	fi
}

check_goroot() {
	# gotool drives a Go toolchain (it never runs the go binary, but needs its GOROOT),
	# and the end-to-end tests compare against the real go.
	local goroot=${GOROOT:-/usr/local/go}
	[[ -x $goroot/bin/go ]] || die "no Go toolchain at $goroot (install Go 1.26 there or set GOROOT)"
}

cmd_build() {
	cmd_deps
	configure "$BUILD_DIR" -DGOTOOL_WERROR=ON -DGOTOOL_SANITIZE=OFF
	build "$BUILD_DIR" "$@"
}

cmd_example() {
	cmd_deps
	check_goroot
	configure "$BUILD_DIR" -DGOTOOL_WERROR=ON -DGOTOOL_SANITIZE=OFF
	build "$BUILD_DIR" gotool
	say "running gotool on examples/hello (example_job in setup.sh)"
	cd "$ROOT/examples/hello"
	example_job "$ROOT/$BUILD_DIR/gotool"
}

# ---------------------------------------------------------------- test

PASSED=0
FAILED=0

# run_ctest DIR: run the suite in DIR and add ctest's own counts to the totals.
run_ctest() {
	local dir=$1 log rc line
	log="$ROOT/$dir/ctest-summary.log"
	say "ctest in $dir"
	set +e
	ctest --test-dir "$ROOT/$dir" --output-on-failure -j "$JOBS" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	set -e
	# "100% tests passed, 0 tests failed out of 12"
	line=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1) || line=
	if [[ $line =~ ([0-9]+)\ tests?\ failed\ out\ of\ ([0-9]+) ]]; then
		FAILED=$((FAILED + BASH_REMATCH[1]))
		PASSED=$((PASSED + BASH_REMATCH[2] - BASH_REMATCH[1]))
		# ctest can fail without a failed test (e.g. a crash of ctest itself).
		if ((rc != 0 && BASH_REMATCH[1] == 0)); then
			FAILED=$((FAILED + 1))
		fi
	else
		say "ctest in $dir ran no tests (exit $rc)"
		FAILED=$((FAILED + 1))
	fi
}

# test_tree DIR CMAKE-ARGS...: configure, build and test one build directory.  A failed
# configure or build counts as one failure, skips that directory's tests and returns 1.
test_tree() {
	local dir=$1
	shift
	if ! configure "$dir" "$@"; then
		say "FAIL: configure $dir"
		FAILED=$((FAILED + 1))
		return 1
	fi
	if ! build "$dir"; then
		say "FAIL: build $dir"
		FAILED=$((FAILED + 1))
		return 1
	fi
	run_ctest "$dir"
}

# banned_check: STYLE.md #9 bans sprintf strcpy strcat strtok atoi gets and bare assert
# outside tests/.
banned_check() {
	local hits
	say "checking sources for banned functions"
	hits=$(cd "$ROOT" && find . \( -path ./.git -o -path ./tests -o -path './build*' \) -prune -o \
		-type f \( -name '*.c' -o -name '*.h' \) -print0 | LC_ALL=C sort -z |
		xargs -0 -r grep -nE '(^|[^A-Za-z0-9_])(v?sprintf|strcpy|strcat|strtok|atoi|gets|assert)[[:space:]]*\(') || true
	if [[ -n $hits ]]; then
		printf '%s\n' "$hits"
		say "FAIL: banned functions used (see STYLE.md #9)"
		FAILED=$((FAILED + 1))
	else
		PASSED=$((PASSED + 1))
	fi
}

# conformance: the go command's own scripts listed in tests/conformance/expected-pass.txt
# must pass; skipped (not failed) when ../shared/conformance is not next to the repo.
conformance() {
	local log rc line
	if [[ ! -d $ROOT/../shared/conformance ]]; then
		say "conformance: $ROOT/../shared/conformance not found; skipped"
		return 0
	fi
	log="$ROOT/$BUILD_DIR/conformance-summary.log"
	set +e
	bash "$ROOT/tests/conformance/run.sh" --go "$ROOT/$BUILD_DIR/gotool" -j "$JOBS" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	set -e
	line=$(grep -E '^conformance: [0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1) || line=
	if [[ $line =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
		PASSED=$((PASSED + BASH_REMATCH[1]))
		FAILED=$((FAILED + BASH_REMATCH[2]))
		if ((rc != 0 && BASH_REMATCH[2] == 0)); then
			FAILED=$((FAILED + 1))
		fi
	elif ((rc != 0)); then
		FAILED=$((FAILED + 1))
	fi
}

cmd_test() {
	cmd_deps
	check_goroot
	local built=1
	# One go build cache for the e2e scripts' reference go runs whose output does not
	# depend on the cache (the binaries gotool's are compared with), shared by both
	# trees, so the sanitizer pass does not compile the standard library again for go.
	export GOTOOL_E2E_GOCACHE=${GOTOOL_E2E_GOCACHE:-$ROOT/build-e2e-gocache}
	mkdir -p "$GOTOOL_E2E_GOCACHE"
	test_tree "$BUILD_DIR" -DGOTOOL_WERROR=ON -DGOTOOL_SANITIZE=OFF || built=0
	# Leak checking stays on: memory still referenced at exit (arenas, the interned
	# strings) is not reported, so a report is a real lost pointer.  A caller may
	# override either variable.
	export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
	export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
	test_tree "$ASAN_DIR" -DGOTOOL_SANITIZE=ON -DGOTOOL_WERROR=ON || true
	banned_check
	# Never run the conformance list on a gotool left over from an earlier build.
	if ((built)); then
		conformance
	elif [[ -d $ROOT/../shared/conformance ]]; then
		say "FAIL: conformance: not run, $BUILD_DIR did not build"
		FAILED=$((FAILED + 1))
	fi
	printf '%d passed, %d failed\n' "$PASSED" "$FAILED"
	((FAILED == 0))
}

usage() {
	printf 'usage: %s example|test|deps|build\n' "$0" >&2
	exit 2
}

(($# == 1)) || usage
case $1 in
example) cmd_example ;;
test) cmd_test ;;
deps) cmd_deps ;;
build) cmd_build ;;
*) usage ;;
esac
