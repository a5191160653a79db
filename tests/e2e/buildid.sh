#!/usr/bin/env bash
# Archive packing and build id rewriting compared byte for byte with go 1.26.
#
# 1. A package with Go and two assembly files (one with a name longer than
#    the 16-byte ar name field) is built with `go build -work -x`.  The
#    compile and asm command lines it printed are re-run into a directory of
#    our own; the objects are appended with compile_pack_append (pack_test
#    driver) and the placeholder is rewritten with work_buildid_update
#    (buildid_test driver).  The result must equal the _pkg_.a go left in
#    $WORK, and its id must read back as go's.
# 2. For linux/amd64 (ELF with .note.gnu.build-id), windows/amd64 (PE),
#    js/wasm and darwin/arm64 (Mach-O with LC_UUID and an ad-hoc code
#    signature), a main package is built with -work -x; its link command is
#    re-run into our own file, whose placeholder we rewrite; the result must
#    equal go's binary.
# 3. -ldflags=-buildid= : no placeholder in the binary, the file is left alone.
#
# Env: GOTOOL (built gotool; drivers are ${GOTOOL%/*}/tests/{buildid,pack}_test),
# GO (default /usr/local/go/bin/go).
set -euo pipefail

GO=${GO:-/usr/local/go/bin/go}
BT=${BUILDID_TEST:-${GOTOOL%/*}/tests/buildid_test}
PT=${PACK_TEST:-${GOTOOL%/*}/tests/pack_test}
for d in "$BT" "$PT"; do
	if [[ ! -x $d ]]; then
		echo "buildid.sh: driver $d not built" >&2
		exit 1
	fi
done

tmp=$(mktemp -d)
cleanup() { chmod -R u+rwx "$tmp" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT

export GOFLAGS= GOPROXY=off GOWORK=off GOTOOLCHAIN=local GOENV=off GO111MODULE=on
export GOCACHE=$tmp/cache GOPATH=$tmp/gopath GOTMPDIR=$tmp/gotmp
mkdir -p "$GOTMPDIR"
unset GODEBUG GOEXPERIMENT GOARCH GOOS GOARM GOAMD64 GOARM64 GOWASM CGO_ENABLED GOFIPS140 GOROOT
GOROOT=$("$GO" env GOROOT)
export GOROOT

fail=0
bad() { echo "FAIL: $*" >&2; fail=1; }

# toolcmd LINE: sets argv (the command words) and envs (leading VAR=value
# words) from one shell-quoted -x line, with $WORK expanded.
toolcmd() {
	local line=$1 w
	local -a words
	# The newline ends a trailing "# internal" comment.
	eval "words=($line
)"
	envs=() argv=()
	for w in "${words[@]}"; do
		if ((${#argv[@]} == 0)) && [[ $w =~ ^[A-Za-z_][A-Za-z0-9_]*= ]]; then
			envs+=("$w")
		else
			argv+=("$w")
		fi
	done
}

# ---- 1. package archive ----------------------------------------------------
mkdir -p "$tmp/p" "$tmp/mine"
cd "$tmp/p"
cat >go.mod <<'EOF'
module example.com/p

go 1.26
EOF
cat >p.go <<'EOF'
package p

func Add(a, b int) int

func Sub(a, b int) int { return a - b }
EOF
cat >add_amd64.s <<'EOF'
#include "textflag.h"

TEXT ·Add(SB),NOSPLIT,$0-24
	MOVQ a+0(FP), AX
	MOVQ b+8(FP), BX
	ADDQ BX, AX
	MOVQ AX, ret+16(FP)
	RET
EOF
cat >a_very_long_file_name_x.s <<'EOF'
#include "textflag.h"
DATA ·V+0(SB)/8, $1
GLOBL ·V(SB), RODATA, $8
EOF

GOOS=linux GOARCH=amd64 "$GO" build -work -x . 2>"$tmp/p.log"
WORK=$(sed -n 's/^WORK=//p' "$tmp/p.log")
[[ -n $WORK && -f $WORK/b001/_pkg_.a ]] || { echo "no WORK in go's output" >&2; cat "$tmp/p.log" >&2; exit 1; }
obj=$WORK/b001
placeholder=
packobjs=()
while IFS= read -r line; do
	toolcmd "$line"
	if [[ ${argv[0]} == go && ${argv[1]} == tool && ${argv[2]} == pack ]]; then
		for o in "${argv[@]:5}"; do packobjs+=("$tmp/mine/${o##*/}"); done
		continue
	fi
	# Our own objdir for every output; the -trimpath text stays go's.
	for i in "${!argv[@]}"; do
		prev=
		((i > 0)) && prev=${argv[i-1]}
		[[ $prev == -trimpath ]] && continue
		[[ $prev == -buildid ]] && placeholder=${argv[i]}
		argv[i]=${argv[i]//"$obj/"/"$tmp/mine/"}
	done
	cp "$obj/importcfg" "$tmp/mine/importcfg" 2>/dev/null || true
	[[ -f $tmp/mine/go_asm.h ]] || : >"$tmp/mine/go_asm.h"
	env GOOS=linux GOARCH=amd64 GOAMD64=v1 "${envs[@]}" "${argv[@]}"
done < <(grep -E "^($GOROOT/pkg/tool/[^ ]*/(asm|compile) |go tool pack r )" "$tmp/p.log")

[[ -n $placeholder ]] || { echo "no -buildid in go's compile line" >&2; exit 1; }
[[ ${#packobjs[@]} == 2 ]] || { echo "expected 2 objects to pack, got ${packobjs[*]}" >&2; exit 1; }
"$PT" append "$tmp/mine/_pkg_.a" "${packobjs[@]}"
newid=$("$BT" update "$tmp/mine/_pkg_.a" "$placeholder")
goid=$("$BT" read "$obj/_pkg_.a")
[[ $newid == "$goid" ]] || bad "archive: new id $newid, go's $goid"
myid=$("$BT" read "$tmp/mine/_pkg_.a")
[[ $myid == "$goid" ]] || bad "archive: read back $myid, go's $goid"
if ! cmp "$tmp/mine/_pkg_.a" "$obj/_pkg_.a"; then
	bad "archive differs from go's _pkg_.a"
	cmp -l "$tmp/mine/_pkg_.a" "$obj/_pkg_.a" | head -20 >&2 || true
fi
rm -rf "$WORK"

# ---- 2. linked binaries --------------------------------------------------------
mkdir -p "$tmp/hello" "$tmp/out"
cd "$tmp/hello"
cat >go.mod <<'EOF'
module example.com/hello

go 1.26
EOF
cat >hello.go <<'EOF'
package main

func main() { println("hello") }
EOF

# linkcheck GOOS GOARCH [go build flags...]: go's binary vs ours.
linkcheck() {
	local goos=$1 goarch=$2 tag=$1_$2 line lwork out ph i
	shift 2
	out=$tmp/out/$tag.go
	GOOS=$goos GOARCH=$goarch "$GO" build -work -x -o "$out" "$@" . 2>"$tmp/$tag.log"
	lwork=$(sed -n 's/^WORK=//p' "$tmp/$tag.log")
	line=$(grep -E "^(GOROOT=[^ ]* )?$GOROOT/pkg/tool/[^ ]*/link " "$tmp/$tag.log") || {
		echo "no link line for $tag" >&2; cat "$tmp/$tag.log" >&2; exit 1; }
	WORK=$lwork toolcmd "$line"
	ph=
	for i in "${!argv[@]}"; do
		case ${argv[i]} in
		-buildid=*) ph=${argv[i]#-buildid=} ;;
		esac
		if ((i > 0)) && [[ ${argv[i-1]} == -o ]]; then argv[i]=$tmp/out/$tag.mine; fi
	done
	env GOOS="$goos" GOARCH="$goarch" "${envs[@]}" "${argv[@]}"
	if [[ -n $ph ]]; then
		got=$("$BT" update "$tmp/out/$tag.mine" "$ph")
		want=$("$BT" read "$out")
		[[ $got == "$want" ]] || bad "$tag: new id $got, go's $want"
	else
		# go passes no placeholder: rewriting with any id finds nothing.
		cp "$tmp/out/$tag.mine" "$tmp/out/$tag.before"
		got=$("$BT" update "$tmp/out/$tag.mine" "AAAAAAAAAAAAAAAAAAAA/BBBBBBBBBBBBBBBBBBBB")
		[[ $got == - ]] || bad "$tag: no placeholder expected, got $got"
		cmp -s "$tmp/out/$tag.mine" "$tmp/out/$tag.before" || bad "$tag: file touched without a placeholder"
	fi
	if ! cmp "$tmp/out/$tag.mine" "$out"; then
		bad "$tag: binary differs from go's"
		cmp -l "$tmp/out/$tag.mine" "$out" | head -20 >&2 || true
	fi
	[[ $(stat -c %a "$tmp/out/$tag.mine") == $(stat -c %a "$out") ]] || bad "$tag: mode differs"
	rm -rf "$lwork"
}

linkcheck linux amd64
linkcheck windows amd64
linkcheck js wasm
linkcheck darwin arm64
linkcheck linux amd64 -ldflags=-buildid=

if [[ $fail != 0 ]]; then
	exit 1
fi
echo "buildid.sh: ok"
