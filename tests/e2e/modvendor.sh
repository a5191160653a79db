#!/usr/bin/env bash
# go mod vendor, gotool against the real go (go1.26), on two module worlds
# built here, each with its own file:// GOPROXY and module cache:
#
#   tidy    tests/fixtures/modtidy (see modtidy.sh): made tidy by go mod
#           tidy with the proxy, then vendored; and as committed (untidy:
#           go's readonly errors: missing go.sum entries, updates needed)
#   vendor  tests/fixtures/modvendor (see its mkproxy.py): license files
#           in module roots and parent directories, files left out or kept
#           whatever their build constraints, go.mod/go.sum of dependencies
#           (kept below go 1.17), //go:embed patterns of package, test and
#           cgo files (CGO_ENABLED=0 and 1), a bad embed pattern (-e and
#           not), a missing import (-e and not), replacements written at
#           the end of modules.txt, go 1.21/1.22 (test embeds), go 1.16, no
#           dependencies (the old vendor directory goes), -v, -o, an
#           existing vendor tree, arguments, a workspace.
#
# For each case both tools run on fresh copies of the module; stdout,
# stderr, exit status and the whole resulting tree (file contents, modes,
# what exists) are compared.
#
# One deliberate difference: go removes the vendor directory before it
# checks that no replacement directory lies inside it, so on that error it
# has deleted the replacement's files; gotool builds the new tree beside
# the old one and checks first, so that error loses nothing.
# Env: GOTOOL, TESTS, GO (default /usr/local/go/bin/go); MODVENDOR_KEEP=1
# keeps the temp dir.
set -euo pipefail

GO=${GO:-/usr/local/go/bin/go}
TESTS=${TESTS:-$(cd "$(dirname "$0")/.." && pwd)}
if [[ ! -x ${GOTOOL:-} ]]; then
	echo "modvendor.sh: GOTOOL not set to a built gotool" >&2
	exit 1
fi
asan=
if grep -qa __asan_init "$GOTOOL"; then
	asan=1
	echo "modvendor: ASan build of gotool: a subset of the cases"
fi

tmp=$(mktemp -d)
cleanup() { chmod -R u+rwx "$tmp" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
if [[ -n ${MODVENDOR_KEEP:-} ]]; then
	trap - EXIT
	echo "modvendor: temp dir $tmp"
fi

export GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local GOENV=off GOSUMDB=off GONOSUMDB= CGO_ENABLED=0
export GOPATH=$tmp/gopath GOTOOLCACHE=$tmp/gtcache
unset GOWORK GODEBUG GOBIN GOFIPS140 GOOS GOARCH GOEXPERIMENT GO111MODULE GOMODCACHE
export GOCACHE=${GOTOOL_E2E_GOCACHE:-$tmp/gocache}
mkdir -p "$GOCACHE"

# world NAME FIXDIR MODULES...: the proxy and module cache of a world, and
# tidy copies of its modules (the fill-* directories, made by go).
world() {
	local name=$1 fix=$2 m
	shift 2
	python3 "$fix/mkproxy.py" "$tmp/$name/proxy"
	mkdir -p "$tmp/$name/mods"
	for m in "$@"; do
		cp -r "$fix/$m" "$tmp/$name/mods/$m"
		cp -r "$fix/$m" "$tmp/$name/mods/fill-$m"
		(cd "$tmp/$name/mods/fill-$m" && GOMODCACHE=$tmp/$name/modcache GOPROXY=file://$tmp/$name/proxy \
			"$GO" mod tidy -e) >/dev/null 2>&1 || true
	done
}
world tidy "$TESTS/fixtures/modtidy" m21 m17 m16 nogoline broken broken2
world vendor "$TESTS/fixtures/modvendor" v22 v21 v16 vnone vinvendor vbadembed vbroken
# the vendor world's modules keep their go.mod (go lines below tidy's)
# and take tidy's go.sum
for m in v22 v21 v16 vbadembed vbroken; do
	cp "$tmp/vendor/mods/fill-$m/go.sum" "$tmp/vendor/mods/$m/go.sum"
done

fails=0
ncases=0
known=0
# check WORLD MODULE [ENV=V...] [SETUP] -- ARGS...: fresh copies of the
# module for each tool, SETUP (a shell snippet) run in both, then ARGS
# under both tools with the ENV settings.
check() {
	local w=$1 m=$2 setup=: envs=()
	shift 2
	while [[ $1 == *=* && $1 != -* ]]; do
		envs+=("$1")
		shift
	done
	if [[ $1 != -- ]]; then
		setup=$1
		shift
	fi
	shift
	ncases=$((ncases + 1))
	local o=$tmp/out
	rm -rf "$o"
	mkdir -p "$o"
	cp -r "$tmp/$w/mods/$m" "$o/g"
	cp -r "$tmp/$w/mods/$m" "$o/t"
	export GOMODCACHE=$tmp/$w/modcache
	(cd "$o/g" && eval "$setup")
	(cd "$o/t" && eval "$setup")
	local grc=0 trc=0
	(cd "$o/g" && env ${envs[@]+"${envs[@]}"} "$GO" "$@" >"$o/go.out" 2>"$o/go.err") || grc=$?
	(cd "$o/t" && env ${envs[@]+"${envs[@]}"} "$GOTOOL" "$@" >"$o/gt.out" 2>"$o/gt.err") || trc=$?
	sed -i 's/^gotool: /go: /; s/\([^a-z]\)gotool: /\1go: /; s/^usage: gotool /usage: go /; s/^Run .gotool help/Run '"'"'go help/' "$o/gt.err"
	# (each tool ran in its own copy: gotool's directory named as go's)
	sed -i "s#$o/t\\b#$o/g#g" "$o/gt.err" "$o/gt.out"
	local bad= what="($w $m; ${envs[*]-} $setup; $*)"
	if ! cmp -s "$o/go.out" "$o/gt.out"; then
		echo "--- stdout differs: $what"
		diff -u "$o/go.out" "$o/gt.out" | head -40 || true
		bad=1
	fi
	if ! cmp -s "$o/go.err" "$o/gt.err"; then
		echo "--- stderr differs: $what"
		diff -u "$o/go.err" "$o/gt.err" | head -40 || true
		bad=1
	fi
	if [[ $grc != "$trc" ]]; then
		echo "--- exit code differs: $what: go $grc, gotool $trc"
		bad=1
	fi
	# the trees: what exists with which mode, and the contents
	(cd "$o/g" && find . -printf '%p %m %y\n' | LC_ALL=C sort) >"$o/g.ls"
	(cd "$o/t" && find . -printf '%p %m %y\n' | LC_ALL=C sort) >"$o/t.ls"
	if ! cmp -s "$o/g.ls" "$o/t.ls"; then
		echo "--- trees differ: $what"
		diff -u "$o/g.ls" "$o/t.ls" | head -40 || true
		bad=1
	elif ! diff -r "$o/g" "$o/t" >"$o/tree.diff"; then
		echo "--- file contents differ: $what"
		head -40 "$o/tree.diff"
		bad=1
	fi
	[[ -n $bad ]] && fails=$((fails + 1))
	return 0
}

# check_known ...: a case with the deliberate difference above; the
# output and exit status must still match, and gotool's tree must be the
# module as it was.
check_known() {
	local w=$1 m=$2 o=$tmp/out
	shift 3
	ncases=$((ncases + 1))
	known=$((known + 1))
	rm -rf "$o"
	mkdir -p "$o"
	cp -r "$tmp/$w/mods/$m" "$o/g"
	cp -r "$tmp/$w/mods/$m" "$o/t"
	export GOMODCACHE=$tmp/$w/modcache
	local grc=0 trc=0
	(cd "$o/g" && "$GO" "$@" >"$o/go.out" 2>"$o/go.err") || grc=$?
	(cd "$o/t" && "$GOTOOL" "$@" >"$o/gt.out" 2>"$o/gt.err") || trc=$?
	sed -i 's/^gotool: /go: /' "$o/gt.err"
	if ! cmp -s "$o/go.out" "$o/gt.out" || ! cmp -s "$o/go.err" "$o/gt.err" || [[ $grc != "$trc" ]] ||
		! diff -r "$tmp/$w/mods/$m" "$o/t" >/dev/null; then
		echo "--- known-difference case differs: ($w $m; $*)"
		diff -u "$o/go.err" "$o/gt.err" | head -20 || true
		fails=$((fails + 1))
	fi
}

# the tidy world: vendored when tidy, refused when not
for m in m21 m17 m16 nogoline broken broken2; do
	check tidy fill-$m -- mod vendor
	[[ -n $asan ]] && continue
	check tidy fill-$m -- mod vendor -e
	check tidy $m -- mod vendor
done
if [[ -z $asan ]]; then
	# a tidy go.mod with a go.sum missing a zip hash, and one missing a go.mod hash
	check tidy fill-m21 "sed -i '/example.com\/a v1.0.0 h1/d' go.sum" -- mod vendor
	check tidy fill-m21 "sed -i '/example.com\/t v1.0.0\/go.mod/d' go.sum" -- mod vendor
	check tidy fill-m17 "sed -i '/example.com\/old v1.0.0 h1/d' go.sum" -- mod vendor -e
fi

# the vendor world
for m in v22 v21 v16 vnone vbadembed vbroken; do
	check vendor $m -- mod vendor
	[[ -n $asan ]] && continue
	check vendor $m -- mod vendor -e
	check vendor $m -- mod vendor -v
done
check vendor v22 CGO_ENABLED=1 -- mod vendor
check vendor v21 CGO_ENABLED=1 -- mod vendor
check_known vendor vinvendor -- mod vendor
if [[ -z $asan ]]; then
	check vendor v22 "$GO mod vendor && echo stale >vendor/stale.go && mkdir -p vendor/x/y" -- mod vendor
	check vendor v22 -- mod vendor -o ../out
	check vendor v22 -- mod vendor -o vend/sub
	check vendor v22 -- mod vendor -o "$tmp/out/absolute"
	check vendor vnone -- mod vendor -o other
	check vendor v22 -- mod vendor extra
	check vendor v22 -- mod vendor -bogus
	check vendor v22 "printf 'go 1.22\n\nuse .\n' >go.work" -- mod vendor
	check vendor v22 GOWORK=off "printf 'go 1.22\n\nuse .\n' >go.work" -- mod vendor
	check vendor v22 GOWORK=relative -- mod vendor
	check vendor v22 "rm go.mod" -- mod vendor
	# list -m in vendor mode: the modules vendor/modules.txt lists, and go's
	# refusals of what needs the whole graph or a query
	lf='{{.Path}} {{.Version}} {{.GoVersion}} {{.Indirect}} {{.Dir}} {{.GoMod}} {{with .Replace}}{{.Path}} {{.Version}}{{end}} {{.Error}}'
	check vendor v22 GOFLAGS= "$GO mod vendor" -- list -m -e -f "$lf" example.com/lic example.com/leaf example.com/local \
		example.com/oldmod example.com/nosuch example.com/lic@latest
	check vendor v22 GOFLAGS= "$GO mod vendor" -- list -m -json example.com/lic
	check vendor v22 -- list -m -e -f "$lf" example.com/nosuch example.com/lic@v9.9.9
	check vendor v22 GOFLAGS= "$GO mod vendor" -- list -m example.com/nosuch
	check vendor v22 GOFLAGS= "$GO mod vendor" -- list -m all
	check vendor v22 GOFLAGS= "$GO mod vendor" -- list -m -u example.com/lic
	check vendor v22 GOFLAGS= "$GO mod vendor" -- list -m -versions example.com/lic
	check vendor v22 GOFLAGS= "$GO mod vendor" -- list -m example.com/...
	check vendor v22 GOFLAGS= "$GO mod vendor" -- list -m example.com/lic@v1.0.0
	# vendor/modules.txt that no longer matches go.mod: go's inconsistent
	# vendoring error (explicit requirements, replacements both ways),
	# and go 1.13's relaxed check
	check vendor v22 GOFLAGS= "$GO mod vendor && sed -i '/^## explicit/d' vendor/modules.txt" -- list -m all
	check vendor v22 GOFLAGS= "$GO mod vendor && sed -i 's|^# example.com/oldmod v1.0.0\$|& => ./elsewhere|' vendor/modules.txt" -- list -m all
	check vendor v22 GOFLAGS= "$GO mod vendor && $GO mod edit -replace example.com/nosuchmod@v1.0.0=./x -replace example.com/lic=example.com/other@v1.0.0" -- build ./...
	check vendor v22 GOFLAGS= "$GO mod vendor && $GO mod edit -go=1.13 && sed -i '/^## explicit/d' vendor/modules.txt" -- list -mod=vendor -m all
	check vendor v22 GOFLAGS= "$GO mod vendor && printf '# example.com/extra v1.0.0\n## explicit\nexample.com/extra\n' >>vendor/modules.txt" -- list -m all
	# a vendored package modules.txt does not list: ignored (with go's
	# warning) from go 1.23 on, imported below it
	check vendor v22 GOFLAGS= "$GO mod vendor && sed -i '/^example.com\/lic\/sub\/pkg\$/d' vendor/modules.txt" -- build ./...
	check vendor v22 GOFLAGS= "$GO mod edit -go=1.23 && $GO mod vendor && sed -i '/^example.com\/lic\/sub\/pkg\$/d' vendor/modules.txt" -- list -e -deps -f '{{.ImportPath}} {{.Error}}' ./...
	# "work" in vendor mode also walks vendor/ (its packages by their own
	# paths); "all" starts from the main module's packages alone
	check vendor v22 GOFLAGS= "$GO mod vendor" -- list work
	check vendor v22 GOFLAGS= "$GO mod vendor" -- list all
	check vendor v22 GOFLAGS= "$GO mod vendor" -- list -e -f '{{.ImportPath}} {{.Error}}' work
fi

echo "modvendor: $ncases cases ($known with the deliberate difference), $fails failed"
[[ $fails == 0 ]]
