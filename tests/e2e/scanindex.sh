#!/usr/bin/env bash
# e2e/scanindex: the persistent GOROOT scan index (modload/scanindex.c) never changes what
# gotool prints.  With a fresh GOTOOLCACHE, `list -deps -json=<list_std's fields> std cmd` is
# compared with the real go byte for byte (stdout, stderr, exit status): cold (the index is
# written), warm (read), warm for windows/amd64 (the index holds nothing tag-dependent), warm
# with GODEBUG=goindex=0 (go/build's name-first scan path), after the index file is truncated
# or has bytes flipped (ignored, then rewritten identical), with GOTOOLCACHE=off (nothing
# written), and with a cache directory that cannot be written.
set -euo pipefail

GOTOOL=${GOTOOL:?GOTOOL must name the gotool binary}
GO=${GO:-/usr/local/go/bin/go}
[[ $GOTOOL == /* ]] || GOTOOL=$PWD/$GOTOOL

T=$(mktemp -d)
trap 'chmod -R u+w "$T" 2>/dev/null || true; rm -rf "$T"' EXIT
mkdir "$T/work"
cd "$T/work"
mkdir -p "$T/bin"
ln -s "$GOTOOL" "$T/bin/go"
GOTOOL=$T/bin/go

unset GOOS GOARCH GO386 GOAMD64 GOARM GOARM64 GOMIPS GOMIPS64 GOPPC64 GORISCV64 GOWASM \
	CGO_ENABLED GOEXPERIMENT GODEBUG GO111MODULE GOPATH GOBIN GOMODCACHE CC CXX GOTOOLCACHE
export GOFLAGS= GOWORK=off GOTOOLCHAIN=local GOPROXY=off GONOSUMDB= GOINSECURE= \
	GOENV="$T/no-such-goenv"

# The field list of tests/e2e/list_std.sh.
FIELDS=Dir,ImportPath,ImportComment,Name,Doc,Root,ConflictDir,ForTest,Module,Match,Goroot
FIELDS+=,Standard,DepOnly,BinaryOnly,Incomplete,DefaultGODEBUG,GoFiles,CgoFiles
FIELDS+=,IgnoredGoFiles,InvalidGoFiles,IgnoredOtherFiles,CFiles,CXXFiles,MFiles,HFiles
FIELDS+=,FFiles,SFiles,SwigFiles,SwigCXXFiles,SysoFiles,EmbedPatterns,EmbedFiles,CgoCFLAGS
FIELDS+=,CgoCPPFLAGS,CgoCXXFLAGS,CgoFFLAGS,CgoLDFLAGS,CgoPkgConfig,Imports,ImportMap,Deps
FIELDS+=,Error,DepsErrors,TestGoFiles,TestImports,TestEmbedPatterns,TestEmbedFiles
FIELDS+=,XTestGoFiles,XTestImports,XTestEmbedPatterns,XTestEmbedFiles

fail=0
ncase=0
declare -A ref=()

# reference KEY ENV...: the real go's output for `list -deps -json=FIELDS std cmd`, once per key.
reference() {
	local key=$1 rg=0
	shift
	[[ -n ${ref[$key]:-} ]] && return
	env "$@" "$GO" list -deps -json="$FIELDS" std cmd >"$T/go.$key.out" 2>"$T/go.$key.err" || rg=$?
	echo "$rg" >"$T/go.$key.rc"
	if [[ ! -s $T/go.$key.out ]]; then
		echo "FAIL: $key: the real go printed nothing (test is wrong)"
		fail=1
	fi
	ref[$key]=1
}

# check NAME KEY ENV...: gotool under ENV must print what go printed for KEY.
check() {
	local name=$1 key=$2 rt=0
	shift 2
	ncase=$((ncase + 1))
	env "$@" "$GOTOOL" list -deps -json="$FIELDS" std cmd >"$T/gt.out" 2>"$T/gt.err" || rt=$?
	if ((rt >= 128)); then
		echo "FAIL: $name: gotool died with status $rt"
		fail=1
	fi
	if grep -aqE 'AddressSanitizer|LeakSanitizer|\.[ch]:[0-9]+:[0-9]+: runtime error:' "$T/gt.err"; then
		echo "FAIL: $name: sanitizer report:"
		head -n 30 "$T/gt.err" | sed 's/^/  | /'
		fail=1
	fi
	local rg
	rg=$(cat "$T/go.$key.rc")
	if ((rg != rt)) || ! cmp -s "$T/go.$key.out" "$T/gt.out" || ! cmp -s "$T/go.$key.err" "$T/gt.err"; then
		echo "FAIL: $name: $* (exit go=$rg gotool=$rt)"
		if ! cmp -s "$T/go.$key.out" "$T/gt.out"; then
			echo "  stdout (--- go, +++ gotool), first 40 lines of the diff:"
			diff -u "$T/go.$key.out" "$T/gt.out" | head -n 40 | sed 's/^/  | /' || true
		fi
		if ! cmp -s "$T/go.$key.err" "$T/gt.err"; then
			echo "  stderr (--- go, +++ gotool), first 40 lines of the diff:"
			diff -u "$T/go.$key.err" "$T/gt.err" | head -n 40 | sed 's/^/  | /' || true
		fi
		fail=1
	fi
}

# index_file DIR: the one index file under cache DIR (fails the test if not exactly one).
index_file() {
	local files=()
	shopt -s nullglob
	files=("$1"/scanindex/*)
	shopt -u nullglob
	if ((${#files[@]} != 1)); then
		echo "FAIL: want one index file in $1/scanindex, have ${#files[@]}: ${files[*]-}" >&2
		return 1
	fi
	echo "${files[0]}"
}

C=$T/cache
reference host
reference windows GOOS=windows GOARCH=amd64
reference noindex GODEBUG=goindex=0

# --- cold, warm, warm for another target, warm on go/build's path.
check "cold" host GOTOOLCACHE="$C"
if ! IX=$(index_file "$C"); then
	fail=1
	IX=
fi
if [[ -n $IX ]]; then
	cp "$IX" "$T/index.orig"
	check "warm" host GOTOOLCACHE="$C"
	check "warm windows" windows GOTOOLCACHE="$C" GOOS=windows GOARCH=amd64
	check "warm goindex=0" noindex GOTOOLCACHE="$C" GODEBUG=goindex=0
	# The index holds nothing per target: the windows run added nothing to it.
	if ! cmp -s "$IX" "$T/index.orig"; then
		echo "FAIL: the index changed after warm runs"
		fail=1
	fi

	# --- a damaged index is ignored and rewritten.
	size=$(stat -c %s "$IX")
	head -c $((size / 2)) "$T/index.orig" >"$IX"
	check "truncated index" host GOTOOLCACHE="$C"
	if ! cmp -s "$IX" "$T/index.orig"; then
		echo "FAIL: the truncated index was not rewritten as before"
		fail=1
	fi
	head -c 100 "$T/index.orig" >"$IX"
	check "index cut in its header" host GOTOOLCACHE="$C"
	for off in 9 20 $((size / 3)) $((size - 1)); do
		cp "$T/index.orig" "$IX"
		printf '\x5a\xa5' | dd of="$IX" bs=1 seek="$off" conv=notrunc status=none
		check "flipped bytes at $off" host GOTOOLCACHE="$C"
	done
	: >"$IX"
	check "empty index file" host GOTOOLCACHE="$C"
	if ! cmp -s "$IX" "$T/index.orig"; then
		echo "FAIL: the emptied index was not rewritten as before"
		fail=1
	fi
	# A directory where the index file should be: read and write fail, output does not.
	rm -f "$IX"
	mkdir "$IX"
	check "index path is a directory" host GOTOOLCACHE="$C"
	rmdir "$IX"
	cp "$T/index.orig" "$IX"
fi

# --- GOTOOLCACHE=off writes nothing; a relative GOTOOLCACHE is not used either.
check "GOTOOLCACHE=off" host GOTOOLCACHE=off HOME="$T/home-off" XDG_CACHE_HOME="$T/xdg-off"
check "GOTOOLCACHE relative" host GOTOOLCACHE=rel-cache
if [[ -e $T/home-off || -e $T/xdg-off || -e $T/work/rel-cache ]]; then
	echo "FAIL: an index was written although the cache is off"
	fail=1
fi

# --- the default location: $XDG_CACHE_HOME/gotool.
check "XDG_CACHE_HOME" host XDG_CACHE_HOME="$T/xdg"
if ! index_file "$T/xdg/gotool" >/dev/null; then
	fail=1
fi

# --- a cache that cannot be written: read-only, and under a regular file.
mkdir "$T/ro"
chmod 555 "$T/ro"
check "read-only cache" host GOTOOLCACHE="$T/ro"
check "read-only cache again" host GOTOOLCACHE="$T/ro"
: >"$T/plainfile"
check "cache under a file" host GOTOOLCACHE="$T/plainfile/cache"

# --- a read-only but populated cache is used as is.
mkdir -p "$T/ro2"
cp -r "$C/scanindex" "$T/ro2/"
chmod -R a-w "$T/ro2"
check "read-only populated cache" host GOTOOLCACHE="$T/ro2"
check "read-only populated cache, windows" windows GOTOOLCACHE="$T/ro2" GOOS=windows GOARCH=amd64

if ((fail == 0)); then
	echo "PASS ($ncase cases)"
fi
exit "$fail"
