#!/usr/bin/env bash
# VCS stamping (modload/vcs.c, through libgit2): for git repositories in
# many states, the vcs* build settings and the main module version that
# `go build` records (`go version -m`) must equal what mod_vcs_stamp
# computes (printed by the vcs_test driver).  Also the .info files go and
# gotool leave in the module cache, the GOPROXY=off reuse of a cached
# pseudo-version, and the error texts.
set -euo pipefail
GO=${GO:-/usr/local/go/bin/go}
DRV=${GOTOOL%/*}/tests/vcs_test
if ! command -v git >/dev/null; then
	echo "SKIP: git not installed"
	exit 0
fi
if [ ! -x "$DRV" ]; then
	echo "FAIL: driver $DRV not built"
	exit 1
fi
T=$(mktemp -d)
trap 'chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT
export HOME="$T/home" GIT_CONFIG_NOSYSTEM=1 GOFLAGS= GOPROXY=off GOTOOLCHAIN=local GOENV=off
export GOCACHE="$T/gocache" GOPATH="$T/gopath" GOMODCACHE="$T/mc-go"
unset GODEBUG GIT_DIR GIT_WORK_TREE GOOS GOARCH
mkdir -p "$HOME"
git config --global user.name Gopher
git config --global user.email gopher@example.com
git config --global init.defaultBranch main
git config --global tag.gpgSign false
git config --global commit.gpgSign false
fail=0
n=0

# commit DIR MSG [DATE]: commit everything in DIR at a fixed time.
commit() {
	local d=$1 msg=$2 date=${3:-2024-01-02T03:04:05Z}
	(cd "$d" && git add -A && GIT_AUTHOR_DATE=$date GIT_COMMITTER_DATE=$date git commit -qm "$msg")
}
# newmod DIR PATH: a main package in module PATH at DIR.
newmod() {
	mkdir -p "$1"
	printf 'module %s\n\ngo 1.26\n' "$2" >"$1/go.mod"
	printf 'package main\n\nfunc main() {}\n' >"$1/main.go"
}
newrepo() {
	mkdir -p "$1"
	git -C "$1" init -q
}

# check LABEL CWD MODPATH MODROOT [PKG] [-buildvcs=...]: go build in CWD
# and the driver must agree on the mod line and vcs settings; the driver
# uses its own module cache, so both compute from scratch, and then the
# .info files each wrote must be identical.
check() {
	local label=$1 cwd=$2 modpath=$3 modroot=$4 pkg=${5:-.} mode=${6:-auto}
	n=$((n + 1))
	local bin="$T/bin$n" pkgdir
	pkgdir=$(cd "$cwd" && cd "$pkg" && pwd)
	local r1=0 r2=0
	# go's output here does not depend on its build cache: the shared one when given
	(cd "$cwd" && GOCACHE=${GOTOOL_E2E_GOCACHE:-$GOCACHE} "$GO" build -buildvcs="$mode" -o "$bin" "$pkg") >"$T/go.out" 2>&1 || r1=$?
	if [ "$r1" = 0 ]; then
		"$GO" version -m "$bin" | sed -n 's/^\t//p' | grep -E '^(mod|build	vcs)' |
			sed 's/	$//' >"$T/want"
	else
		sed 's/^/error: /;2,$s/^error: //' "$T/go.out" >"$T/want"
	fi
	rm -rf "$T/mc-drv"
	GOMODCACHE="$T/mc-drv" "$DRV" stamp "$mode" "$cwd" "$pkgdir" "$modpath" "$modroot" "$T/mc-drv" \
		>"$T/got" 2>"$T/got.err" || r2=$?
	if ! cmp -s "$T/want" "$T/got" || { [ "$r1" = 0 ] && [ "$r2" != 0 ]; }; then
		echo "FAIL: $label (go exit $r1, driver exit $r2)"
		diff -u "$T/want" "$T/got" || true
		cat "$T/got.err"
		fail=1
		return
	fi
	# The cache entries written for the module must match go's byte for byte.
	local esc=${modpath}
	local dgo="$GOMODCACHE/cache/download/$esc/@v" ddrv="$T/mc-drv/cache/download/$esc/@v"
	if [ -d "$dgo" ] || [ -d "$ddrv" ]; then
		if ! diff -r "$dgo" "$ddrv" >"$T/d" 2>&1; then
			echo "FAIL: $label: module cache .info files differ"
			cat "$T/d"
			fail=1
		fi
	fi
	rm -rf "$GOMODCACHE"
}

# 1. A clean repository with one commit: a v0.0.0 pseudo-version.
R=$T/r1
newrepo "$R"
newmod "$R" example.com/r1
commit "$R" init
check clean "$R" example.com/r1 "$R"
# A subdirectory as cwd and package.
mkdir -p "$R/cmd/x"
printf 'package main\n\nfunc main() {}\n' >"$R/cmd/x/main.go"
commit "$R" x 2024-02-03T04:05:06Z
check "cwd in subdir" "$R/cmd" example.com/r1 "$R" ./x
check "pkg in subdir" "$R" example.com/r1 "$R" ./cmd/x
# 2. A modified tracked file: +dirty.
echo '// changed' >>"$R/main.go"
check modified "$R" example.com/r1 "$R"
git -C "$R" add main.go
check "staged change" "$R" example.com/r1 "$R"
git -C "$R" reset -q --hard
# 3. Untracked files count as modified, ignored ones and empty dirs do not.
echo x >"$R/new.txt"
check untracked "$R" example.com/r1 "$R"
git -C "$R" config status.showUntrackedFiles no
check "untracked, status.showUntrackedFiles=no" "$R" example.com/r1 "$R"
git -C "$R" config --unset status.showUntrackedFiles
rm "$R/new.txt"
printf '*.log\n' >"$R/.gitignore"
commit "$R" ignore 2024-02-04T00:00:00Z
echo x >"$R/a.log"
mkdir -p "$R/emptydir/deeper"
check "ignored file and empty dir" "$R" example.com/r1 "$R"
mkdir -p "$R/logs"
echo x >"$R/logs/b.log"
check "dir of ignored files" "$R" example.com/r1 "$R"
rm -rf "$R/a.log" "$R/emptydir" "$R/logs"
# 4. A tag at HEAD.
git -C "$R" tag v1.5.0
check "tag at HEAD" "$R" example.com/r1 "$R"
git -C "$R" tag v1.5.1-rc.1
git -C "$R" tag -a v1.4.0 -m annotated
check "highest tag at HEAD" "$R" example.com/r1 "$R"
echo '// dirty' >>"$R/main.go"
check "tag at HEAD, dirty" "$R" example.com/r1 "$R"
git -C "$R" reset -q --hard
# 5. Tags on ancestors: pseudo-versions above the highest one.
echo '// next' >>"$R/main.go"
commit "$R" next 2024-03-01T10:11:12Z
check "tag on ancestor" "$R" example.com/r1 "$R"
git -C "$R" tag v1.6.0-pre HEAD~1
git -C "$R" tag v1.7 HEAD~1
git -C "$R" tag v2.0.0 HEAD~1
check "prerelease and non-canonical tags on ancestor" "$R" example.com/r1 "$R"
git -C "$R" tag v1.8.0+meta
check "non-canonical tag at HEAD" "$R" example.com/r1 "$R"
git -C "$R" tag v1.8.1-0.20240101000000-abcdefabcdef HEAD~1
check "pseudo-version-like tag" "$R" example.com/r1 "$R"
# 6. -buildvcs=false and -buildvcs=true.
check "buildvcs=false" "$R" example.com/r1 "$R" . false
check "buildvcs=true" "$R" example.com/r1 "$R" . true

# 7. A module in a subdirectory, tagged sub/vX.Y.Z; the repo root is a module too.
R=$T/r2
newrepo "$R"
newmod "$R" example.com/r2
newmod "$R/sub" example.com/r2/sub
commit "$R" init
check "sub module untagged" "$R/sub" example.com/r2/sub "$R/sub"
git -C "$R" tag sub/v1.2.0
git -C "$R" tag v1.9.0
check "sub module tag" "$R/sub" example.com/r2/sub "$R/sub"
check "root module beside sub tag" "$R" example.com/r2 "$R"
echo '// more' >>"$R/sub/main.go"
commit "$R" more 2024-04-05T06:07:08Z
check "sub module tag on ancestor" "$R/sub" example.com/r2/sub "$R/sub"
# The sub module's go.mod not committed: go cannot find it at the revision.
newmod "$R/other" example.com/r2/other
check "uncommitted sub module" "$R/other" example.com/r2/other "$R/other"
rm -rf "$R/other"

# 8. A v2 module path: tags must be v2; v1 tags are ignored.
R=$T/r3
newrepo "$R"
newmod "$R" example.com/r3/v2
commit "$R" init
git -C "$R" tag v1.0.0
check "v2 path, v1 tag" "$R" example.com/r3/v2 "$R"
git -C "$R" tag v2.1.0
check "v2 path, v2 tag" "$R" example.com/r3/v2 "$R"
echo '// more' >>"$R/main.go"
commit "$R" more "2024-05-06T23:08:09-05:00"
check "v2 path, v2 tag on ancestor" "$R" example.com/r3/v2 "$R"
# A v2 module in a v2/ directory of a repository whose root is v1.
R=$T/r4
newrepo "$R"
newmod "$R" example.com/r4
newmod "$R/v2" example.com/r4/v2
commit "$R" init
git -C "$R" tag v2.0.0
check "major subdirectory" "$R/v2" example.com/r4/v2 "$R/v2"
check "root beside major subdirectory" "$R" example.com/r4 "$R"

# 9. +incompatible: no go.mod committed at the root, a v2 tag.
R=$T/r5
newrepo "$R"
newmod "$R" example.com/r5
git -C "$R" add main.go
GIT_COMMITTER_DATE=2024-01-02T03:04:05Z git -C "$R" commit -qm init
git -C "$R" tag v2.3.0
check "incompatible, dirty" "$R" example.com/r5 "$R"
git -C "$R" tag -d v2.3.0 >/dev/null
git -C "$R" tag v0.1.0
check "implicit go.mod" "$R" example.com/r5 "$R"

# 10. No commits yet: vcs settings without a revision, no version.
R=$T/r6
newrepo "$R"
newmod "$R" example.com/r6
check "no commits" "$R" example.com/r6 "$R"

# 11. A repository without a go.mod at its root: settings but no version.
R=$T/r7
newrepo "$R"
newmod "$R/m" example.com/r7/m
commit "$R" init
git -C "$R" tag m/v1.0.0
check "no root go.mod" "$R/m" example.com/r7/m "$R/m"
# cwd at the repository root, outside the module (a workspace).
printf 'go 1.26\n\nuse ./m\n' >"$R/go.work"
check "workspace, cwd above module" "$R" example.com/r7/m "$R/m" ./m
rm "$R/go.work"

# 12. A nested repository holding the module: its own stamp.
R=$T/r8
newrepo "$R"
newmod "$R" example.com/r8
commit "$R" init
newrepo "$R/inner"
newmod "$R/inner" example.com/inner
commit "$R/inner" inner 2024-06-07T08:09:10Z
git -C "$R/inner" tag v0.3.0
check "nested repo" "$R/inner" example.com/inner "$R/inner"
check "outer repo with nested untracked repo" "$R" example.com/r8 "$R"
# cwd in the outer repository, the module in the nested one (a workspace).
printf 'go 1.26\n\nuse ./inner\n' >"$R/go.work"
check "workspace module in nested repo" "$R" example.com/inner "$R/inner" ./inner
check "workspace module in nested repo, true" "$R" example.com/inner "$R/inner" ./inner true
rm "$R/go.work"

# 13. Error texts: two VCS, and -buildvcs=true across repositories.
R=$T/r9
newrepo "$R"
mkdir -p "$R/.hg"
newmod "$R" example.com/r9
check "multiple VCS" "$R" example.com/r9 "$R"
rm -rf "$R/.hg"

# 14. The GOPROXY=off trap: a pseudo-version cached by a first build is
# reused after a tag is added to the same commit, by go and by gotool.
R=$T/r10
newrepo "$R"
newmod "$R" example.com/r10
commit "$R" init
(cd "$R" && "$GO" build -o "$T/trap1" .)
git -C "$R" tag v3.0.0
git -C "$R" tag v0.9.0
(cd "$R" && "$GO" build -o "$T/trap2" .)
"$GO" version -m "$T/trap2" | sed -n 's/^\tmod\t\([^\t]*\)\t\([^\t]*\).*/mod\t\1\t\2/p' >"$T/want"
"$DRV" stamp auto "$R" "$R" example.com/r10 "$R" "$GOMODCACHE" | sed -n '/^mod/p' >"$T/got"
if ! cmp -s "$T/want" "$T/got" || grep -q v0.9.0 "$T/got"; then
	echo "FAIL: GOPROXY=off reuses the cached pseudo-version"
	diff -u "$T/want" "$T/got" || true
	fail=1
fi
# Without GOPROXY=off the tag is seen.
GOPROXY=https://proxy.invalid "$DRV" stamp auto "$R" "$R" example.com/r10 "$R" "$GOMODCACHE" |
	sed -n '/^mod/p' >"$T/got"
if [ "$(cat "$T/got")" != "mod	example.com/r10	v0.9.0" ]; then
	echo "FAIL: with a proxy set the tag wins: $(cat "$T/got")"
	fail=1
fi
rm -rf "$GOMODCACHE"
# gotool first: what it caches, go reuses.
git -C "$R" tag -d v3.0.0 v0.9.0 >/dev/null
"$DRV" stamp auto "$R" "$R" example.com/r10 "$R" "$GOMODCACHE" | sed -n '/^mod/p' >"$T/got"
git -C "$R" tag v0.9.0
(cd "$R" && "$GO" build -o "$T/trap3" .)
"$GO" version -m "$T/trap3" | sed -n 's/^\tmod\t\([^\t]*\)\t\([^\t]*\).*/mod\t\1\t\2/p' >"$T/want"
if ! cmp -s "$T/want" "$T/got"; then
	echo "FAIL: go reuses the pseudo-version gotool cached"
	diff -u "$T/want" "$T/got" || true
	fail=1
fi

[ "$fail" = 0 ] && echo "ok: $n stamping cases agree with go"
exit "$fail"
