#!/usr/bin/env bash
# e2e/badinput: gotool never crashes on bad input and says what go says.
#
# Every case runs the real go and gotool on the same tree and compares stdout, stderr and
# the exit status byte for byte; on top of that gotool must never die of a signal, time out,
# or print a sanitizer report (this script also runs against the ASan+UBSan build, where a
# memory error exits 1 with a report on stderr rather than dying).
#
# Cases: malformed go.mod and go.work files (tests/fixtures/badinput/{gomod,gowork}), go.mod
# or go.work that is a directory; .go files that are empty, only a BOM, random bytes, NUL
# bytes, invalid UTF-8 in package names and import paths, huge lines, absurd //go:build
# expressions, bad #cgo and //go:embed lines, a symlink loop, a directory named x.go, an
# unreadable file and directory (as user nobody via setpriv when running as root),
# deeply nested directories, a package of 10000 files, odd command-line import paths; then
# a seeded mutation fuzz loop over Go file headers.
#
# Knobs: BADINPUT_KEEP=1 keeps the trees (path printed at exit), FUZZ_ROUNDS=N (default 6,
# 2 for an ASan build), BADINPUT_TIMEOUT=seconds per command (default 120).  About 2.5
# minutes on a 2-core machine.
#
# Not covered: a FIFO named x.go.  The real go blocks forever opening it (go/build opens
# every *.go entry that is not a directory), so there is no reference behaviour to match.
set -euo pipefail

GOTOOL=${GOTOOL:?GOTOOL must name the gotool binary}
GO=${GO:-/usr/local/go/bin/go}
[[ $GOTOOL == /* ]] || GOTOOL=$PWD/$GOTOOL
SRC=${SRC:-$(cd "${BASH_SOURCE[0]%/*}/../.." && pwd)}
FIX=$SRC/tests/fixtures/badinput

# Byte-wise string handling for the generators below (no UTF-8 decoding of junk).
export LC_ALL=C

T=$(mktemp -d)
cleanup() {
	if [[ -n ${BADINPUT_KEEP:-} ]]; then
		echo "badinput: trees kept in $T"
		return
	fi
	chmod -R u+rwx "$T" 2>/dev/null || true
	rm -rf "$T"
}
trap cleanup EXIT

unset GOOS GOARCH CGO_ENABLED GOEXPERIMENT GODEBUG GO111MODULE GOBIN CC CXX
export GOFLAGS= GOWORK=off GOTOOLCHAIN=local GOPROXY=off GOSUMDB=off GONOSUMDB= \
	GOINSECURE= GOPRIVATE= GOENV=off GOPATH="$T/gopath" GOCACHE="$T/gocache" HOME="$T/home"
mkdir -p "$T/gopath" "$T/gocache" "$T/home"
# Invoked through a link named go: messages are prefixed with the name gotool was run as.
mkdir -p "$T/bin"
ln -s "$GOTOOL" "$T/bin/go"
GOTOOL=$T/bin/go

# The fields compared: all of list's Package except the build-planner/-export ones.
F=Dir,ImportPath,ImportComment,Name,Doc,Root,ConflictDir,ForTest,Module,Match,Goroot
F+=,Standard,DepOnly,BinaryOnly,Incomplete,DefaultGODEBUG,GoFiles,CgoFiles
F+=,IgnoredGoFiles,InvalidGoFiles,IgnoredOtherFiles,CFiles,CXXFiles,MFiles,HFiles
F+=,FFiles,SFiles,SwigFiles,SwigCXXFiles,SysoFiles,EmbedPatterns,EmbedFiles,CgoCFLAGS
F+=,CgoCPPFLAGS,CgoCXXFLAGS,CgoFFLAGS,CgoLDFLAGS,CgoPkgConfig,Imports,ImportMap,Deps
F+=,Error,DepsErrors,TestGoFiles,TestImports,TestEmbedPatterns,TestEmbedFiles
F+=,XTestGoFiles,XTestImports,XTestEmbedPatterns,XTestEmbedFiles

TMO=${BADINPUT_TIMEOUT:-120}
fail=0
ncase=0
nfail=0
AS=() # command prefix for both tools (set to run as nobody)

# run TOOL DIR OUT ARGS...: run `TOOL ARGS` in DIR, output to OUT.{out,err,rc}.
run() {
	local tool=$1 dir=$2 out=$3 rc=0
	shift 3
	(cd "$dir" && ${AS[@]+"${AS[@]}"} timeout -k 5 "$TMO" "$tool" "$@") \
		>"$out.out" 2>"$out.err" </dev/null || rc=$?
	echo "$rc" >"$out.rc"
}

# sane NAME: gotool's last run ended normally (no signal, timeout or sanitizer report).
sane() {
	local rc
	rc=$(cat "$T/gt.rc")
	if ((rc == 124 || rc == 137)); then
		echo "FAIL: $1: gotool timed out after ${TMO}s"
		return 1
	fi
	if ((rc >= 128)); then
		echo "FAIL: $1: gotool died with status $rc (signal $((rc - 128)))"
		tail -n 20 "$T/gt.err" | sed 's/^/  | /'
		return 1
	fi
	if grep -aqE 'AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|\.[ch]:[0-9]+:[0-9]+: runtime error:' "$T/gt.err"; then
		echo "FAIL: $1: sanitizer report:"
		head -n 30 "$T/gt.err" | sed 's/^/  | /'
		return 1
	fi
	if ((rc != 0 && rc != 1)); then
		echo "FAIL: $1: gotool exit status $rc, want 0 or 1"
		return 1
	fi
}

# ties_sorted FILE: FILE (list -json output) with the entries of each DepsErrors list that
# share a sort key (the last ImportStack element) put in text order.  go's collectDepsErrors
# gathers them from a map and sorts with the unstable sort.Slice on that key alone, so go
# prints such ties in a different order from run to run: no fixed order can match it.
ties_sorted() {
	awk '
	function flush() { if (item != "") { ni++; items[ni] = item; keys[ni] = key }; item = ""; key = "" }
	function emit(   i, j, a, b, t) {
		for (i = 1; i <= ni; i = j + 1) {
			for (j = i; j < ni && keys[j + 1] == keys[i]; j++) {}
			for (a = i + 1; a <= j; a++) {
				t = items[a]
				for (b = a - 1; b >= i && items[b] > t; b--) items[b + 1] = items[b]
				items[b + 1] = t
			}
		}
		for (i = 1; i <= ni; i++) printf "%s%s\n", items[i], (i < ni ? "," : "")
		ni = 0
	}
	!inb { print; if ($0 == "\t\"DepsErrors\": [") { inb = 1; ni = 0; item = ""; key = "" }; next }
	$0 == "\t]" || $0 == "\t]," { flush(); emit(); print; inb = 0; next }
	{
		line = $0
		if (line == "\t\t},") line = "\t\t}"
		if (line == "\t\t\t],") key = prev
		item = (item == "" ? line : item "\n" line)
		prev = line
		if (line == "\t\t}") flush()
	}' "$1"
}

# same NAME: gotool's last run matches go's (stdout, stderr, exit status).
same() {
	local rg rt
	rg=$(cat "$T/go.rc")
	rt=$(cat "$T/gt.rc")
	# gotool's strings are C strings (struct val, the JSON encoder, package errors), so a
	# NUL byte inside one cannot be printed: the one way to get one is an import path
	# written with an escape ("fmt\x00"), which go quotes back in its error as \u0000 (or
	# prints raw without -json).  Drop NULs and \u0000 from go's output before comparing.
	sed -i 's/\\u0000//g' "$T/go.out" "$T/go.err"
	tr -d '\000' <"$T/go.out" >"$T/go.out.t" && mv "$T/go.out.t" "$T/go.out"
	tr -d '\000' <"$T/go.err" >"$T/go.err.t" && mv "$T/go.err.t" "$T/go.err"
	if [[ $rg == "$rt" ]] && ! cmp -s "$T/go.out" "$T/gt.out" && cmp -s "$T/go.err" "$T/gt.err" &&
		cmp -s <(ties_sorted "$T/go.out") <(ties_sorted "$T/gt.out"); then
		return 0
	fi
	if [[ $rg != "$rt" ]] || ! cmp -s "$T/go.out" "$T/gt.out" || ! cmp -s "$T/go.err" "$T/gt.err"; then
		echo "FAIL: $1 (exit go=$rg gotool=$rt)"
		if ! cmp -s "$T/go.out" "$T/gt.out"; then
			echo "  stdout (--- go, +++ gotool):"
			diff -au "$T/go.out" "$T/gt.out" | sed -n '3,42p' | cut -c1-300 | sed 's/^/  | /' || true
		fi
		if ! cmp -s "$T/go.err" "$T/gt.err"; then
			echo "  stderr (--- go, +++ gotool):"
			diff -au "$T/go.err" "$T/gt.err" | sed -n '3,42p' | cut -c1-300 | sed 's/^/  | /' || true
		fi
		return 1
	fi
}

# go reads a package directory through its module index (cmd/go/internal/modindex) only
# when every file in it is more than 2s old (and GODEBUG has no goindex=0), and the indexed
# path answers differently on some bad inputs (seen with go 1.26.8: a //go:build line that
# does not parse makes the file an InvalidGoFile only without the index, while a package
# clause that does not parse in an ignored file is an error only with the index; #cgo errors
# name the file by its base name only with the index).  So go has two answers, and which
# one a user sees depends on file ages.  Everything runs with GODEBUG=goindex=0 (the path of
# go's own script tests, which list files they just wrote); then the .go file cases and the
# fuzz trees run a second time, labelled [index], with GODEBUG unset and every file
# backdated, against the indexed path that users see on files that are not brand new.
export GODEBUG=goindex=0

# backdate DIR...: make every file under DIR old enough for go's module index.
backdate() {
	find "$@" -exec touch -h -d '2020-01-01 00:00:00' {} +
}

# check NAME DIR ARGS...: run `list ARGS` in DIR with both tools; gotool must be sane and
# match go.  A go that itself died or timed out means the case is broken.
check() {
	local name=$1 dir=$2 rg
	shift 2
	ncase=$((ncase + 1))
	run "$GO" "$dir" "$T/go" list "$@"
	run "$GOTOOL" "$dir" "$T/gt" list "$@"
	rg=$(cat "$T/go.rc")
	if ((rg != 0 && rg != 1)); then
		echo "FAIL: $name: the real go exited $rg (the case is broken)"
		head -n 5 "$T/go.err" | sed 's/^/  | /'
		fail=1
		nfail=$((nfail + 1))
		return
	fi
	if ! sane "$name" || ! same "$name"; then
		fail=1
		nfail=$((nfail + 1))
	fi
}

# newmod DIR: a fresh module example.com/m with one good package at its root.
newmod() {
	mkdir -p "$1"
	printf 'module example.com/m\n\ngo 1.26\n' >"$1/go.mod"
	printf 'package m\n' >"$1/m.go"
}

# --- malformed go.mod files.
for f in "$FIX"/gomod/*.mod; do
	n=${f##*/}
	n=${n%.mod}
	d=$T/gomod/$n
	mkdir -p "$d/sub"
	cp "$f" "$d/go.mod"
	printf 'package m\n' >"$d/m.go"
	printf 'package sub\n\nimport "fmt"\n\nvar _ = fmt.Sprint\n' >"$d/sub/sub.go"
	check "go.mod $n" "$d" -e -json="$F" ./...
done
# Generated ones: random bytes, a huge line, a very long module path, deep nesting of blocks.
d=$T/gomod/gen
newmod "$d"
RANDOM=1
junk=
for ((i = 0; i < 2048; i++)); do
	printf -v b '\\x%02x' $((RANDOM % 255 + 1))
	junk+=$b
done
printf "$junk" >"$d/go.mod"
check "go.mod random bytes" "$d" -e -json="$F" ./...
{
	printf 'module example.com/m\n\ngo 1.26\n// '
	head -c 2000000 /dev/zero | tr '\0' x
	printf '\n'
} >"$d/go.mod"
check "go.mod 2MB comment line" "$d" -e -json="$F" ./...
{
	printf 'module example.com/'
	head -c 100000 /dev/zero | tr '\0' a
	printf '\n\ngo 1.26\n'
} >"$d/go.mod"
check "go.mod 100k module path" "$d" -e -json="$F" ./...
{
	printf 'module example.com/m\n\ngo 1.26\n'
	for ((i = 0; i < 2000; i++)); do printf 'require (\n'; done
} >"$d/go.mod"
check "go.mod 2000 nested require (" "$d" -e -json="$F" ./...
rm -f "$d/go.mod"
mkdir "$d/go.mod"
check "go.mod is a directory" "$d" -e -json="$F" ./...

d=$T/nomod
mkdir -p "$d/sub"
printf 'package m\n' >"$d/m.go"
printf 'package sub\n' >"$d/sub/sub.go"
check "no go.mod, ./... -e" "$d" -e -json="$F" ./...
check "no go.mod, ./..." "$d" ./...
check "no go.mod, ." "$d" -e -json="$F" .

# --- malformed go.work files (workspace discovery on: GOWORK unset for these).
for f in "$FIX"/gowork/*.work; do
	n=${f##*/}
	n=${n%.work}
	d=$T/gowork/$n
	newmod "$d/m"
	cp "$f" "$d/go.work"
	GOWORK= check "go.work $n" "$d/m" -e -json="$F" ./...
done
d=$T/gowork/isdir
newmod "$d/m"
mkdir "$d/go.work"
GOWORK= check "go.work is a directory" "$d/m" -e -json="$F" ./...
GOWORK=$T/gowork/nosuch.work check "GOWORK names a missing file" "$d/m" -e -json="$F" ./...
GOWORK=relative.work check "GOWORK relative" "$d/m" -e -json="$F" ./...

# --- bad .go files, one package directory each in one module.
M=$T/gofiles
newmod "$M"
# gofile NAME CONTENT(printf format): write $M/NAME/a.go.
gofile() {
	mkdir -p "$M/$1"
	printf "$2" >"$M/$1/a.go"
}
# (a good package doc as a control: the Doc field of a module package)
gofile doc-ok '// Package p does things.\n//\n// More.\npackage p\n'
gofile empty ''
gofile bom-only '\xef\xbb\xbf'
gofile bom-package '\xef\xbb\xbfpackage p\n'
gofile two-boms '\xef\xbb\xbf\xef\xbb\xbfpackage p\n'
gofile nul-in-clause 'package p\x00\n'
gofile nul-in-comment '// \x00\npackage p\n'
gofile nul-after-header 'package p\n\nimport "fmt"\n\nvar _ = fmt.Sprint("\x00")\n'
gofile nul-first '\x00package p\n'
gofile high-bytes '\x80\x81\xfe\xff\n'
gofile utf8-pkgname 'package \xff\xfe\n'
gofile utf8-pkgname-tail 'package p\xc3\n'
gofile unicode-pkgname 'package π\n'
gofile utf8-import 'package p\n\nimport "fm\xfft"\n'
gofile utf8-comment '// Package p \xff\xfe doc.\npackage p\n'
gofile no-clause 'import "fmt"\n'
gofile keyword-pkgname 'package func\n'
gofile underscore-pkgname 'package _\n'
gofile unterminated-comment '/* package p\n'
gofile unterminated-import 'package p\n\nimport "fmt\n'
gofile unterminated-raw 'package p\n\nimport `fmt\n'
gofile raw-import 'package p\n\nimport `fmt`\n'
gofile import-two-strings 'package p\n\nimport "fmt" "os"\n'
gofile import-paren-unclosed 'package p\n\nimport (\n\t"fmt"\n'
gofile import-empty-string 'package p\n\nimport ""\n'
gofile import-space 'package p\n\nimport "a b"\n'
gofile import-dotdot 'package p\n\nimport "fmt/../os"\n'
gofile import-relative 'package p\n\nimport "./rel"\n'
gofile import-absolute 'package p\n\nimport "/abs/path"\n'
gofile import-backslash 'package p\n\nimport "a\\\\b"\n'
gofile import-bang 'package p\n\nimport "x!y"\n'
gofile import-nonascii 'package p\n\nimport "exämple.com/é"\n'
gofile import-escape-nul 'package p\n\nimport "fmt\\x00"\n'
gofile import-escape-bad 'package p\n\nimport "fmt\\q"\n'
gofile import-control 'package p\n\nimport "a\x01b"\n'
gofile import-trailing-slash 'package p\n\nimport "fmt/"\n'
gofile import-dot 'package p\n\nimport "."\n'
gofile import-std-missing 'package p\n\nimport "nosuchstd/pkg"\n'
gofile import-module-missing 'package p\n\nimport "example.com/nosuch/pkg"\n'
gofile import-self 'package p\n\nimport "example.com/m/import-self"\n'
gofile import-internal 'package p\n\nimport "internal/abi"\n'
gofile import-vendor 'package p\n\nimport "vendor/golang.org/x/net/idna"\n'
gofile import-cmd 'package p\n\nimport "cmd/go/internal/base"\n'
gofile import-C-nocgo 'package p\n\nimport "C"\n'
gofile cgo-bad-line 'package p\n\n// #cgo !!! CFLAGS: -O2\nimport "C"\n'
gofile cgo-bad-flag 'package p\n\n// #cgo CFLAGS: -fplugin=evil.so\nimport "C"\n'
gofile cgo-unterminated-quote 'package p\n\n// #cgo CFLAGS: "-DX\nimport "C"\n'
gofile cgo-pkgconfig-bad 'package p\n\n// #cgo pkg-config: --foo\nimport "C"\n'
gofile embed-unterminated 'package p\n\nimport _ "embed"\n\n//go:embed "x\nvar s string\n'
gofile embed-dotdot 'package p\n\nimport _ "embed"\n\n//go:embed ../x\nvar s string\n'
gofile embed-missing 'package p\n\nimport _ "embed"\n\n//go:embed nosuch.txt\nvar s string\n'
gofile embed-no-import 'package p\n\n//go:embed x.txt\nvar s string\n'
gofile embed-nul 'package p\n\nimport _ "embed"\n\n//go:embed a\x00b\nvar s string\n'
gofile build-unbalanced '//go:build (linux\n\npackage p\n'
gofile build-trailing-op '//go:build linux &&\n\npackage p\n'
gofile build-garbage '//go:build !!!\n\npackage p\n'
gofile build-twice '//go:build linux\n//go:build darwin\n\npackage p\n'
gofile plusbuild-garbage '// +build !!!,,, ++\n\npackage p\n'
gofile build-utf8 '//go:build \xff\n\npackage p\n'
gofile goversion-bad '//go:build go1.x\n\npackage p\n'
gofile directive-junk '//go:\x01\n//go:generate \xff\npackage p\n'
gofile binaryonly '//go:binary-only-package\n\npackage p\n'
gofile import-comment-bad 'package p // import "a b"\n'
gofile import-comment-mismatch 'package p // import "example.com/other"\n'
# mismatched package names in one directory
mkdir -p "$M/two-names"
printf 'package a\n' >"$M/two-names/a.go"
printf 'package b\n' >"$M/two-names/b.go"
# an ignored file still has its package clause parsed
mkdir -p "$M/ignored-bad-clause"
printf '//go:build ignore\n\npackage\n' >"$M/ignored-bad-clause/a.go"
printf 'package p\n' >"$M/ignored-bad-clause/b.go"
# a header go/build skips quietly but cmd/go's import scanner (imports.ScanDir, which reads
# every .go file, ignored ones too) rejects: a syntax error makes it read the whole file,
# so a NUL anywhere becomes a package error
mkdir -p "$M/ignored-syntax-then-nul"
printf '//go:build ignore\n\npackagee p\n\x00\n' >"$M/ignored-syntax-then-nul/a.go"
printf 'package p\n' >"$M/ignored-syntax-then-nul/b.go"
# only test files / only ignored files
mkdir -p "$M/only-ignored"
printf '//go:build ignore\n\npackage p\n' >"$M/only-ignored/a.go"
mkdir -p "$M/only-xtest"
printf 'package p_test\n' >"$M/only-xtest/a_test.go"
mkdir -p "$M/test-nul"
printf 'package p\n' >"$M/test-nul/a.go"
printf 'package p\x00\n' >"$M/test-nul/a_test.go"
# random-byte files (seeded, so the same bytes every run)
RANDOM=7
for k in 1 2 3 4; do
	junk=
	for ((i = 0; i < 1024 * k; i++)); do
		printf -v b '\\x%02x' $((RANDOM % 256))
		junk+=$b
	done
	gofile "random-$k" "$junk"
	gofile "random-after-clause-$k" "package p\n$junk"
done
# huge lines
mkdir -p "$M/huge-comment" "$M/huge-import" "$M/huge-pkgname" "$M/huge-tail" "$M/many-imports" \
	"$M/huge-build"
{
	printf '// '
	head -c 2000000 /dev/zero | tr '\0' x
	printf '\npackage p\n'
} >"$M/huge-comment/a.go"
{
	printf 'package p\n\nimport "'
	head -c 200000 /dev/zero | tr '\0' a
	printf '"\n'
} >"$M/huge-import/a.go"
{
	printf 'package '
	head -c 200000 /dev/zero | tr '\0' p
	printf '\n'
} >"$M/huge-pkgname/a.go"
{
	printf 'package p\n\nvar s = "'
	head -c 4000000 /dev/zero | tr '\0' x
	printf '"\n'
} >"$M/huge-tail/a.go"
{
	printf 'package p\n\nimport (\n'
	for ((i = 0; i < 3000; i++)); do printf '\t_ "fmt"\n'; done
	printf ')\n'
} >"$M/many-imports/a.go"
{
	printf '//go:build '
	head -c 50000 /dev/zero | tr '\0' '('
	printf 'linux'
	head -c 50000 /dev/zero | tr '\0' ')'
	printf '\n\npackage p\n'
} >"$M/huge-build/a.go"
mkdir -p "$M/huge-plusbuild"
{
	printf '// +build '
	head -c 20000 /dev/zero | tr '\0' '!'
	printf 'linux\n\npackage p\n'
} >"$M/huge-plusbuild/a.go"
# a symlink loop and a dangling symlink named *.go, a directory named x.go
mkdir -p "$M/symlink-loop" "$M/symlink-dangling" "$M/dir-named-go/x.go"
printf 'package p\n' >"$M/symlink-loop/ok.go"
ln -s loop.go "$M/symlink-loop/loop.go"
printf 'package p\n' >"$M/symlink-dangling/ok.go"
ln -s nowhere.go "$M/symlink-dangling/dangling.go"
printf 'package p\n' >"$M/dir-named-go/ok.go"
# a directory symlink loop under ./... (go does not follow directory symlinks there)
mkdir -p "$M/dirlink"
printf 'package dirlink\n' >"$M/dirlink/a.go"
ln -s .. "$M/dirlink/up"
# directory names that are not valid import path elements
mkdir -p "$M/a b" "$M/nul" "$M/x!y" "$M/\$weird" "$M/é" "$M/_under" "$M/.dot" "$M/testdata/t"
for d in "a b" nul "x!y" "\$weird" é _under .dot testdata/t; do printf 'package p\n' >"$M/$d/a.go"; done
# Big trees in a module of their own, so listing all of $M stays quick: deeply nested
# directories (the walk must not recurse on the C stack without bound), 10000 files in one
# package.
B=$T/big
newmod "$B"
deep=$B/deep
for ((i = 0; i < 400; i++)); do deep+=/d; done
mkdir -p "$deep"
printf 'package d\n' >"$deep/a.go"
mkdir -p "$B/many-files"
(
	cd "$B/many-files"
	for ((i = 0; i < 10000; i++)); do printf 'package many\n' >"f$i.go"; done
)

# gofile_checks LABEL: list each package of $M, then all of $M.
gofile_checks() {
	local d n
	for d in "$M"/*/; do
		d=${d%/}
		n=${d##*/}
		case $n in "a b" | nul | "x!y" | "\$weird" | é | _under | .dot | testdata) continue ;; esac
		check "$1.go $n" "$M" -e -json="$F" "./$n"
	done
	check "$1whole module -e -json" "$M" -e -json="$F" ./...
	check "$1whole module, no -e" "$M" ./...
	check "$1whole module -deps -e" "$M" -deps -e -f '{{.ImportPath}} {{.Incomplete}}' ./...
}
gofile_checks ""
check "deep nest" "$B" -e -json=ImportPath,Dir,Name,GoFiles ./deep/...
check "10000 files" "$B" -e -json=ImportPath,Name,Incomplete,Error ./many-files
check "10000 files -f" "$B" -f '{{len .GoFiles}}' ./many-files

# --- odd command-line arguments.
for a in "a b" "" "." ".." "..." "./..." "/" "-" "x!y" "$(printf 'a\001b')" "$(printf '\377')" \
	"fmt@latest" "fmt@" "@v1" "./nosuch" "./nosuch/..." "example.com/m/nosuch" "nosuch/std" \
	"C" "unsafe" "all" "std/..." "cmd" "./a.go" "a.go" "../../..." "\\\\server\\x" ":" "vendor/..." \
	"$(head -c 3000 /dev/zero | tr '\0' a)"; do
	check "arg '$a'" "$M/import-self" -e -json=ImportPath,Error,Incomplete,Match -- "$a"
done
check "arg mixed files and packages" "$M" -e ./import-self/a.go fmt
check "arg files from two dirs" "$M" -e ./import-self/a.go ./import-dot/a.go
check "arg a .go file that is binary" "$M" -e -json="$F" ./random-1/a.go
check "arg a file named as a directory" "$M/import-self" -e -json=ImportPath,Error,Incomplete,Match ../go.mod

# --- imports the module loader treats specially: a module whose path is a
# standard package's (ambiguous import), the magic appengine imports it
# leaves out (cannot find package)
S=$T/special
mkdir -p "$S/image" "$S/app"
printf 'module image\n\ngo 1.26\n' >"$S/image/go.mod"
printf 'package main\n\nfunc main() {}\n' >"$S/image/main.go"
check "module path of a std package" "$S/image" -e -json=ImportPath,Error,Incomplete .
newmod "$S/app"
mkdir -p "$S/app/useappengine"
printf 'package x\n\nimport _ "appengine"\n' >"$S/app/useappengine/x.go"
printf 'package x\n\nimport _ "appengine_internal/foo"\n' >"$S/app/useappengine/y.go"
check "appengine import" "$S/app" -e -json=ImportPath,Error,Incomplete,DepsErrors ./useappengine
check "appengine import, -deps" "$S/app" -deps ./useappengine

# --- unreadable files and directories.  Root reads everything, so as root run both tools as
# user nobody (setpriv); as another user chmod is enough.
U=$T/unreadable
newmod "$U"
mkdir -p "$U/file" "$U/dir/in"
printf 'package file\n' >"$U/file/ok.go"
printf 'package file\n' >"$U/file/secret.go"
printf 'package in\n' >"$U/dir/in/a.go"
chmod 000 "$U/file/secret.go" "$U/dir/in"
if [[ $(id -u) == 0 ]]; then
	if command -v setpriv >/dev/null 2>&1 && id nobody >/dev/null 2>&1; then
		chmod 755 "$T"
		chmod -R a+rwX "$T/gocache" "$T/home" "$T/gopath"
		chmod -R a+rX "$U"
		chmod 000 "$U/file/secret.go" "$U/dir/in"
		AS=(setpriv --reuid="$(id -u nobody)" --regid="$(id -g nobody)" --clear-groups)
	else
		echo "SKIP: unreadable-file cases: running as root without setpriv/nobody"
		U=
	fi
fi
if [[ -n $U ]] && ${AS[@]+"${AS[@]}"} test -r "$GOTOOL" 2>/dev/null && ! ${AS[@]+"${AS[@]}"} test -r "$U/file/secret.go"; then
	check "unreadable .go file" "$U" -e -json="$F" ./file
	check "unreadable .go file, no -e" "$U" ./file
	check "unreadable directory under ./..." "$U" -e -json="$F" ./...
	check "unreadable directory, no -e" "$U" ./...
	check "unreadable directory named" "$U" -e -json="$F" ./dir/in
	chmod 000 "$U/go.mod"
	check "unreadable go.mod" "$U" -e -json="$F" ./...
	chmod 644 "$U/go.mod"
elif [[ -n $U ]]; then
	echo "SKIP: unreadable-file cases: the test user cannot run gotool, or can read a chmod 000 file"
fi
AS=()

# --- fuzz: seeded mutations of Go file headers, 6 rounds of 30 packages each; every round
# lists the whole module once with both tools.
# An ASan+UBSan gotool runs 2 rounds (CI time); FUZZ_ROUNDS=N runs more.
asan_index_skip=
if [[ -z ${FUZZ_ROUNDS:-} ]] && grep -qa __asan_init "$GOTOOL"; then
	FUZZ_ROUNDS=2
	asan_index_skip=1
	echo "badinput: ASan build of gotool: 2 fuzz rounds, no pass through go's module index"
fi
FUZZ_ROUNDS=${FUZZ_ROUNDS:-6}
FUZZ_PER=30
SEEDS=(
	'// Copyright 2024 The Authors.\n\n//go:build linux && (amd64 || arm64) && !purego\n\n// Package p does things.\npackage p\n\nimport (\n\t"fmt"\n\tstr "strings"\n\t_ "embed"\n)\n\nimport "unsafe"\n\n//go:embed a.txt\nvar s string\n\nvar _ = fmt.Sprint(str.ToUpper(s), unsafe.Sizeof(s))\n'
	'// +build !windows,!plan9\n\npackage p // import "example.com/m/x"\n\nimport . "os"\n\nvar _ = Getpid\n'
	'package p\n\n/*\n#cgo CFLAGS: -DFOO=1 -I${SRCDIR}/inc\n#cgo linux LDFLAGS: -lm\n#include <stdio.h>\n*/\nimport "C"\n\nimport "errors"\n\nvar _ = errors.New\n'
	'\xef\xbb\xbf/* block\n comment */ package p_test\n\nimport ("testing"; "strconv")\n\nfunc TestX(t *testing.T) { _ = strconv.Itoa }\n'
	'//go:build ignore\n\n// Command main.\npackage main\n\nimport `fmt`\n\nfunc main() { fmt.Println() }\n'
	'package p\n\nimport (\n\t"example.com/m/other"\n\t"nosuch/std"\n\t"C"\n)\n'
)
# Tokens inserted by the mutator (\001 stands for a NUL byte: bash strings cannot hold one).
TOKENS=('"' '`' '/*' '*/' '//' '\n' '(' ')' ';' '\001' '\377' '\xef\xbb\xbf' 'package ' 'import '
	'//go:build ' '// +build ' '//go:embed ' '#cgo ' 'C' '_' '.' '"C"' '\\' '\r' '\t' '\xc3' 'π'
	'!' '&&' '||' ',' '\x7f' ' ' '"fmt"' '\n\n')

# mutate S: set MUT to S (a printf format) with 1-4 random edits applied.  (Not run in a
# subshell: bash reseeds RANDOM in each subshell, which would make the corpus differ per run.)
mutate() {
	local s n i j k op tok b
	printf -v s "$1" # expand escapes so edits work on bytes
	s=${s//$'\000'/$'\001'}
	n=$((RANDOM % 4 + 1))
	for ((k = 0; k < n; k++)); do
		((${#s} > 0)) || s=x
		i=$((RANDOM % ${#s}))
		op=$((RANDOM % 6))
		case $op in
		0) j=$((RANDOM % 8 + 1)); s=${s:0:i}${s:i+j} ;;
		1 | 2) printf -v tok "${TOKENS[RANDOM % ${#TOKENS[@]}]}"; s=${s:0:i}$tok${s:i} ;;
		3) printf -v b '\\x%02x' $((RANDOM % 255 + 1)); printf -v b "$b"; s=${s:0:i}$b${s:i+1} ;;
		4) j=$((RANDOM % 16 + 1)); s=${s:0:i}${s:i:j}${s:i} ;;
		5) s=${s:0:i} ;;
		esac
	done
	MUT=$s
}

RANDOM=20240611
for ((r = 0; r < FUZZ_ROUNDS; r++)); do
	Z=$T/fuzz$r
	newmod "$Z"
	mkdir -p "$Z/other"
	printf 'package other\n' >"$Z/other/o.go"
	for ((p = 0; p < FUZZ_PER; p++)); do
		mkdir -p "$Z/p$p"
		printf 'x\n' >"$Z/p$p/a.txt"
		mutate "${SEEDS[RANDOM % ${#SEEDS[@]}]}"
		printf '%s' "$MUT" | tr '\001' '\000' >"$Z/p$p/a.go"
		# half the packages get a second, clean file so package-name mismatches happen
		if ((RANDOM % 2)); then printf 'package p\n' >"$Z/p$p/b.go"; fi
	done
done
# fuzz_checks LABEL: list each fuzz tree.
fuzz_checks() {
	local r
	for ((r = 0; r < FUZZ_ROUNDS; r++)); do
		check "$1fuzz round $r (tree fuzz$r; BADINPUT_KEEP=1 keeps it)" "$T/fuzz$r" -e -json="$F" ./...
	done
}
fuzz_checks ""

# --- the same .go cases and fuzz trees through go's module index (not under an
# ASan+UBSan gotool, CI time: the plain build lists every case both ways, and
# e2e/scanindex runs the index reader under ASan).
if [[ -z $asan_index_skip ]]; then
	unset GODEBUG
	backdate "$M" "$T"/fuzz*
	gofile_checks "[index] "
	fuzz_checks "[index] "
fi

if ((fail == 0)); then
	echo "PASS ($ncase cases)"
else
	echo "badinput: $nfail of $ncase cases failed"
fi
exit "$fail"
