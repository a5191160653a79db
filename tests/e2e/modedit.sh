#!/usr/bin/env bash
# gotool mod edit / work edit / mod init against the real go: each case edits
# its own copy of a fixture (tests/fixtures/modedit) with gotool and with go,
# then compares the resulting file, stdout (-print, -json), stderr and the
# exit status byte for byte.  Under ASan a subset runs.
set -euo pipefail
GO=${GO:-/usr/local/go/bin/go}
export GOFLAGS= GOENV=off GOTOOLCHAIN=local GOPROXY=off GOWORK=
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/bin"
ln -s "$GOTOOL" "$T/bin/go"
G="$T/bin/go"
FIX="$TESTS/fixtures/modedit"
asan=0
grep -qa __asan_init "$GOTOOL" && asan=1
fail=0 cases=0

# both CMD...: runs gotool (in $T/t) and go (in $T/g) at the same time with
# the same arguments: r1/r2, o1/o2, e1/e2.  CMD's first word is "go".
both() {
	shift
	(cd "$T/t" && exec "$G" "$@" >"$T/o1" 2>"$T/e1"; ) &
	local p1=$!
	(cd "$T/g" && exec "$GO" "$@" >"$T/o2" 2>"$T/e2"; ) &
	local p2=$!
	r1=0 r2=0
	wait $p1 || r1=$?
	wait $p2 || r2=$?
}

# slurp VAR FILE: FILE's contents into VAR without a subprocess, with this
# case's temporary directory ($T/t or $T/g) written as DIR.
slurp() {
	local -n _v=$1
	_v=
	IFS= read -r -d '' _v <"$2" || true
	_v=${_v//"$T"\/[tg]/DIR}
}

# compare LABEL: compares $T/t with $T/g (trees), outputs and statuses.
compare() {
	local label=$1 o1 o2 e1 e2
	slurp o1 "$T/o1"
	slurp o2 "$T/o2"
	slurp e1 "$T/e1"
	slurp e2 "$T/e2"
	cases=$((cases + 1))
	if [ "$r1" != "$r2" ] || [ "$o1" != "$o2" ] || [ "$e1" != "$e2" ] || ! diff -r "$T/t" "$T/g" >/dev/null; then
		echo "FAIL: $label (exit gotool=$r1 go=$r2)"
		diff -u <(printf '%s' "$o2") <(printf '%s' "$o1") | head -40 || true
		diff -u <(printf '%s' "$e2") <(printf '%s' "$e1") | head -20 || true
		diff -ru "$T/g" "$T/t" | head -40 || true
		fail=1
	fi
}

# edit KIND FILE ARGS...: `go KIND edit ARGS` on a copy of FILE as go.mod / go.work.
edit() {
	local kind=$1 file=$2 name=go.mod
	shift 2
	[ "$kind" = work ] && name=go.work
	rm -rf "$T/g" "$T/t"
	mkdir -p "$T/g" "$T/t"
	if [ -n "$file" ]; then
		cp "$FIX/$file" "$T/g/$name"
		cp "$FIX/$file" "$T/t/$name"
	fi
	both go "$kind" edit "$@"
	compare "$kind edit $file $*"
}

# init ARGS...: `go mod init ARGS` in an empty directory (setup: $SETUP run in it first).
init() {
	rm -rf "$T/g" "$T/t"
	mkdir -p "$T/g" "$T/t"
	if [ -n "${SETUP:-}" ]; then
		(cd "$T/g" && eval "$SETUP")
		(cd "$T/t" && eval "$SETUP")
	fi
	both go mod init "$@"
	compare "mod init $* (${SETUP:-})"
}

mods="full.mod v2.mod block.mod"
[ $asan = 1 ] && mods="v2.mod"
few="odd.mod min.mod empty.mod comments.mod crlf.mod blank.mod"
[ $asan = 1 ] && few="crlf.mod"
for f in $few; do
	edit mod "$f" -fmt
	edit mod "$f" -json
	edit mod "$f" -require=example.com/a@v1.1.0 -godebug=k=v -print
	edit mod "$f" -module=example.com/m -go=1.22 -exclude=example.com/a@v1.0.0 -replace=example.com/a=../a
done

for f in $mods; do
	edit mod "$f" -fmt
	edit mod "$f" -print
	edit mod "$f" -json
	edit mod "$f" -module=example.com/renamed -print
	edit mod "$f" -go=1.23 -toolchain=go1.24.0
	edit mod "$f" -go=none -toolchain=none
	edit mod "$f" -go=1.19 -json
	edit mod "$f" -require=example.com/a@v1.1.0 -require=example.com/new@v0.0.1 -require=example.com/b@v1.9.9
	edit mod "$f" -droprequire=example.com/a -droprequire=example.com/b -droprequire=golang.org/x/text
	edit mod "$f" -droprequire=example.com/single -json
	edit mod "$f" -exclude=example.com/a@v1.0.3 -exclude=example.com/z@v0.1.0 -exclude=example.com/a@v1.0.1
	edit mod "$f" -dropexclude=example.com/a@v1.0.1 -dropexclude=example.com/x@v1.0.0
	edit mod "$f" -replace=example.com/a=example.com/a2@v1.0.0 -replace=example.com/new@v1.0.0=../new
	edit mod "$f" -replace=example.com/b=../b -replace=example.com/c@v1.0.0=./c2 -json
	edit mod "$f" -dropreplace=example.com/a@v1.0.0 -dropreplace=example.com/b -dropreplace=example.com/y
	edit mod "$f" -retract=v1.0.1 -retract='[v1.1.0,v1.2.0]' -retract=v0.9.0
	edit mod "$f" -dropretract='[v1.0.0,v1.0.5]' -dropretract=v0.9.0 -dropretract=v2.0.1 -json
	edit mod "$f" -tool=example.com/t2 -tool=example.com/a/cmd/x -droptool=example.com/t0
	edit mod "$f" -ignore=./foo -ignore=./vendor-old -dropignore=./bar
	edit mod "$f" -dropignore=./vendor-old -droptool=example.com/a/cmd/x -json
	edit mod "$f" -godebug=panicnil=0 -godebug=newkey=1 -dropgodebug=default
	edit mod "$f" -dropgodebug=panicnil -dropgodebug=default -print
	edit mod "$f" -require=example.com/x@v1.2.0 -droprequire=example.com/y -exclude=example.com/x@v1.0.1 -print
done

# every flag at once, and flags repeated
edit mod full.mod -module=example.com/all -go=1.24 -toolchain=default -godebug=a=b \
	-require=example.com/q@v1.0.0 -exclude=example.com/q@v0.9.0 -replace=example.com/q=./q \
	-retract=v1.9.0 -tool=example.com/q/cmd -ignore=./tmp -dropgodebug=panicnil
edit mod min.mod -require=example.com/a@v1.0.0 -require=example.com/b@v1.0.0 -require=example.com/c@v1.0.0
edit mod min.mod -exclude=example.com/a@v1.0.0 -exclude=example.com/a@v1.1.0 -exclude=example.com/b@v1.0.0
edit mod min.mod -replace=example.com/a@v1.0.0=./a -replace=example.com/a@v1.1.0=./a1 -replace=example.com/a=./all
edit mod min.mod -retract=v1.0.0 -retract=v1.0.0 -tool=b/c -tool=a/b -ignore=z -ignore=y
edit mod min.mod -replace='example.com/a=./has space' -require='example.com/a@v1.0.0'
edit mod empty.mod -go=1.21 -toolchain=go1.21.0 -module=example.com/new

# argument validation and errors
for args in "" "-json -print" "-fmt a b" "-module=A/../b" "-module=go" "-go=abc" "-toolchain=x" \
	"-require=example.com/a" "-require=example.com/a@" "-require=example.com/a@-bad" "-require=bad..path@v1.0.0" \
	"-require=example.com/a@'v1'" "-droprequire=example.com/a@v1.0.0" "-droprequire=Bad/../x" \
	"-exclude=example.com/a@v1" "-exclude=example.com/a/v2@v1.0.0" "-exclude=example.com/a@v2.0.0" \
	"-exclude=example.com/a@latest" "-dropexclude=example.com/a" \
	"-replace=example.com/a" "-replace=example.com/a=>./b" "-replace=example.com/a=example.com/b" \
	"-replace=example.com/a@v1=./b@v1" "-replace=./x=./y" "-replace=example.com/a@'x'=./b" \
	"-dropreplace=example.com/a@-x" "-retract=[v1.0.0" "-retract=[v1.0.0]" "-retract=v1.0" "-retract=x y" \
	"-retract=[v1.0.0,v1.1.0] -json" "-dropretract=[a b,c]" "-tool=a@v1" "-tool=./x" "-droptool=" \
	"-godebug=x" "-godebug=a=\"b\"" "-foo" "-C=/tmp -fmt" "-fmt nonexist.mod" "-x -n -fmt" "-modcacherw -fmt"; do
	# under ASan every third one
	k=$((${k:-0} + 1))
	[ $asan = 1 ] && [ $((k % 3)) != 0 ] && continue
	# shellcheck disable=SC2086
	edit mod full.mod $args
done
for f in bad1.mod bad2.mod bad3.mod bad4.mod; do
	edit mod "$f" -fmt
	edit mod "$f" -print go.mod
done
edit mod "" -fmt
edit mod full.mod -C "$FIX" -json full.mod
edit mod full.mod -json go.mod

# the file keeps its mode and is written through a symlink
for d in g t; do
	rm -rf "$T/$d"
	mkdir -p "$T/$d/real"
	cp "$FIX/full.mod" "$T/$d/real/go.mod"
	chmod 600 "$T/$d/real/go.mod"
	ln -s real/go.mod "$T/$d/go.mod"
done
r1=0 r2=0
(cd "$T/t" && "$G" mod edit -require=example.com/z@v1.0.0 && stat -c '%a %F' go.mod real/go.mod >"$T/o1" 2>"$T/e1") || r1=$?
(cd "$T/g" && "$GO" mod edit -require=example.com/z@v1.0.0 && stat -c '%a %F' go.mod real/go.mod >"$T/o2" 2>"$T/e2") || r2=$?
compare "mode and symlink"

# go.work
works="full.work nogo.work tc.work"
[ $asan = 1 ] && works="full.work"
for f in $works; do
	edit work "$f" -fmt
	edit work "$f" -print
	edit work "$f" -json
	edit work "$f" -go=1.23 -toolchain=go1.24.0
	edit work "$f" -go=none -toolchain=none -print
	edit work "$f" -toolchain=go1.25.0 -print
	edit work "$f" -use=./d -use=./a -use=e/f -use=../up -dropuse=./b -json
	edit work "$f" -use=./d -dropuse=./a -dropuse=./c
	edit work "$f" -replace=example.com/x@v1.0.0=./y -replace=example.com/z=example.com/z2@v1.0.0 -dropreplace=example.com/q
	edit work "$f" -dropreplace=example.com/x@v1.0.0 -json
	edit work "$f" -godebug=panicnil=0 -godebug=k=v -dropgodebug=other
	edit work "$f" -dropgodebug=panicnil -print
done
for args in "" "-json -print" "-fmt a b" "-go=x" "-toolchain=1.2" "-replace=a" "-replace=./x=./y" \
	"-replace=example.com/a@-x=./b" "-godebug=x" "-foo" "-fmt nonexist.work"; do
	# shellcheck disable=SC2086
	edit work full.work $args
done
edit work bad.work -fmt
edit work "" -fmt

# mod init
init example.com/hello
init example.com/hello/v2
init gopkg.in/yaml.v3
init ./local
init ../x
init go
init toolchain
init example.com/x/v1
init example.com/x/v1.5
init gopkg.in/foo
init gopkg.in/foo.2
init 'bad path'
init a b
init -x
init
SETUP='echo "package a // import \"example.com/fromcomment\"" > a.go' init
SETUP='mkdir sub && echo "package s // import \"example.com/c/sub\"" > sub/s.go' init
SETUP='echo "package a" > a.go' init example.com/tidy
SETUP='mkdir d' init example.com/dir
SETUP='mkdir .hidden _x' init example.com/quiet
SETUP='echo module x > go.mod' init example.com/again
if [ $asan = 0 ]; then
	mkdir -p "$T/gp/src/example.org/inpath"
	r1=0 r2=0
	(cd "$T/gp/src/example.org/inpath" && GOPATH="$T/gp" "$G" mod init >"$T/o1" 2>"$T/e1" && cat go.mod >>"$T/o1" && rm go.mod) || r1=$?
	(cd "$T/gp/src/example.org/inpath" && GOPATH="$T/gp" "$GO" mod init >"$T/o2" 2>"$T/e2" && cat go.mod >>"$T/o2" && rm go.mod) || r2=$?
	rm -rf "$T/g" "$T/t"
	mkdir -p "$T/g" "$T/t"
	compare "mod init in GOPATH"
fi

# work init
winit() {
	rm -rf "$T/g" "$T/t"
	mkdir -p "$T/g" "$T/t"
	for d in g t; do
		mkdir -p "$T/$d/a" "$T/$d/b" "$T/$d/c" "$T/$d/f"
		printf 'module example.com/a\n\ngo 1.20\n' >"$T/$d/a/go.mod"
		printf 'module example.com/b\n' >"$T/$d/b/go.mod"
		: >"$T/$d/f/file"
	done
	both go work init "$@"
	compare "work init $*"
}
winit
winit ./a
winit ./a b c ./a/
winit b ./a
winit ./a nosuch
winit ./a f/file
winit -x
(cd "$T/t" && "$G" work init >/dev/null 2>&1 && cd a && "$G" work init >"$T/o1" 2>"$T/e1") || r1=$?
(cd "$T/g" && "$GO" work init >/dev/null 2>&1 && cd a && "$GO" work init >"$T/o2" 2>"$T/e2") || r2=$?
compare "work init in a workspace"

# work use: setup as for work init, plus a go.work and nested modules
wuse() {
	rm -rf "$T/g" "$T/t"
	for d in g t; do
		mkdir -p "$T/$d/a/sub/deep" "$T/$d/b" "$T/$d/c" "$T/$d/f" "$T/$d/n/m1" "$T/$d/n/m2"
		printf 'module example.com/a\n\ngo 1.20\n' >"$T/$d/a/go.mod"
		printf 'module example.com/a/sub/deep\n\ngo 1.23\n' >"$T/$d/a/sub/deep/go.mod"
		printf 'module example.com/b\n' >"$T/$d/b/go.mod"
		printf 'module example.com/m1\ngo 1.22.1\n' >"$T/$d/n/m1/go.mod"
		printf 'module example.com/m2\n' >"$T/$d/n/m2/go.mod"
		printf '%b' "$WORK" >"$T/$d/go.work"
		[ -n "${SETUP:-}" ] && printf 'module example.com/a\ngo 1.99\n' >"$T/$d/a/go.mod"
	done
	both go work use "$@"
	compare "work use $* ($WORK)"
}
wlist=('go 1.19\ntoolchain go1.20.1\n\nuse ./gone\nuse ./a // a\n')
[ $asan = 1 ] || wlist+=('go 1.20\n' 'go 1.21\nuse (\n\t./b\n\t./n/m1\n\t./gone\n)\n')
for WORK in "${wlist[@]}"; do
	wuse
	wuse ./a
	wuse ./a b ./b/ ./c
	wuse -r .
	wuse -r n
	wuse -r ./a
	wuse ./gone
	wuse nosuch
	wuse f/../a ./n/m2
done
WORK='go 1.20\n' wuse -x
WORK='bad\n' wuse ./a
WORK='go 1.99\n' wuse
WORK='go 1.20\n' SETUP=1 wuse ./a

# go.mod and go.work files from go's own script tests (every 40th; all of them
# matched when this was written): printed back, and with every kind of edit
if [ $asan = 0 ]; then
	mkdir -p "$T/sweep"
	python3 - "$T/sweep" <<'PY'
import glob, re, sys
n = 0
for p in sorted(glob.glob('/usr/local/go/src/cmd/go/testdata/script/*.txt')):
    parts = re.split(rb'^-- (.+?) --\n', open(p, 'rb').read(), flags=re.M)
    for i in range(1, len(parts) - 1, 2):
        name = parts[i].decode('utf8', 'replace').strip()
        if name.endswith('go.mod') or name.endswith('go.work'):
            n += 1
            if n % 40 == 0:
                ext = 'work' if name.endswith('go.work') else 'mod'
                open('%s/%d.%s' % (sys.argv[1], n, ext), 'wb').write(parts[i + 1])
PY
	for f in "$T"/sweep/*; do
		kind=mod
		ops=(-require=example.com/new@v1.0.0 -require=rsc.io/quote@v1.5.2 -droprequire=golang.org/x/text
			-exclude=rsc.io/quote@v1.5.1 -replace=rsc.io/quote=../q -retract=v0.1.0 -tool=example.com/t
			-godebug=x=y -go=1.22 -toolchain=go1.23.0 -ignore=./x)
		case $f in *.work) kind=work ops=(-use=./new -dropuse=./a -replace=rsc.io/quote=../q -go=1.22) ;; esac
		rm -rf "$T/g" "$T/t"
		mkdir -p "$T/g" "$T/t"
		both go $kind edit "${ops[@]}" -print "$f"
		compare "$kind edit ${f##*/}"
	done
fi

# mod and work dispatch
for args in "mod" "mod nosuch" "work" "work nosuch" "help mod edit" "help work edit"; do
	rm -rf "$T/g" "$T/t"
	mkdir -p "$T/g" "$T/t"
	# shellcheck disable=SC2086
	both go $args
	# help texts are gotool's own: compare the status and the first line
	if [ "${args#help}" != "$args" ] || [ "$args" = mod ] || [ "$args" = work ]; then
		head -1 "$T/o1" >"$T/x1"; mv "$T/x1" "$T/o1"; head -1 "$T/o2" >"$T/x2"; mv "$T/x2" "$T/o2"
		: >"$T/e1"; : >"$T/e2"
	fi
	compare "$args"
done

echo "modedit: $cases cases"
exit $fail
