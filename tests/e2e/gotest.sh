#!/usr/bin/env bash
# `gotool test` compared with the real `go test` (go1.26, CGO_ENABLED=0):
# stdout, stderr and the exit status, and the files each command creates in
# the source tree, with what varies from run to run masked on both sides:
# the elapsed time of ok/FAIL lines ("\t0.012s") and of --- PASS/FAIL/SKIP
# lines ("(0.00s)"), the measurements of benchmark lines, and goroutine
# dumps (panics, -timeout): their first goroutine is kept with argument
# values and pc offsets masked, the other goroutines are left out.
#
# Fixture: tests/fixtures/gotest (module example.com/gt), one package per
# subject: pass (passing tests), verbose (subtests, nested, t.Skip, t.Log,
# stdout), bench (benchmarks, b.Run, b.Loop, an example), example
# (// Output:, // Unordered output:, an example without output), exfail (a
# failing example), fail (t.Error, t.Fatal), panic, buildfail (a type error
# in a test file), pkgfail (a type error in the package), timeout (a test
# sleeping 10s), testmain (TestMain with setup output and os.Exit),
# testmainexit (TestMain exiting 3 though the tests pass), xtest (an
# external p_test importing p and an export_test-style variable), data
# (testdata/ and an environment variable), notests, short (testing.Short),
# args (a custom test flag, -args, os.Args[0]), rerun (run twice: the
# second result is "(cached)"; with -count=1 the binary comes from the build
# cache), vetfail (a printf misuse vet reports), multi/... (passing,
# failing, no test files and a build failure, for ./...), cover (branches
# its test leaves uncovered), covnotest (functions, no tests), coverx (only
# an external test).
#
# Every tool has its own GOCACHE, GOPATH and TMPDIR ($T/go, $T/gt; go uses
# GOTOOL_E2E_GOCACHE instead when it is set), kept
# across cases so std is compiled once per tool, and so are the test result
# caches: both tools must cache, and find, the same results (the fixture is
# aged: inputs newer than 2 s are never cached).  gotool runs through a
# symlink named go, so its messages say "go:".  Both run on the same copy of
# the fixture ($T/src); what one creates there is moved aside before the
# other runs, and compared.
#
# Also: -cover (-covermode, -coverprofile: the merged profile compared
# line by line), go test's vet (default analyzers, -vet=off/all/LIST), -json (Time
# and Elapsed masked, events grouped by package as runs interleave), clean
# -testcache, -a -n plans, and standard library packages at the end
# (GOTEST_STD_FULL=1: the whole list of issue 7).  Cases in KNOWN_DIFF are
# run and their differences printed, but do not fail the script.
#
# Env: GOTOOL, TESTS, GO (default /usr/local/go/bin/go), GOTEST_KEEP=1
# keeps the temp dir (with each case's masked outputs in cases/),
# GOTEST_ONLY=REGEXP runs only the cases whose labels match.  An ASan build
# of gotool runs a subset (ASAN_CASES).
set -euo pipefail

GO=${GO:-/usr/local/go/bin/go}
TESTS=${TESTS:-$(cd "$(dirname "$0")/.." && pwd)}
if [[ ! -x ${GOTOOL:-} ]]; then
	echo "gotest.sh: GOTOOL not set to a built gotool" >&2
	exit 1
fi
[[ $GOTOOL == /* ]] || GOTOOL=$PWD/$GOTOOL

VET= # go test's default vet step runs; cases that need it off say -vet=off
# Cases where gotool is known to differ from go (label list; the
# differences are described where the cases run).
KNOWN_DIFF=()

asan=
if grep -qa __asan_init "$GOTOOL"; then
	asan=1
	echo "gotest: ASan build of gotool: a subset of the cases"
fi
# the cases an ASan build runs (labels)
ASAN_CASES=("pass" "-v subtests" "fail" "panic" "build failure in test" "timeout" "-c" "multi ./..." "streaming fail" "bad -timeout" "-a -n"
	"cover several" "cover -coverprofile" "cover -coverprofile (cached)" "cover -a -n")

T=$(mktemp -d)
cleanup() { chmod -R u+rwx "$T" 2>/dev/null || true; rm -rf "$T"; }
trap cleanup EXIT
if [[ -n ${GOTEST_KEEP:-} ]]; then
	trap - EXIT
	echo "gotest: temp dir $T"
fi

mkdir -p "$T/bin" "$T/home" "$T/go/tmp" "$T/gt/tmp"
ln -s "$GOTOOL" "$T/bin/go"
cp -r "$TESTS/fixtures/gotest" "$T/src"
root=$T/src
# test inputs modified in the last 2 s are never cached (go's rule): age the
# fixture so that both tools cache the same results
find "$root" -exec touch -d '1 hour ago' {} +
# -exec wrapper: says what it runs (the binary's base name), then runs it
cat >"$T/bin/wrap" <<'EOF'
#!/bin/sh
b=$1
shift
echo "wrap: ${b##*/} $*"
exec "$b" "$@"
EOF
chmod +x "$T/bin/wrap"
export GOFLAGS= GOPROXY=off GOTOOLCHAIN=local GOENV=off GOSUMDB=off GOWORK=off CGO_ENABLED=0 HOME=$T/home LANG=C
unset GODEBUG GOBIN GOFIPS140 GOOS GOARCH GOEXPERIMENT GO111MODULE GOAMD64 GOROOT_FINAL GOMAXPROCS GT_VALUE

# go's build cache: the suite's shared warm one when there is one (std is then
# compiled only for gotool); go's outputs here do not depend on which
# packages its cache holds.  The fixture's copy lives under a new $T each
# run, so no test result cached by an earlier run can match; clean
# -testcache makes sure of it.
GOC=$T/go/cache
if [[ -n ${GOTOOL_E2E_GOCACHE:-} ]]; then
	GOC=$GOTOOL_E2E_GOCACHE
	GOCACHE=$GOC "$GO" clean -testcache
fi

fail=0
ncases=0
nknown=0
t_start=$EPOCHREALTIME

# norm FILE: per-tool paths, work dirs, timings, benchmark measurements and
# goroutine dumps made comparable.
norm() {
	sed -i -E \
		-e "s#$T/(go|gt)([/ ]|\$)#$T/TOOL\\2#g" \
		-e 's#/go-build[0-9]+#/go-buildNNN#g' \
		-e 's#^(ok  |FAIL)\t([^\t]+)\t[0-9]+\.[0-9]+s#\1\t\2\tN.NNNs#' \
		-e 's#\([0-9]+\.[0-9]+s\)#(N.NNs)#g' \
		-e '/^Benchmark/s#[ \t]+[0-9][0-9.]*# N#g' \
		-e 's#^(\t\t[^ ]+) \([0-9.a-z]+\)$#\1 (D)#' \
		"$1"
	awk '
		/^goroutine [0-9]+ \[/ {
			ngor++
			if (ngor == 1) { print "goroutine N [" ($3 ~ /running/ ? "running" : "...") "]:" } 
			else if (ngor == 2) print "[more goroutines]"
			indump = 1; next
		}
		indump && /^(FAIL|ok|exit status|PASS|---|===)/ { indump = 0; ngor = 0 }
		indump && ngor > 1 { next }
		indump {
			sub(/\([^()]*\)$/, "(...)"); sub(/ \+0x[0-9a-f]+$/, ""); sub(/ in goroutine [0-9]+$/, " in goroutine N")
		}
		{ print }
	' "$1" >"$1.tmp"
	mv "$1.tmp" "$1"
}

# json_group FILE: go test -json lines with Time and Elapsed masked, grouped
# by package (stable: each package's events keep their order).
json_group() {
	sed -i -E -e 's/"Time":"[^"]*",//' -e 's/"Elapsed":[-0-9.e+]+/"Elapsed":E/' \
		-e 's/\\t[0-9]+\.[0-9]+s(\\[nt])/\\tN.NNNs\1/g' "$1"
	awk '{ k = $0; if (match(k, /"(Package|ImportPath)":"[^" ]*/)) k = substr(k, RSTART, RLENGTH); else k = "";
		printf "%s\t%s\n", k, $0 }' "$1" | LC_ALL=C sort -s -t "$(printf '\t')" -k1,1 | cut -f2- >"$1.tmp"
	mv "$1.tmp" "$1"
}

# tree: the source tree, one "path type" line per entry.
tree() { (cd "$root" && find . -mindepth 1 -printf '%P %y\n' | LC_ALL=C sort); }

# same LABEL DIR [VAR=VALUE...] -- ARGS...: run `go test ARGS` with each
# tool in $root/DIR; "@" at the start of an argument or a value stands for
# the tool's own dir ($T/go or $T/gt).  Compares stdout, stderr, the exit
# status and the entries created in the source tree (kept in
# $T/TOOL/made/ for further checks).
same() {
	local label=$1 dir=$2
	shift 2
	local envs=() tool
	while [[ $1 != -- ]]; do
		envs+=("$1")
		shift
	done
	shift
	last_ran=
	if [[ -n $asan ]]; then
		local keep= x
		for x in "${ASAN_CASES[@]}"; do [[ $x == "$label" ]] && keep=1; done
		[[ -n $keep ]] || return 0
	fi
	if [[ -n ${GOTEST_ONLY:-} && ! $label =~ $GOTEST_ONLY ]]; then
		return 0
	fi
	last_ran=1
	ncases=$((ncases + 1))
	local times=() bad=
	for tool in go gt; do
		local bin=$GO mine=$T/$tool
		[[ $tool == gt ]] && bin=$T/bin/go
		local e=() a=() x
		for x in "${envs[@]}"; do e+=("${x/=@/=$mine}"); done
		for x in "$@"; do
			if [[ $x == @* ]]; then a+=("$mine${x#@}"); else a+=("$x"); fi
		done
		local cache=$mine/cache
		[[ $tool == go ]] && cache=$GOC
		local genv=(env GOCACHE="$cache" GOTOOLCACHE="$mine/cache/gotool" GOPATH="$mine/gopath" TMPDIR="$mine/tmp")
		tree >"$T/tree.before"
		local rc=0 t0=$EPOCHREALTIME
		(cd "$root/$dir" && "${genv[@]}" "${e[@]}" "$bin" test "${a[@]}" >"$mine/res.out" 2>"$mine/res.err") || rc=$?
		echo "$rc" >"$mine/res.rc"
		times+=("$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.1fs", b-a}')")
		tree >"$T/tree.after"
		LC_ALL=C comm -13 "$T/tree.before" "$T/tree.after" >"$mine/res.made"
		LC_ALL=C comm -23 "$T/tree.before" "$T/tree.after" | sed 's/^/removed /' >>"$mine/res.made"
		rm -rf "$mine/made"
		mkdir -p "$mine/made"
		local p y
		while read -r p y; do
			[[ $p == removed ]] && continue
			[[ -e $root/$p ]] && mv "$root/$p" "$mine/made/${p//\//_}"
		done <"$mine/res.made" # a new dir comes first, and takes its files

		norm "$mine/res.out"
		norm "$mine/res.err"
		[[ $label == -json* ]] && json_group "$mine/res.out"
		if [[ -n $(ls -A "$mine/tmp") ]]; then
			echo "FAIL: $label: $tool left files in TMPDIR: $(ls -A "$mine/tmp" | tr '\n' ' ')"
			rm -rf "${mine:?}/tmp/"*
			[[ $tool == gt ]] && bad=1
		fi
	done
	if [[ -n ${GOTEST_KEEP:-} ]]; then
		mkdir -p "$T/cases"
		for tool in go gt; do
			for f in out err rc made; do cp "$T/$tool/res.$f" "$T/cases/$ncases.$tool.$f"; done
		done
	fi
	local f msg=
	for f in out err rc made; do
		if ! cmp -s "$T/go/res.$f" "$T/gt/res.$f"; then
			msg+="  $f differs (- go, + gotool):"$'\n'
			msg+="$(diff -u "$T/go/res.$f" "$T/gt/res.$f" | tail -n +3 | head -n 30 || true)"$'\n'
			bad=1
		fi
	done
	local known=
	for x in "${KNOWN_DIFF[@]}"; do [[ $x == "$label" ]] && known=1; done
	if [[ -n $bad && -n $known ]]; then
		nknown=$((nknown + 1))
		echo "KNOWN DIFF: $label: (cd $dir; ${envs[*]} go test $*)"
		printf '%s' "$msg"
	elif [[ -n $bad ]]; then
		fail=$((fail + 1))
		echo "FAIL: $label: (cd $dir; ${envs[*]} go test $*)"
		printf '%s' "$msg"
	else
		[[ -n $known ]] && echo "note: $label is in KNOWN_DIFF but no longer differs"
		printf 'ok   %-34s go %6s  gotool %6s\n' "$label" "${times[0]}" "${times[1]}"
	fi
	return 0
}

# check LABEL CONDITION...: a plain assertion (evaluated with test).
check() {
	local label=$1
	shift
	ncases=$((ncases + 1))
	if ! test "$@"; then
		echo "FAIL: $label"
		fail=$((fail + 1))
	fi
}

# Package list mode: output buffered per package, one summary line each.
same "pass" . -- $VET ./pass
# The same test a second time: "(cached)"; -count=1 runs it again, from
# a binary the build cache gave back (run as $WORK/b001/rerun.test).
same "rerun 1" . -- $VET ./rerun
same "rerun 2 (cached)" . -- $VET ./rerun
same "rerun -count=1" . -- $VET -count=1 ./rerun
same "rerun -v (not cached with -v before)" . -- $VET -v ./rerun
same "rerun -v (cached)" . -- $VET -v ./rerun
same "pass -v" . -- $VET -v ./pass
same "-v subtests" . -- $VET -v ./verbose
same "subtests" . -- $VET ./verbose
same "bench" . -- $VET -bench . -benchtime 1x ./bench
same "bench -benchmem -run ^$" . -- $VET -run '^$' -bench Sub -benchtime 1x -benchmem ./bench
same "examples" . -- $VET -v ./example
same "failing example" . -- $VET ./exfail
same "fail" . -- $VET ./fail
same "fail -v" . -- $VET -v ./fail
same "panic" . -- $VET ./panic
same "build failure in test" . -- $VET ./buildfail
same "build failure in package" . -- $VET ./pkgfail
same "timeout" . -- $VET -timeout 2s ./timeout
same "testmain" . -- $VET -v ./testmain
same "testmain exit 3" . -- $VET ./testmainexit
same "external test package" . -- $VET -v ./xtest
same "testdata, env unset" . -- $VET -v ./data
same "testdata, env set" . GT_VALUE=expected -- $VET -v ./data
same "testdata, env wrong" . GT_VALUE=other -- $VET ./data
# the cached result is found again only for the same env value and testdata
same "testdata, env set again (cached)" . GT_VALUE=expected -- $VET -v ./data
echo changed >>"$root/data/testdata/input.txt" && touch -d '1 hour ago' "$root/data/testdata/input.txt"
same "testdata changed (runs again)" . GT_VALUE=expected -- $VET -v ./data
same "testdata changed (cached)" . GT_VALUE=expected -- $VET -v ./data
same "no test files" . -- $VET ./notests
same "no test files -v" . -- $VET -v ./notests ./pass

# Test flags.
same "-run" . -- $VET -v -run 'Table/one|Nested' ./verbose
same "-run no match" . -- $VET -run NoSuchTest ./verbose
same "-skip" . -- $VET -v -skip 'Table|Print' ./verbose
same "-count 2" . -- $VET -v -count 2 -run TestAdd$ ./pass
same "-list ." . -- $VET -list . ./verbose ./bench ./example
same "-failfast" . -- $VET -failfast ./fail
same "-short" . -- $VET -v -short ./short
same "not -short" . -- $VET -v ./short
same "-shuffle 1" . -- $VET -v -shuffle 1 ./pass
same "-args" . -- $VET -v ./args -args -name=gopher a 'b c'
# os.Args[0] is args.test, also when the binary came from the cache
same "custom flag" . -- $VET -v ./args -name=inline
same "-timeout ok" . -- $VET -timeout 1m -run Quick ./timeout
# -exec: the wrapper gets $WORK/b001/pkg.test
same "-exec" . -- $VET -exec "$T/bin/wrap" ./pass ./fail
same "-exec -v" . -- $VET -v -exec "$T/bin/wrap" -run TestAdd$ ./pass

# -c and -o: the binaries go and gotool write must be identical.
# cmp_made LABEL: compare what the last case made (if it ran).
cmp_made() {
	local label=$1
	[[ -n $last_ran ]] || return 0
	ncases=$((ncases + 1))
	if [[ -z $(ls -A "$T/go/made") ]]; then
		echo "FAIL: $label: go made no file"
		fail=$((fail + 1))
		return
	fi
	if ! diff -r "$T/go/made" "$T/gt/made"; then
		echo "FAIL: $label: the files differ"
		fail=$((fail + 1))
		return
	fi
	echo "ok   $label (identical: $(cd "$T/go/made" && find . -type f -printf '%P ' | LC_ALL=C sort))"
}
# -trimpath compiles std a second time: GOTEST_STD_FULL=1 only (CI time)
if [[ -n ${GOTEST_STD_FULL:-} ]]; then
	same "-c -trimpath" pass -- $VET -c -trimpath
	cmp_made "-c -trimpath binary"
fi
same "-c" . -- $VET -c ./xtest
cmp_made "-c binary"
same "-c -o file" . -- $VET -c -o out/p.test ./pass
cmp_made "-c -o file binary"
same "-c -o dir/" . -- $VET -c -o od/ ./pass ./xtest ./notests
cmp_made "-c -o dir/ binaries"
same "-c several" . -- $VET -c ./pass ./xtest
same "-c -o file several" . -- $VET -c -o x.test ./pass ./xtest
same "-c build failure" . -- $VET -c ./buildfail
same "-o /dev/null" . -- $VET -o /dev/null ./pass
same "-c -o /dev/null" . -- $VET -c -o /dev/null ./pass

# Several packages, failing ones among them: a final FAIL line, exit 1.
same "multi ./..." multi -- $VET ./...
same "multi -v ./..." multi -- $VET -v ./...
same "several" . -- $VET ./pass ./fail ./notests ./xtest ./pkgfail ./exfail
# -p 1: go's failfast check races with the next run's start otherwise
same "several -failfast" . -- $VET -p 1 -failfast ./fail ./pass

# No package argument: the current directory, output streamed.
same "streaming pass" pass -- $VET
same "streaming fail" fail -- $VET
same "streaming panic" panic -- $VET
same "streaming testmain exit 3" testmainexit -- $VET
same "streaming build failure" buildfail -- $VET
same "streaming no test files" notests -- $VET

# Flag errors.
same "bad -timeout" . -- $VET -timeout x ./pass
same "unknown flag with -c" . -- $VET -c -bogus ./pass
same "bad -count" . -- $VET -count=-x ./pass
same "missing package" . -- $VET ./nosuch

# Vet: go test's default analyzers, -vet=off, a list, all.
same "vet failure" . -- ./vetfail
same "vet failure -v" . -- -v ./vetfail ./pass
same "-vet=off" . -- -vet=off ./vetfail
same "-vet=printf" . -- -vet=printf ./vetfail
same "-vet=atomic" . -- -vet=atomic ./vetfail
same "-vet=all" . -- -vet=all ./pass
same "-vet=bogus" . -- -vet=bogus ./pass
same "-vet=off,printf" . -- -vet=off,printf ./pass

# -json: test2json events (Time and Elapsed masked); events of different
# packages interleave as the runs go, so they are compared per package.
same "-json" . -- $VET -json ./pass ./fail ./notests
same "-json build failure" . -- $VET -json ./buildfail ./vetfail
same "-json -v fail pass" . -- $VET -json -v ./fail ./pass
same "-json setup failure" . -- $VET -json ./nosuch

# clean -testcache: every result runs again.
same "before clean -testcache" . -- $VET ./pass
for tool in go gt; do
	bin=$GO
	[[ $tool == gt ]] && bin=$T/bin/go
	cache=$T/$tool/cache
	[[ $tool == go ]] && cache=$GOC
	(cd "$root" && env GOCACHE="$cache" GOTOOLCACHE="$T/$tool/cache/gotool" "$bin" clean -testcache)
done
same "after clean -testcache" . -- $VET ./pass

# Coverage: the cover tool per package, the percentage in the ok line
# (taken from the test's output; go tool covdata's for a package without
# tests, which gotool computes from the meta-data file itself), the test
# result cache (also for the profile).
same "cover" . -- $VET -cover ./cover
same "cover several" . -- $VET -cover ./cover ./covnotest ./notests ./pass ./coverx ./fail
same "cover several (cached)" . -- $VET -cover ./cover ./covnotest ./notests ./pass ./coverx ./fail
same "cover -v streaming" cover -- $VET -cover -v
same "cover -covermode=count" . -- $VET -covermode=count ./cover ./xtest
same "cover -covermode=atomic" . -- $VET -covermode=atomic ./cover ./covnotest
same "cover -covermode=bogus" . -- $VET -covermode=bogus ./cover
same "-json -cover" . -- $VET -json -cover ./cover ./covnotest
# cmp_profile LABEL: the -coverprofile files of the last case, sorted (runs
# finish, and merge, in any order)
cmp_profile() {
	[[ -n $last_ran ]] || return 0
	ncases=$((ncases + 1))
	if ! diff <(LC_ALL=C sort "$T/go/c.out") <(LC_ALL=C sort "$T/gt/c.out"); then
		echo "FAIL: $1: the profiles differ"
		fail=$((fail + 1))
	elif [[ $(head -1 "$T/gt/c.out") != mode:* ]]; then
		echo "FAIL: $1: no mode line first"
		fail=$((fail + 1))
	else
		echo "ok   $1 ($(wc -l <"$T/gt/c.out") lines)"
	fi
}
same "cover -coverprofile" . -- $VET -coverprofile @/c.out ./cover ./covnotest ./notests ./multi/...
cmp_profile "cover -coverprofile profile"
same "cover -coverprofile (cached)" . -- $VET -coverprofile @/c.out ./cover ./covnotest ./notests ./multi/...
cmp_profile "cover -coverprofile (cached) profile"
same "cover -c" . -- $VET -cover -c -o od/ ./cover ./coverx
cmp_made "cover -c binaries"
same "cover -a -n" . -- $VET -a -n -cover ./cover ./covnotest ./coverx
same "cover -a -n -coverprofile" . -- $VET -a -n -covermode=count -coverprofile @/c.out ./covnotest

# The plan (-n), with -a so neither cache matters.
same "-a -n" . -- $VET -a -n ./xtest
same "-a -n -c" . -- $VET -a -n -c -o /dev/null ./pass
same "-a -n -vet=off" . -- -vet=off -a -n ./xtest

# Standard library packages (the caches are warm from the cases above):
# every package passes with go's lines, then every result is cached.
# GOTEST_STD_FULL=1 runs the whole list of issue 7 (several minutes).
STD=(errors path container/list unicode/utf8)
if [[ -n ${GOTEST_STD_FULL:-} ]]; then
	STD=(strings sort bytes bufio errors path path/filepath container/list encoding/json
		encoding/base64 unicode/utf8 math/big regexp text/template go/parser)
elif [[ -n $asan ]]; then
	STD=()
fi
if [[ ${#STD[@]} -gt 0 ]]; then
same "std" . -- "${STD[@]}"
same "std (cached)" . -- "${STD[@]}"
if [[ -n $last_ran ]]; then
	check "std: ${#STD[@]} packages cached" "$(grep -c '(cached)$' "$T/gt/res.out")" -eq "${#STD[@]}"
fi
fi

elapsed=$(awk -v a="$t_start" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.0f", b-a}')
echo "gotest: $ncases cases, $fail failed, $nknown known differences (${elapsed}s)"
[[ $fail == 0 ]]
