#!/usr/bin/env bash
# cgo builds (issue 8's first step), compared with the real go 1.26:
#
#   netprog  (tests/fixtures/cgo/netprog) net, net/http and os/user with cgo
#            on: runtime/cgo, net's and os/user's cgo files; linked internally
#   cgofix   (tests/fixtures/cgo/cgofix) package clib: a .c file, a header,
#            #cgo CFLAGS/CPPFLAGS/LDFLAGS, a preamble function and an
#            //export'ed Go function called from C; package zver: zlib
#            through #cgo pkg-config; linked externally
#   cexport  (tests/fixtures/cgo/cexport) a main package with //export'ed
#            functions, built with -buildmode=c-archive (default output
#            name, then again from the caches) and c-shared: library and
#            header compared with go's, cdriver/main.c built against them
#            and run; `build -a -n` plans; the refusals go prints
#   cxxapp   (tests/fixtures/cgo/cxxapp) a main package with a C++ file
#            (extern "C" functions over std::string and std::vector) and
#            #cgo CXXFLAGS: compiled with g++, _cgo_.o and the program
#            linked with g++ (-extld=g++); binary, output and plan
#            compared; a #cgo CXXFLAGS flag off the allow-list, one
#            $CGO_CXXFLAGS_DISALLOW refuses and a C++ compile error
#            (badcxx) give go's errors
#   objcapp  (tests/fixtures/cgo/objcapp) a main package with an
#            Objective-C file (a root class over the GNU runtime) and a C
#            file: gcc compiles both, -lobjc links; binary, output and plan
#            compared
#   fortapp  (tests/fixtures/cgo/fortapp) a main package with Fortran files
#            (.f90, and .F preprocessed with #cgo FFLAGS) and a C++ file:
#            gfortran and g++, -lgfortran; binary, output and plans
#            (-trimpath; FC=f95, which gets no -lgfortran) compared; a
#            compile error in a .m (badobjc) or a .F file (badfortran) and
#            an $FC that does not exist give go's errors
#   crossapp (tests/fixtures/cgo/crossapp) a C file and a preamble, built
#            for GOARCH=arm64 with CC=aarch64-linux-gnu-gcc: the binary is
#            compared with go's, and its `build -a -n` plan; not run
#
# cgoapp is also built with -buildmode=pie.
#
# netprog is also linked with -ldflags=-linkmode=external (and refused
# without cgo, as go refuses it).
# Each is built by both tools with default flags (the full build id) and,
# with CGO_E2E_FULL=1 (CI time: std compiled again), with -trimpath
# -ldflags=-buildid=, the binaries compared with cmp and run (cgoapp's
# -trimpath plan is compared in CI too);
# `build -a -n` plans are compared line for line; a second gotool build
# runs no cgo step (the cache), and a changed $CGO_CFLAGS does.  Bad input:
# a #cgo flag off the allow-list, a C compile error, a missing C compiler, a
# pkg-config package that does not exist and a failing $PKG_CONFIG give
# go's stderr and exit status, and no binary.
#
# An ASan build of gotool runs cgofix, cxxapp, objcapp and fortapp (default
# flags) and the bad input only.
#
# Env: GOTOOL, TESTS; GO (default /usr/local/go/bin/go); GOTOOL_E2E_GOCACHE
# (a go build cache shared by the scripts, for go's reference builds);
# CGO_E2E_FULL=1 adds the -trimpath builds.
set -euo pipefail

GO=${GO:-/usr/local/go/bin/go}
TESTS=${TESTS:-$(cd "$(dirname "$0")/.." && pwd)}
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null || true; rm -rf "$tmp"' EXIT
export GOFLAGS= GOPROXY=off GOWORK=off GOTOOLCHAIN=local GOENV=off CGO_ENABLED=1
export GOPATH=$tmp/gopath GOCACHE=$tmp/gocache GOTOOLCACHE=$tmp/gotoolcache
unset GODEBUG GOEXPERIMENT GOARCH GOOS GOARM GOAMD64 GOFIPS140 GOBIN CC CXX AR
unset CGO_CFLAGS CGO_CPPFLAGS CGO_CXXFLAGS CGO_LDFLAGS CGO_CFLAGS_ALLOW CGO_LDFLAGS_ALLOW
unset CGO_CXXFLAGS_ALLOW CGO_CXXFLAGS_DISALLOW CGO_FFLAGS FC
GOREF=${GOTOOL_E2E_GOCACHE:-$GOCACHE}

if ! command -v gcc >/dev/null; then
	echo "cgo.sh: no gcc: skipped"
	exit 0
fi
asan=
if grep -qa __asan_init "$GOTOOL"; then
	asan=1
	echo "cgo.sh: ASan build of gotool: cgofix, cxxapp, objcapp, fortapp and bad input only"
fi

cp -r "$TESTS/fixtures/cgo" "$tmp/src"
fail=0

# same NAME DIR PKG FLAGS...: go and gotool build PKG in DIR into one file each; cmp; run both
same() {
	local t0=$SECONDS
	local name=$1 dir=$2 pkg=$3
	shift 3
	local want=$tmp/out/go/$name got=$tmp/out/gt/$name
	(cd "$dir" && GOCACHE=$GOREF "$GO" build "$@" -o "$want" "$pkg")
	if ! (cd "$dir" && "$GOTOOL" build "$@" -o "$got" "$pkg") 2>"$tmp/err"; then
		echo "FAIL: $name: gotool build $* failed:"
		cat "$tmp/err"
		fail=1
		return
	fi
	if ! cmp -s "$want" "$got"; then
		echo "FAIL: $name: gotool build $* differs from go's"
		fail=1
	fi
	if [[ "$("$want" 2>&1)" != "$("$got" 2>&1)" ]]; then
		echo "FAIL: $name: the binaries print different things"
		fail=1
	fi
	[[ -z ${CGO_E2E_TIME:-} ]] || echo "same $name: $((SECONDS - t0))s"
}

# plan NAME DIR ARGS...: `build -a -n ARGS` prints go's plan
plan() {
	local t0=$SECONDS
	local name=$1 dir=$2
	shift 2
	(cd "$dir" && GOCACHE=$GOREF "$GO" build -a -n "$@") >"$tmp/want" 2>&1 || echo "exit $?" >>"$tmp/want"
	(cd "$dir" && "$GOTOOL" build -a -n "$@") >"$tmp/got" 2>&1 || echo "exit $?" >>"$tmp/got"
	if ! cmp -s "$tmp/want" "$tmp/got"; then
		echo "FAIL: $name: build -a -n $* differs from go's"
		diff "$tmp/want" "$tmp/got" | head -20
		fail=1
	fi
	[[ -z ${CGO_E2E_TIME:-} ]] || echo "plan $name: $((SECONDS - t0))s"
}

# bad NAME DIR ARGS...: go's stderr (work dirs masked) and exit status; no binary
bad() {
	local name=$1 dir=$2 rw=0 rg=0
	shift 2
	rm -rf "$tmp/bad"
	mkdir -p "$tmp/bad"
	(cd "$dir" && GOCACHE=$GOREF "$GO" build -o "$tmp/bad/go.out" "$@") 2>"$tmp/bad/want" || rw=$?
	(cd "$dir" && "$GOTOOL" build -o "$tmp/bad/gt.out" "$@") 2>"$tmp/bad/got" || rg=$?
	sed -i -E 's|/tmp/go-build[0-9]+|$WORK|g; s|^go: |gotool: |' "$tmp/bad/want"
	sed -i -E 's|/tmp/go-build[0-9]+|$WORK|g' "$tmp/bad/got"
	if [[ $rw == 0 || $rw != "$rg" ]] || ! cmp -s "$tmp/bad/want" "$tmp/bad/got"; then
		echo "FAIL: $name: exit $rg (go: $rw), stderr:"
		diff "$tmp/bad/want" "$tmp/bad/got" | head -20
		fail=1
	fi
	if [[ -e $tmp/bad/gt.out ]]; then
		echo "FAIL: $name: gotool left a binary"
		fail=1
	fi
}

fix=$tmp/src/cgofix
net=$tmp/src/netprog
# netprog first: cgoapp's standard packages are then in gotool's cache
if [[ -z $asan ]]; then
	same netprog "$net" .
	plan netprog "$net" -o "$tmp/od/" .
	# -linkmode=external: the main package imports runtime/cgo (LinkerDeps)
	same netprog.ext "$net" . -ldflags=-linkmode=external
fi
same cgoapp "$fix" ./cmd/cgoapp
if [[ "$("$tmp/out/gt/cgoapp")" != $'scale: 16\nroundtrip: 41\nhypot: 5\nadd: 42\necho: through C\nzlib: true true' ]]; then
	echo "FAIL: cgoapp prints:"
	"$tmp/out/gt/cgoapp"
	fail=1
fi
plan cgoapp "$fix" -o "$tmp/od/" ./cmd/cgoapp
if [[ -z $asan ]]; then
	plan cgoapp.trim "$fix" -trimpath -o "$tmp/od/" ./cmd/cgoapp
	# the std packages again with other action ids: CI time
	if [[ -n ${CGO_E2E_FULL:-} ]]; then
		same cgoapp.trim "$fix" ./cmd/cgoapp -trimpath -ldflags=-buildid=
		same netprog.trim "$net" . -trimpath -ldflags=-buildid=
	fi

	# the cache: nothing of clib runs again; a changed $CGO_CFLAGS reruns it
	(cd "$fix" && "$GOTOOL" build -x -o "$tmp/out/gt/cgoapp" ./cmd/cgoapp) 2>"$tmp/x1"
	if grep -q '/cgo -objdir\|gcc ' "$tmp/x1"; then
		echo "FAIL: a second build ran cgo or gcc:"
		grep '/cgo -objdir\|gcc ' "$tmp/x1" | head -5
		fail=1
	fi
	(cd "$fix" && CGO_CFLAGS="-O1 -g" "$GOTOOL" build -x -o "$tmp/out/gt/cgoapp.o1" ./cmd/cgoapp) 2>"$tmp/x2"
	if ! grep -q 'cgo -objdir .* -importpath example.com/cgofix/clib ' "$tmp/x2"; then
		echo "FAIL: CGO_CFLAGS changed and clib was not rebuilt"
		fail=1
	fi
	(cd "$fix" && CGO_CFLAGS="-O1 -g" GOCACHE=$GOREF "$GO" build -o "$tmp/out/go/cgoapp.o1" ./cmd/cgoapp)
	if ! cmp -s "$tmp/out/go/cgoapp.o1" "$tmp/out/gt/cgoapp.o1"; then
		echo "FAIL: cgoapp with CGO_CFLAGS=-O1 differs from go's"
		fail=1
	fi
fi

# C++: g++ compiles greet.cc with the C++ flags and links _cgo_.o and the
# program
cxx=$tmp/src/cxxapp
same cxxapp "$cxx" .
if [[ "$("$tmp/out/gt/cxxapp")" != $'hello, gopher (6 letters)\nsorted: [1 3 5 9] sum: 18' ]]; then
	echo "FAIL: cxxapp prints:"
	"$tmp/out/gt/cxxapp"
	fail=1
fi
plan cxxapp "$cxx" -o "$tmp/od/" .

# Objective-C: gcc compiles counter.m after twice.c with the C flags, -lobjc
# joins the cgo LDFLAGS.  Fortran: gfortran ($FC) compiles dot.f90 and
# scale.F with the #cgo FFLAGS after g++ compiled label.cc; -lgfortran
# joins the LDFLAGS, and an $FC without "gfortran" in its name leaves it out
same objcapp "$tmp/src/objcapp" .
if [[ "$("$tmp/out/gt/objcapp")" != 'count: 42 class: Counter twice: 42' ]]; then
	echo "FAIL: objcapp prints:"
	"$tmp/out/gt/objcapp"
	fail=1
fi
same fortapp "$tmp/src/fortapp" .
if [[ "$("$tmp/out/gt/fortapp")" != 'dot: 32 scaled: 42 label: 7' ]]; then
	echo "FAIL: fortapp prints:"
	"$tmp/out/gt/fortapp"
	fail=1
fi
if [[ -z $asan ]]; then
	plan objcapp "$tmp/src/objcapp" -o "$tmp/od/" .
	plan fortapp.trim "$tmp/src/fortapp" -trimpath -o "$tmp/od/" .
	FC=f95 CGO_FFLAGS=-O1 plan fortapp.f95 "$tmp/src/fortapp" -o "$tmp/od/" .
	if [[ -n ${CGO_E2E_FULL:-} ]]; then
		same objcapp.trim "$tmp/src/objcapp" . -trimpath -ldflags=-buildid=
		same fortapp.trim "$tmp/src/fortapp" . -trimpath -ldflags=-buildid=
	fi
fi

# Cross-compiling: $CC is aarch64-linux-gnu-gcc for GOARCH=arm64 (its flag
# probes, cgo's GOARCH, the external link); the binary and the plan are
# compared, the binary not run
if [[ -z $asan ]] && ! command -v aarch64-linux-gnu-gcc >/dev/null; then
	echo "cgo.sh: no aarch64-linux-gnu-gcc (./setup.sh deps installs it): crossapp skipped"
elif [[ -z $asan ]]; then
	t0=$SECONDS
	(cd "$tmp/src/crossapp" && CC=aarch64-linux-gnu-gcc GOARCH=arm64 GOCACHE=$GOREF "$GO" build -o "$tmp/out/go/crossapp" .)
	if ! (cd "$tmp/src/crossapp" && CC=aarch64-linux-gnu-gcc GOARCH=arm64 "$GOTOOL" build -o "$tmp/out/gt/crossapp" .) 2>"$tmp/err"; then
		echo "FAIL: crossapp: gotool build failed:"
		cat "$tmp/err"
		fail=1
	elif ! cmp -s "$tmp/out/go/crossapp" "$tmp/out/gt/crossapp"; then
		echo "FAIL: crossapp: gotool's arm64 binary differs from go's"
		fail=1
	fi
	[[ -z ${CGO_E2E_TIME:-} ]] || echo "same crossapp: $((SECONDS - t0))s"
	CC=aarch64-linux-gnu-gcc GOARCH=arm64 plan crossapp "$tmp/src/crossapp" -o "$tmp/od/" .
fi

# C build modes: -buildmode=pie (cgoapp), then cexport as a C library
# (c-archive, c-shared; std is compiled once with -shared for all three)
cex=$tmp/src/cexport
# clib NAME MODE ARGS...: build cexport with -buildmode=MODE ARGS in its
# directory; what each tool writes there (library and header) is moved to
# out/<tool>/NAME and must equal go's, file modes included
clib() {
	local name=$1 mode=$2 t
	shift 2
	for t in go gt; do
		rm -rf "$tmp/out/$t/$name"
		mkdir -p "$tmp/out/$t/$name"
		if [[ $t == go ]]; then
			(cd "$cex" && GOCACHE=$GOREF "$GO" build -buildmode="$mode" "$@")
		elif ! (cd "$cex" && "$GOTOOL" build -buildmode="$mode" "$@") 2>"$tmp/err"; then
			echo "FAIL: $name: gotool build -buildmode=$mode $* failed:"
			cat "$tmp/err"
			fail=1
			return
		fi
		(cd "$cex" && find . -maxdepth 1 -type f ! -name go.mod ! -name main.go -exec mv {} "$tmp/out/$t/$name/" \;)
	done
	if ! diff -r "$tmp/out/go/$name" "$tmp/out/gt/$name" >/dev/null ||
		[[ "$(cd "$tmp/out/go/$name" && stat -c '%n %a' ./*)" != "$(cd "$tmp/out/gt/$name" && stat -c '%n %a' ./*)" ]]; then
		echo "FAIL: $name: -buildmode=$mode $* writes other files than go:"
		(cd "$tmp/out" && ls -l go/"$name" gt/"$name")
		fail=1
	fi
}
# cdriver NAME LIB: cdriver/main.c built against gotool's library and header, run
cdriver() {
	local name=$1 d=$tmp/out/gt/$1 out
	if ! gcc -I "$d" -o "$d/driver" "$cex/cdriver/main.c" "$d/$2" -lpthread -Wl,-rpath,"$d" 2>"$tmp/err"; then
		echo "FAIL: $name: the C program does not build against gotool's library:"
		cat "$tmp/err"
		fail=1
		return
	fi
	out=$("$d/driver" 2>&1) || true
	if [[ $out != $'Add(40, 2) = 42\npoint (3, 4), doubled x 6' ]]; then
		echo "FAIL: $name: the C program prints:"
		echo "$out"
		fail=1
	fi
}
if [[ -z $asan ]]; then
	same cgoapp.pie "$fix" ./cmd/cgoapp -buildmode=pie
	clib carchive c-archive
	[[ -f $tmp/out/gt/carchive/cexport.a && -f $tmp/out/gt/carchive/cexport.h ]] ||
		{ echo "FAIL: carchive: no cexport.a and cexport.h"; fail=1; }
	cdriver carchive cexport.a
	# again, from the caches: the header comes from gotool's cache
	clib carchive.cached c-archive
	plan carchive "$cex" -buildmode=c-archive -o "$tmp/od/" .
	clib cshared c-shared -o cexport.so
	cdriver cshared cexport.so
	plan cshared "$cex" -buildmode=c-shared -o "$tmp/od/" .
fi
bad carchive.notmain "$fix" -buildmode=c-archive ./clib
GOARCH=mips64 CGO_ENABLED=0 bad carchive.mips64 "$cex" -buildmode=c-archive .

bad badflag "$tmp/src/badflag" .
bad badc "$tmp/src/badc" .
bad badpc "$tmp/src/badpc" .
PKG_CONFIG=/bin/false bad pcfails "$tmp/src/badpc" .
CGO_ENABLED=0 bad extnocgo "$net" -ldflags=-linkmode=external .
CC=/nonexistent bad nocc "$fix" ./cmd/cgoapp
bad badcxx "$tmp/src/badcxx" .
bad badobjc "$tmp/src/badobjc" .
bad badfortran "$tmp/src/badfortran" .
FC=/nonexistent bad nofc "$tmp/src/fortapp" .
CGO_CXXFLAGS_DISALLOW='-std=.*' bad cxxdisallow "$cxx" .
mkdir -p "$tmp/src/cxxflag"
cp "$cxx"/* "$tmp/src/cxxflag/"
sed -i 's|^// #cgo CXXFLAGS: .*|// #cgo CXXFLAGS: -fplugin=evil.so|' "$tmp/src/cxxflag/main.go"
bad cxxflag "$tmp/src/cxxflag" .

# vetsame NAME DIR ARGS...: `vet ARGS` of cgo packages: go's stdout, stderr
# (work dirs masked) and exit status
vetsame() {
	local name=$1 dir=$2 rw=0 rg=0
	shift 2
	(cd "$dir" && GOCACHE=$GOREF "$GO" vet "$@") >"$tmp/vwant" 2>&1 || rw=$?
	(cd "$dir" && "$GOTOOL" vet "$@") >"$tmp/vgot" 2>&1 || rg=$?
	sed -i -E 's|/tmp/go-build[0-9]+|$WORK|g' "$tmp/vwant" "$tmp/vgot"
	sed -i -E 's|^gotool: |go: |' "$tmp/vgot"
	if [[ $rw != "$rg" ]] || ! cmp -s "$tmp/vwant" "$tmp/vgot"; then
		echo "FAIL: $name: vet $* exit $rg (go: $rw), output:"
		diff "$tmp/vwant" "$tmp/vgot" | head -20
		fail=1
	fi
}
vetsame vet.cgofix "$fix" ./...
vetsame vet.cgofix.again "$fix" ./...
# a finding in a cgo file: reported at the file's own line
mkdir -p "$tmp/src/vetcgo"
cat >"$tmp/src/vetcgo/go.mod" <<'EOF2'
module example.com/vetcgo

go 1.22
EOF2
cat >"$tmp/src/vetcgo/v.go" <<'EOF2'
package vetcgo

// static int seven(void) { return 7; }
import "C"

import "fmt"

func Seven() string { return fmt.Sprintf("%d", "seven", int(C.seven())) }
EOF2
vetsame vet.finding "$tmp/src/vetcgo" .
vetsame vet.finding.json "$tmp/src/vetcgo" -json .

if [[ $fail != 0 ]]; then
	exit 1
fi
echo "cgo.sh: ok"
