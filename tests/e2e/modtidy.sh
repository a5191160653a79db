#!/usr/bin/env bash
# go mod tidy and go mod why, gotool against the real go (go1.26), on a
# module world built here:
#
#   tests/fixtures/modtidy/mkproxy.py writes a file:// GOPROXY tree: a
#   dependency with a test-only dependency of its own (a -> t -> tt), a
#   wrapper requiring it, pruned and unpruned (go 1.16) modules, a version
#   excluded by the main modules, a version replaced by another, modules
#   imported only under a build tag, only from an ignored file, only by
#   tests, unused ones, a module without a go line.
#   m21       go 1.21, untidy: missing, unused and wrongly marked requires
#             in two blocks, an exclude, a version replacement, a directory
#             replacement of a required module and one of a module not
#             required (found at its zero pseudo-version); tidy raises the
#             go line to a dependency's 1.22.0
#   m17       go 1.17 (pruned, checked against go 1.16's unpruned graph)
#   m16       go 1.16 (unpruned)
#   nogoline  no go directive (tidy adds the toolchain's)
#   broken    a missing import and a missing std import (-e)
#   broken2   an import of a package a required module lacks
#   ignore    go 1.25 `ignore` lines: the ignored directories' imports (of
#             modules in the proxy, and of none) count for nothing
#   ambig     go 1.17: a directory-replaced dependency imports a package
#             two modules hold (amb, amb/nested), found in the root
#             amb/nested; go 1.16 would call it ambiguous
#   deleted   the highest of two directory replacements of a module it
#             does not require lacks the imported package
#   tools     go 1.24 tool lines: a command of the module and one of a
#             dependency (example.com/tl); the "tool" pattern, tools in
#             "all", go tool running them
#
# The real go fills the module cache (go mod tidy with the proxy on copies
# of the fixtures); then both tools run with GOPROXY=off and GOFLAGS=-mod=mod
# on fresh copies of each fixture, and stdout, stderr, exit status, go.mod
# and go.sum (byte for byte, and whether it exists) are compared.
# Env: GOTOOL, TESTS, GO (default /usr/local/go/bin/go); MODTIDY_KEEP=1
# keeps the temp dir.
set -euo pipefail

GO=${GO:-/usr/local/go/bin/go}
TESTS=${TESTS:-$(cd "$(dirname "$0")/.." && pwd)}
if [[ ! -x ${GOTOOL:-} ]]; then
	echo "modtidy.sh: GOTOOL not set to a built gotool" >&2
	exit 1
fi
asan=
if grep -qa __asan_init "$GOTOOL"; then
	asan=1
	echo "modtidy: ASan build of gotool: a subset of the cases"
fi

tmp=$(mktemp -d)
cleanup() { chmod -R u+rwx "$tmp" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
if [[ -n ${MODTIDY_KEEP:-} ]]; then
	trap - EXIT
	echo "modtidy: temp dir $tmp"
fi

export GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local GOENV=off GOSUMDB=off GONOSUMDB= CGO_ENABLED=0
export GOPATH=$tmp/gopath GOMODCACHE=$tmp/modcache GOTOOLCACHE=$tmp/gtcache
unset GOWORK GODEBUG GOBIN GOFIPS140 GOOS GOARCH GOEXPERIMENT GO111MODULE
export GOCACHE=${GOTOOL_E2E_GOCACHE:-$tmp/gocache}
mkdir -p "$GOCACHE"

fix=$TESTS/fixtures/modtidy
python3 "$fix/mkproxy.py" "$tmp/proxy"
fixtures=(m21 m17 m16 nogoline broken broken2 ignore ambig deleted tools)
# go fills the module cache (errors expected for broken*); m21's tidy
# go.sum is the base of the go.sum cases below.
for m in "${fixtures[@]}"; do
	cp -r "$fix/$m" "$tmp/fill-$m"
	(cd "$tmp/fill-$m" && GOPROXY=file://$tmp/proxy "$GO" mod tidy -e) >/dev/null 2>&1 || true
done
gosum=$tmp/fill-m21/go.sum
[[ -s $gosum ]] || { echo "modtidy: go did not write m21's go.sum" >&2; exit 1; }

fails=0
ncases=0
# check FIXTURE [SETUP] -- ARGS...: fresh copies of the fixture for each
# tool, SETUP (a shell snippet) run in both, then ARGS under both tools.
check() {
	local m=$1 setup=:
	shift
	if [[ $1 != -- ]]; then
		setup=$1
		shift
	fi
	shift
	ncases=$((ncases + 1))
	local o=$tmp/out
	rm -rf "$o"
	mkdir -p "$o"
	cp -r "$fix/$m" "$o/g"
	cp -r "$fix/$m" "$o/t"
	(cd "$o/g" && eval "$setup")
	(cd "$o/t" && eval "$setup")
	local grc=0 trc=0
	(cd "$o/g" && "$GO" "$@" >"$o/go.out" 2>"$o/go.err") || grc=$?
	(cd "$o/t" && "$GOTOOL" "$@" >"$o/gt.out" 2>"$o/gt.err") || trc=$?
	# go lists MainModules.Tools() in map order; gotool sorted
	if [[ -n ${sort_out:-} ]]; then
		sort -o "$o/go.out" "$o/go.out"
		sort -o "$o/gt.out" "$o/gt.out"
	fi
	sed -i 's/^gotool: /go: /; s/\([^a-z]\)gotool: /\1go: /; s/^usage: gotool /usage: go /; s/^Run .gotool help/Run '"'"'go help/' "$o/gt.err"
	sed -i "s|$o/g/|\$DIR/|g" "$o/go.err"
	sed -i "s|$o/t/|\$DIR/|g" "$o/gt.err"
	local bad=
	if ! cmp -s "$o/go.out" "$o/gt.out"; then
		echo "--- stdout differs: ($m; $setup; $*)"
		diff -u "$o/go.out" "$o/gt.out" | head -40 || true
		bad=1
	fi
	if ! cmp -s "$o/go.err" "$o/gt.err"; then
		echo "--- stderr differs: ($m; $setup; $*)"
		diff -u "$o/go.err" "$o/gt.err" | head -40 || true
		bad=1
	fi
	if [[ $grc != "$trc" ]]; then
		echo "--- exit code differs: ($m; $*): go $grc, gotool $trc"
		bad=1
	fi
	local f
	for f in go.mod go.sum vendor/modules.txt; do
		if [[ -e $o/g/$f && ! -e $o/t/$f ]] || [[ ! -e $o/g/$f && -e $o/t/$f ]]; then
			echo "--- $f exists for one tool only: ($m; $*)"
			bad=1
		elif [[ -e $o/g/$f ]] && ! cmp -s "$o/g/$f" "$o/t/$f"; then
			echo "--- $f differs: ($m; $setup; $*)"
			diff -u "$o/g/$f" "$o/t/$f" | head -40 || true
			bad=1
		fi
	done
	[[ -n $bad ]] && fails=$((fails + 1))
	return 0
}

# go.sum with an extra line, a stale line and missing lines
untidy_sum="cp '$gosum' go.sum; echo 'example.com/zzz v9.9.9 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' >>go.sum; sed -i '/example.com\/a v1.0.0 h1/d; /example.com\/t v1.0.0\/go.mod/d' go.sum"

# m17's go.sum without example.com/t's sums: a's test imports t
m17_nosum="cp '$tmp/fill-m17/go.mod' '$tmp/fill-m17/go.sum' .; sed -i '/example.com\/t /d' go.sum"

if [[ -n $asan ]]; then
	check m21 -- mod tidy
	check m16 -- mod tidy -v
	check m17 "$untidy_sum" -- mod tidy -diff
	check broken -- mod tidy -e
	check m21 -- mod why example.com/tt example.com/u
	check ignore -- mod tidy -x
	check ambig -- mod tidy -compat=1.17 -diff
	check deleted -- list -mod=readonly ./...
	check m17 "$m17_nosum" -- list -mod=readonly -deps -test all
else
	for m in "${fixtures[@]}"; do
		check $m -- mod tidy
		check $m -- mod tidy -e
		check $m -- mod tidy -v
		check $m -- mod tidy -diff
		check $m -- mod tidy -e -diff
	done
	# go mod tidy never reads a go.work around the module
	check m21 "printf 'go 1.21\\nuse ./nowhere\\n' >../go.work" -- mod tidy
	for m in m21 m17 m16; do
		check $m "$untidy_sum" -- mod tidy
		check $m "$untidy_sum" -- mod tidy -diff
		check $m "cp '$gosum' go.sum" -- mod tidy
		check $m "cp '$gosum' go.sum" -- mod tidy -diff
	done
	# an already tidy module: nothing to do, -diff prints nothing
	check m21 "cp '$tmp/fill-m21/go.mod' '$tmp/fill-m21/go.sum' ." -- mod tidy -diff
	check m21 "cp '$tmp/fill-m21/go.mod' '$tmp/fill-m21/go.sum' ." -- mod tidy -v
	for a in -go=1.21 -go=1.22.0 -go=1.23 -go=1.26 -go=1.17 "-v -go=1.21" -compat=1.16 -compat=1.17 \
		-compat=1.20 -go=1.27 -go=abc -compat=x "-go=1.23 -compat=1.16"; do
		for m in m21 m17 nogoline; do
			check $m -- mod tidy $a
		done
	done
	check m16 -- mod tidy -go=1.17
	# tidy -diff keeps the zip sums the run checked: never amb's, whose
	# zip the pruned graph never opens (TidyGoSum's used sums)
	for a in -compat=1.17 -compat=1.16 ""; do
		check ambig -- mod tidy $a -diff
		check ambig -- mod tidy -e $a -diff
		check ambig "cp '$tmp/fill-ambig/go.sum' ." -- mod tidy $a -diff
		check ambig "cp '$tmp/fill-ambig/go.sum' ." -- mod tidy -e $a
	done
	check ambig -- mod tidy -compat=1.17
	check ambig "cp '$tmp/fill-ambig/go.sum' ." -- list -deps ./...
	check ambig "cp '$tmp/fill-ambig/go.sum' .; sed -i 's/^go 1.17$/go 1.16/' go.mod" -- list -mod=mod -deps ./...
	# "replaced but not required" only for the highest replaced version;
	# with -mod=mod the query answers from the replacements, GOPROXY=off
	for s in : "sed -i '/v0.2.0/d' go.mod" "sed -i 's/v0.1.0 =>/=>/; /v0.2.0/d' go.mod"; do
		check deleted "$s" -- list -mod=readonly ./...
		check deleted "$s" -- build -mod=readonly ./...
		check deleted "$s" -- mod tidy
		check deleted "$s" -- list ./...
		check deleted "$s" -- list -e -f '{{.Error}}' ./...
	done
	# tools (go.mod tool lines): the "tool" pattern, tools in "all", go tool
	tools_sum="cp '$tmp/fill-tools/go.mod' '$tmp/fill-tools/go.sum' ."
	sort_out=1
	check tools "$tools_sum" -- list tool
	check tools "$tools_sum" -- list -deps tool
	check tools "$tools_sum" -- list all
	check tools "$tools_sum" -- list -f '{{.ImportPath}} {{.Module}}' tool all
	sort_out=
	check tools "$tools_sum" -- list tool/...
	check tools "$tools_sum" -- tool
	check tools "$tools_sum" -- tool echoer a -b
	check tools "$tools_sum" -- tool example.com/tools/cmd/echoer exit 3
	check tools "$tools_sum" -- tool tl x
	check tools "$tools_sum" -- tool example.com/tl/cmd/tl
	check tools "$tools_sum" -- tool -modcacherw tl
	check tools "$tools_sum" -- tool nosuch
	check tools "$tools_sum" -- tool v2
	check tools "$tools_sum" -- build -o /dev/null tool
	check tools "$tools_sum" -- mod why -m example.com/tl
	# a tool no module provides; a tool path that is no import path
	check tools "$tools_sum; printf 'tool example.com/nosuch/cmd/x\n' >>go.mod" -- mod tidy -e
	check tools "$tools_sum; printf 'tool example.com/nosuch/cmd/x\n' >>go.mod" -- list -e all
	check tools "$tools_sum; printf 'tool example.com/nosuch/cmd/x\n' >>go.mod" -- list -mod=readonly all
	check tools "$tools_sum; printf 'tool ./bad\n' >>go.mod" -- list all
	check tools "$tools_sum; printf 'tool ./bad\n' >>go.mod" -- tool
	check tools "$tools_sum; printf 'tool ./bad\n' >>go.mod" -- list -m
	# list -m's Time is a *time.Time: String() when printed, its methods
	check m21 "cp '$tmp/fill-m21/go.mod' '$tmp/fill-m21/go.sum' ." -- list -m \
		-f '{{.Path}} {{.Time}} {{if .Time}}{{.Time.Format "Mon Jan _2 2006 15:04:05.000 MST"}} {{.Time.Unix}}{{end}}' all
	check m21 "cp '$tmp/fill-m21/go.mod' '$tmp/fill-m21/go.sum' ." -- list -m -json example.com/b
	check m21 "cp '$tmp/fill-m21/go.mod' '$tmp/fill-m21/go.sum' ." -- list -m -f '{{.Time.Format}}' example.com/b
	# a go.work that uses no module: no module root, go's workspace
	# error text; outside any module list -m names command-line-arguments
	ws_empty="printf 'go 1.25\n' >go.work"
	check m21 "$ws_empty" -- list -mod=readonly .
	check m21 "$ws_empty" -- build -mod=readonly .
	check m21 "$ws_empty" -- list -mod=readonly -m
	check m21 "$ws_empty" -- list -mod=readonly -m -json
	check m21 "$ws_empty" -- list -mod=readonly -m all
	check m21 "$ws_empty" -- list -mod=readonly -m example.com/a
	check m21 "$ws_empty" -- mod download
	check m21 "$ws_empty" -- work vendor
	check m21 "rm go.mod" -- list -m
	check m21 "rm go.mod" -- list -m -json
	check m21 "rm go.mod" -- list -m -versions
	check m21 "rm go.mod" -- list -m all
	# a test's import with a missing sum: "go get -t"
	check m17 "$m17_nosum" -- list -mod=readonly -deps -test all
	check m17 "$m17_nosum" -- list -mod=readonly -e -deps -test -f '{{.ImportPath}} {{.Error}}' all
	check m17 "$m17_nosum" -- vet -mod=readonly example.com/a
	check m16 -- mod tidy -go=1.21
	check m16 -- mod tidy -compat=1.17
	check m21 -- mod tidy extra
	check m21 -- mod tidy -bogus
	# ignore lines: -x names the directories skipped; vendor and why skip them too
	check ignore -- mod tidy -x
	check ignore "cp '$tmp/fill-ignore/go.sum' ." -- mod vendor
	check ignore "cp '$tmp/fill-ignore/go.sum' ." -- mod why example.com/tt example.com/a example.com/b
	check ignore "cp '$tmp/fill-ignore/go.sum' ." -- mod why -m example.com/tt example.com/b
fi

if [[ -z $asan ]]; then
	whypkgs=(example.com/b example.com/tt example.com/x example.com/nogo fmt example.com/u example.com/tagged
		example.com/ignored example.com/testonly example.com/rr/p example.com/m21/sub internal/bytealg)
	whymods=(example.com/b example.com/tt example.com/x example.com/u example.com/deep example.com/r2 example.com/rr)
	for m in m21 m17 m16; do
		check $m -- mod why "${whypkgs[@]}"
		check $m -- mod why -m "${whymods[@]}"
		check $m -- mod why -vendor "${whypkgs[@]}"
		check $m -- mod why -m -vendor "${whymods[@]}"
		check $m -- mod why
		check $m -- mod why -m
	done
	check broken -- mod why example.com/missing/pkg nosuchstd/pkg example.com/a
	check m21 -- mod why -m example.com/a@v1.0.0
fi

# Missing imports looked up through the proxy (queryImport: every module
# path that may hold the package queried @latest and downloaded), each
# tool with its own empty module cache: stdout, stderr (the downloads
# sorted), exit status, go.mod, go.sum and the module cache's files.
checknet() {
	local m=$1
	shift
	ncases=$((ncases + 1))
	local o=$tmp/net
	rm -rf "$o"
	mkdir -p "$o"
	cp -r "$fix/$m" "$o/g"
	cp -r "$fix/$m" "$o/t"
	local grc=0 trc=0
	(cd "$o/g" && GOMODCACHE=$o/mcg GOPROXY=file://$tmp/proxy "$GO" "$@" >"$o/go.out" 2>"$o/go.err") || grc=$?
	(cd "$o/t" && GOMODCACHE=$o/mct GOPROXY=file://$tmp/proxy "$GOTOOL" "$@" >"$o/gt.out" 2>"$o/gt.err") || trc=$?
	sed -i 's/^gotool: /go: /; s/\([^a-z]\)gotool: /\1go: /' "$o/gt.err"
	sed -i "s#$o/mcg#\$MC#g" "$o/go.err"
	sed -i "s#$o/mct#\$MC#g" "$o/gt.err"
	local bad=
	if ! cmp -s "$o/go.out" "$o/gt.out" || [[ $grc != "$trc" ]] ||
		! cmp -s <(grep '^go: downloading' "$o/go.err" | sort; grep -v '^go: downloading' "$o/go.err") \
			<(grep '^go: downloading' "$o/gt.err" | sort; grep -v '^go: downloading' "$o/gt.err"); then
		echo "--- output differs: (network: $m; $*): go $grc, gotool $trc"
		diff -u "$o/go.err" "$o/gt.err" | head -40 || true
		bad=1
	fi
	local f
	for f in go.mod go.sum; do
		[[ -e $o/g/$f || -e $o/t/$f ]] || continue
		if ! cmp -s "$o/g/$f" "$o/t/$f"; then
			echo "--- $f differs: (network: $m; $*)"
			diff -u "$o/g/$f" "$o/t/$f" | head -40 || true
			bad=1
		fi
	done
	# the module cache's files (go's side lock included; not the sumdb)
	if ! diff <(cd "$o/mcg" && find . -path ./cache/download/sumdb -prune -o -print | LC_ALL=C sort) \
		<(cd "$o/mct" && find . -path ./cache/download/sumdb -prune -o -print | LC_ALL=C sort); then
		echo "--- module caches differ: (network: $m; $*)"
		bad=1
	fi
	chmod -R u+rwx "$o" 2>/dev/null || true
	[[ -n $bad ]] && fails=$((fails + 1))
	return 0
}
for m in "${fixtures[@]}"; do
	checknet $m mod tidy -e
	[[ -n $asan ]] && continue
	checknet $m mod tidy
done

echo "modtidy: $ncases cases, $fails failed"
[[ $fails == 0 ]]
