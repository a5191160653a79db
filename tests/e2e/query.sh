#!/usr/bin/env bash
# Module queries (modload/query.c) through `mod download` and `list -m`
# (cmd/moddownload.c, cmd/listmod.c), gotool against the real go on the
# same local proxy (tests/tools/proxyserver.py on 127.0.0.1) serving
# tests/fixtures/query/mkproxy.py's modules: many releases and
# prereleases, retractions with and without a rationale, +incompatible
# versions (shown or hidden by filterVersions), a v2 major, a version the
# main go.mod excludes, a module with only a pseudo-version, one whose
# @latest alone names its version, one fully retracted, one deprecated.
#
# mod download (each tool its own module cache): every query form (latest,
# upgrade, patch, v1, v1.2, <, <=, >, >=, exact, +meta, a revision, a
# branch) and the errors (no match, invalid versions and ranges, an
# unknown module, std, a bad path); -json compared with cache paths
# masked, stderr, exit status, the go.sum written and the cache trees.
# list -m (one cache go filled): all, patterns, path@query, -u, -versions,
# -retracted, -json, -f, -e.  Replaced modules (lookupRepo's
# replacementRepo): a version-less directory replacement and a versioned
# one of modules no proxy has, and a replaced version above the proxy's
# list.  Under ASan a subset runs.
set -euo pipefail
GO=${GO:-/usr/local/go/bin/go}
TOOLS=$TESTS/tools
if ! command -v python3 >/dev/null; then
	echo "SKIP: python3 not installed"
	exit 0
fi
T=$(mktemp -d)
SERVER=
cleanup() {
	[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null
	chmod -R u+rwx "$T" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
export HOME="$T/home" GOFLAGS= GOTOOLCHAIN=local GOENV=off GOSUMDB=off GONOSUMDB= GOPRIVATE= GONOPROXY= \
	GOINSECURE= GOPATH="$T/gopath" GO111MODULE= CGO_ENABLED=0
export GOCACHE=${GOTOOL_E2E_GOCACHE:-$T/gocache}
unset GOMODCACHE GODEBUG GOOS GOARCH GOWORK
mkdir -p "$HOME" "$GOCACHE"
asan=
if grep -qa __asan_init "$GOTOOL"; then
	asan=1
	echo "query: ASan build of gotool: a subset of the cases"
fi
fail=0
n=0

python3 "$TESTS/fixtures/query/mkproxy.py" "$T/proxy"
python3 "$TOOLS/proxyserver.py" serve "$T/proxy" "$T/port" &
SERVER=$!
for _ in $(seq 100); do
	[ -s "$T/port" ] && break
	sleep 0.05
done
PORT=$(cat "$T/port")
export GOPROXY=http://127.0.0.1:$PORT/ok
mkdir -p "$T/empty"

mask() {
	sed -e "s#$T/mc-gotool#\$MC#g; s#$T/mc-go#\$MC#g; s#$T#\$T#g; s#^gotool: #go: #; s#\([^a-z]\)gotool: #\1go: #g" \
		-e "s#'gotool help#'go help#g; s#127.0.0.1:$PORT#\$HOST#g" "$1"
}
tree() {
	[ -d "$1" ] || return 0
	(cd "$1" && find . \( -name '*.lock' -o -name '*.tmp' \) -prune -o -printf '%p %y %m\n' | sort |
		while read -r p y m; do
			if [ "$y" = f ]; then echo "$p $m $(sha256sum <"$p" | cut -c1-16)"; else echo "$p $y $m"; fi
		done)
}
# compare LABEL: the outputs in $T/go.* and $T/gt.*
compare() {
	local label=$1 bad=
	for f in out err rc; do
		if ! diff <(mask "$T/go.$f") <(mask "$T/gt.$f") >"$T/diff"; then
			echo "--- $label: $f differs (go < > gotool)"
			head -40 "$T/diff"
			bad=1
		fi
	done
	n=$((n + 1))
	if [ -n "$bad" ]; then fail=$((fail + 1)); fi
	return 0
}
# dl DIR ARGS...: mod download in a copy of DIR, each tool with a fresh
# module cache; output, go.sum and the caches compared.
dl() {
	local dir=$1
	shift
	for t in go gt; do
		local bin=$GO mc=$T/mc-go
		[ $t = gt ] && bin=$GOTOOL mc=$T/mc-gotool
		rm -rf "$T/w-$t"
		chmod -R u+rwx "$mc" 2>/dev/null || true
		rm -rf "$mc"
		cp -r "$dir" "$T/w-$t"
		local rc=0
		(cd "$T/w-$t" && GOMODCACHE=$mc "$bin" mod download "$@" >"$T/$t.out" 2>"$T/$t.err") || rc=$?
		echo $rc >"$T/$t.rc"
		{ tree "$mc"; cat "$T/w-$t/go.sum" 2>/dev/null || true; } >>"$T/$t.out"
	done
	compare "mod download $* (in $(basename "$dir"))"
}
# lm ARGS...: list in the main module (or $LMDIR) on the shared cache go filled.
lm() {
	local rc=0 dir=${LMDIR:-$T/main}
	(cd "$dir" && GOMODCACHE=$T/mc-list "$GO" list "$@" >"$T/go.out" 2>"$T/go.err") || rc=$?
	echo $rc >"$T/go.rc"
	rc=0
	(cd "$dir" && GOMODCACHE=$T/mc-list "$GOTOOL" list "$@" >"$T/gt.out" 2>"$T/gt.err") || rc=$?
	echo $rc >"$T/gt.rc"
	compare "list $*"
}

cp -r "$TESTS/fixtures/query/main" "$T/main"
(cd "$T/main" && GOMODCACHE=$T/mc-list GOFLAGS=-mod=mod "$GO" mod download >/dev/null 2>&1 &&
	GOMODCACHE=$T/mc-list GOFLAGS=-mod=mod "$GO" list -m all >/dev/null)

# ---- mod download path@query ------------------------------------------
QUERIES=(latest v1 v1.1 v0 v2 v1.9 v1.0.0 v1.0.1+meta v1.2.0 v1.4.0-rc.1 '>v1.0.0' '>=v1.1.0' '<v1.2.0'
	'<=v1.1' '<=v1.2.0' '>v1.1' '>=v3' '<=v1' abcdef123456 master nosuch '<vx' V1 v1.2.3.4 v1.0 -x)
if [ -n "$asan" ]; then
	QUERIES=(latest v1.1 '>=v1.1.0' '<v1.2.0' abcdef123456 nosuch)
fi
for q in "${QUERIES[@]}"; do
	dl "$T/empty" -json "example.com/q@$q"
done
for a in example.com/inc@latest example.com/inc@v3 example.com/inc@v1 'example.com/inc@>v1.0.0' \
	example.com/pre@latest example.com/pre@v0.1 example.com/ex@latest example.com/pseudo@latest \
	example.com/allret@latest example.com/allret@v1.0.0 example.com/lat@latest example.com/q/v2@latest \
	example.com/q/v2@v2.1 example.com/q/v2@v1 example.com/q/v2@v3.0.0 example.com/nomod@latest \
	Example.com/Q@latest std@latest example.com/q@upgrade; do
	[ -n "$asan" ] && [ $n -gt 12 ] && break
	dl "$T/empty" -json "$a"
done
for a in example.com/q@upgrade example.com/q@patch example.com/ex@upgrade example.com/ex@latest example.com/ex@v1 \
	'example.com/ex@>v1.1.0' example.com/ex@v1.2.0 example.com/inc@upgrade example.com/inc@patch \
	example.com/pre@upgrade example.com/pre@patch example.com/q@v1.2 'example.com/q@>v1.1.1' \
	example.com/allret@latest example.com/main@upgrade 'example.com/q@<=v1.0.1' example.com/dep@latest; do
	dl "$T/main" -json "$a"
done
dl "$T/main" example.com/q@latest example.com/ex@upgrade example.com/nosuch@v1.0.0
dl "$T/empty" -json example.com/q@v1.1 example.com/inc@latest 'example.com/q@<v1'

# ---- list -m ------------------------------------------------------------
LISTS=(
	"-m all" "-m -u all" "-m -json -u all" "-m -versions all" "-m -versions -retracted all" "-m -retracted all"
	"-m -u -retracted all" "-m example.com/..." "-m -json example.com/q@latest" "-m -json example.com/q@v1.2.0"
	"-m -retracted example.com/q@v1.2.0" "-m -json -retracted example.com/q@v1.0.0" "-m example.com/q@upgrade"
	"-m example.com/q@patch" "-m -versions example.com/q" "-m -versions example.com/q/v2" "-m -versions example.com/inc"
	"-m -u example.com/q" "-m -e example.com/q@nosuch" "-m example.com/q@nosuch" "-m -e example.com/nomod@latest"
	"-m -e -json example.com/allret@latest" "-m -u -json example.com/ex" "-m -versions example.com/ex"
	"-m -versions -retracted example.com/q" "-m -versions" "-m -u" "-m -e example.com/nosuch/..."
	"-m -json -versions example.com/q" "-m -u -f {{.String}} all" "-m -json -e example.com/q@>v9"
	"-m -u -json example.com/dep" "-m -u example.com/dep" "-m -versions example.com/dep example.com/pseudo"
	"-m example.com/q@v1.0 example.com/ex@latest example.com/inc@upgrade example.com/pre@patch"
	"-m -f {{.Path}}|{{.Version}}|{{.Query}}|{{.Update}}|{{.Versions}}|{{.Retracted}}|{{.Deprecated}} -u -versions all"
	"-m -versions -json example.com/nosuch" "-m example.com/q@-bad" "-m ./x" "-m -e example.com/q@<=v1.2"
)
if [ -n "$asan" ]; then
	LISTS=("-m -json -u all" "-m -versions -retracted all" "-m -e example.com/q@nosuch" "-m -u example.com/dep")
fi
for l in "${LISTS[@]}"; do
	# shellcheck disable=SC2086
	lm $l
done

# ---- replaced modules (replacementRepo) ----------------------------------
R=$T/repl
mkdir -p "$R/rdir" "$R/qdir" "$R/q9"
printf 'module example.com/rr\n\ngo 1.21\n' >"$R/rdir/go.mod"
printf 'module example.com/rq\n\ngo 1.21\n' >"$R/qdir/go.mod"
printf 'module example.com/q\n\ngo 1.21\n' >"$R/q9/go.mod"
printf '%s\n' 'module example.com/repl' '' 'go 1.22' '' 'require (' $'\texample.com/q v1.1.0' \
	$'\texample.com/rq v1.2.0' $'\texample.com/rr v1.0.0' ')' '' 'replace example.com/rr => ./rdir' '' \
	'replace example.com/rq v1.2.0 => ./qdir' '' 'replace example.com/q v1.9.0 => ./q9' >"$R/go.mod"
(cd "$R" && GOMODCACHE=$T/mc-list "$GO" mod download >/dev/null 2>&1)
RDL=(example.com/rr@latest example.com/rr@upgrade example.com/rq@latest example.com/rq@v1.2.0 example.com/rq@v1.3.0
	example.com/q@latest 'example.com/q@<v1.9.0')
[ -n "$asan" ] && RDL=(example.com/rr@latest example.com/q@latest)
for a in "${RDL[@]}"; do
	dl "$R" -json "$a"
done
RLISTS=("-m -versions example.com/rr example.com/rq example.com/q" "-m -u all" "-m -json -u all"
	"-m -json example.com/rr@latest" "-m -json example.com/rq@v1.2.0" "-m -e -json example.com/rq@v1.3.0"
	"-m example.com/q@latest" "-m -json example.com/rr@upgrade")
[ -n "$asan" ] && RLISTS=("-m -versions example.com/rr example.com/rq example.com/q" "-m -json example.com/rq@v1.2.0")
for l in "${RLISTS[@]}"; do
	# shellcheck disable=SC2086
	LMDIR=$R lm $l
done

echo "query: $n cases, $fail failed"
[ $fail -eq 0 ]
