#!/usr/bin/env bash
# //go:embed resolution compared with the real go (go1.26).
#
# Builds a module in a temp dir with one package per case, every package
# holding the same awkward tree (hidden and _ names, a nested module, bad
# names, symlinks, a fifo, an empty directory...) and a //go:embed line with
# the case's patterns (and, for some, a test file with its own patterns).
# For each package, `go list -e -test -f` is compared with the embed_test
# driver (tests/unit/embed_test.c), which calls embed_resolve.  Then the
# -embedcfg file that `go build -n` shows is compared with embed_cfg_json.
#
# Env: GOTOOL (built gotool; the driver is ${GOTOOL%/*}/tests/embed_test, or
# $EMBED_TEST), GO (default /usr/local/go/bin/go).
set -euo pipefail

GO=${GO:-/usr/local/go/bin/go}
ET=${EMBED_TEST:-${GOTOOL%/*}/tests/embed_test}
if [[ ! -x $ET ]]; then
	echo "embed.sh: driver $ET not built" >&2
	exit 1
fi

tmp=$(mktemp -d)
cleanup() { chmod -R u+rwx "$tmp" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
[[ -n ${EMBED_KEEP:-} ]] && trap - EXIT

export GOFLAGS=-mod=mod GOPROXY=off GOWORK=off GOTOOLCHAIN=local GOENV=off
export GOCACHE=$tmp/cache GOPATH=$tmp/gopath
unset GODEBUG

mod=$tmp/m
mkdir -p "$mod"
printf 'module example.com/m\n\ngo 1.26\n' >"$mod/go.mod"

# populate DIR: the tree every case package holds (see embed_test.c's tree).
populate() {
	local d=$1
	mkdir -p "$d"/{dir/sub,dir/.hdir,dir/_udir,empty,onlyhidden,other,nested/inner,d3,d4/bad:dir,.git,vendor,"sp ace",deep/a/b}
	for f in a.txt b.txt c.dat .hidden.txt _under.txt dir/x.txt dir/.h.txt dir/_u.txt \
		dir/sub/y.txt dir/.hdir/z.txt dir/_udir/w.txt onlyhidden/.x other/f.txt \
		nested/k.txt nested/inner/q.txt colon:x d3/ok.txt d3/bad:x d4/ok.txt \
		d4/bad:dir/in.txt .git/config vendor/v.txt "sp ace/f[1].txt" deep/a/b/c.txt \
		'amp&.txt' 'uni-é.txt'; do
		echo x >"$d/$f"
	done
	echo 'module example.com/other' >"$d/other/go.mod"
	echo 'module example.com/inner' >"$d/nested/inner/go.mod"
	ln -s a.txt "$d/alink"
	ln -s ../a.txt "$d/dir/link"
	ln -s dir "$d/linkdir"
	ln -s nowhere "$d/dangling"
	mkfifo "$d/fifo"
}

# gofile PKGFILE PATTERN...: a Go file embedding the patterns (backquoted).
gofile() {
	local f=$1
	shift
	{
		echo 'package p'
		echo
		echo 'import _ "embed"'
		echo
		printf '//go:embed'
		for p in "$@"; do printf ' `%s`' "$p"; done
		printf '\nvar f string\n'
	} >"$f"
}

# Cases: "embed patterns" and optional "test patterns", each a
# |-separated list.  Order and duplicates are left as written: go/build
# sorts and deduplicates them.
cases=(
	'a.txt'
	'*.txt'
	'?.txt'
	'[ab].txt'
	'[^a].txt'
	'a.txt|b.txt|a.txt'
	'dir'
	'all:dir'
	'dir|all:dir'
	'dir/[._s]*'
	'all:dir/[._s]*'
	'dir/*'
	'd*/x.txt'
	'*/x.txt'
	'd*/*.txt'
	'nested'
	'nested/inner/q.txt'
	'vendor/v.txt'
	'vendor'
	'sp ace'
	'sp ace/f\[1].txt'
	'deep'
	'deep/*/b'
	'*/*/b/c.txt'
	'amp&.txt'
	'uni-*'
	'nomatch'
	'*.nomatch'
	'a.txt|zz'
	'zz|a.txt'
	'empty'
	'onlyhidden'
	'all:onlyhidden'
	'other'
	'other/f.txt'
	'alink'
	'dangling'
	'fifo'
	'linkdir'
	'linkdir/x.txt'
	'colon*'
	'd3'
	'all:d3'
	'd4'
	'd4/bad:dir/in.txt'
	'd4/bad*'
	'.git'
	'.git/config'
	'all:.git'
	'../x'
	'./a.txt'
	'/a.txt'
	'dir/'
	'.'
	'a//b'
	'['
	'x*['
	'a[b'
	'all:'
	'all:all:a.txt'
	'[/]'
	'a\/b'
	'a\.txt'
	'*'
	'x.go'
	'x_test.go'
)
# Cases with test patterns: "embed patterns" "test patterns".
tcases=(
	'a.txt' 'b.txt'
	'a.txt' 'nomatch'
	'nomatch' 'b.txt'
	'dir' 'all:dir|a.txt'
)

n=0
: >"$tmp/want"
: >"$tmp/got"
: >"$tmp/want.sym"
: >"$tmp/got.sym"

# addcase EMBED [TEST]: creates the package and records the driver's output.
addcase() {
	local d=$mod/c$n ip=example.com/m/c$n pats tpats
	populate "$d"
	IFS='|' read -r -a pats <<<"$1"
	gofile "$d/x.go" "${pats[@]}"
	if [[ $# -gt 1 ]]; then
		IFS='|' read -r -a tpats <<<"$2"
		gofile "$d/x_test.go" "${tpats[@]}"
		"$ET" list "$ip" "$d" "${pats[@]}" -- "${tpats[@]}" >>"$tmp/got"
		GODEBUG=embedfollowsymlinks=1 "$ET" list "$ip" "$d" "${pats[@]}" -- "${tpats[@]}" >>"$tmp/got.sym"
	else
		"$ET" list "$ip" "$d" "${pats[@]}" >>"$tmp/got"
		GODEBUG=embedfollowsymlinks=1 "$ET" list "$ip" "$d" "${pats[@]}" >>"$tmp/got.sym"
	fi
	n=$((n + 1))
}

for c in "${cases[@]}"; do
	addcase "$c"
done
for ((i = 0; i < ${#tcases[@]}; i += 2)); do
	addcase "${tcases[i]}" "${tcases[i + 1]}"
done

fmt='{{.ImportPath}}|{{if .ForTest}}T{{else}}{{.EmbedFiles}}|{{.TestEmbedFiles}}{{end}}|{{if .Error}}{{.Error.Err}}{{end}}'
# keep the packages themselves and their internal test variants only
keep() { grep -E '^example\.com/m/c[0-9]+(\|| \[example\.com/m/c[0-9]+\.test\]\|)' || true; }

(cd "$mod" && "$GO" list -e -test -f "$fmt" ./...) | keep >"$tmp/want"
(cd "$mod" && GODEBUG=embedfollowsymlinks=1 "$GO" list -e -test -f "$fmt" ./...) | keep >"$tmp/want.sym"

fail=0
for suffix in "" .sym; do
	sort "$tmp/want$suffix" -o "$tmp/want$suffix"
	sort "$tmp/got$suffix" -o "$tmp/got$suffix"
	if [[ $(wc -l <"$tmp/want$suffix") -lt $n ]]; then
		echo "embed.sh: go list printed too few packages${suffix:+ (GODEBUG=embedfollowsymlinks=1)}" >&2
		fail=1
	fi
	if ! diff -u "$tmp/want$suffix" "$tmp/got$suffix"; then
		echo "embed.sh: embed_resolve differs from go list${suffix:+ (GODEBUG=embedfollowsymlinks=1)} (- go, + gotool)" >&2
		fail=1
	fi
done

# The -embedcfg file: what `go build -n` would write, against embed_cfg_json.
cfgmod=$tmp/cfg
mkdir -p "$cfgmod/dir/.h" "$cfgmod/d2"
printf 'module example.com/cfg\n\ngo 1.26\n' >"$cfgmod/go.mod"
for f in a.txt b.txt dir/x.txt 'dir/a&b.txt' dir/.h/y.txt d2/z.txt; do echo x >"$cfgmod/$f"; done
cat >"$cfgmod/x.go" <<'EOF'
package cfg

import "embed"

//go:embed *.txt dir all:dir
//go:embed d2 a.txt
var f embed.FS
EOF
(cd "$cfgmod" && "$GO" build -n . 2>&1) |
	sed -n "/embedcfg << 'EOF'/,/EOF\$/p" | sed '1d;$s/EOF$//' >"$tmp/cfg.want"
"$ET" cfg "$cfgmod" '*.txt' dir all:dir d2 a.txt >"$tmp/cfg.got"
# go's text has no trailing newline; the sed above added one
printf '\n' >>"$tmp/cfg.got"
if [[ ! -s $tmp/cfg.want ]]; then
	echo "embed.sh: go build -n showed no embedcfg" >&2
	fail=1
elif ! diff -u "$tmp/cfg.want" "$tmp/cfg.got"; then
	echo "embed.sh: embedcfg differs (- go, + gotool)" >&2
	fail=1
fi

if [[ $fail -ne 0 ]]; then
	exit 1
fi
echo "embed.sh: $n packages and the embedcfg match go"
