#!/usr/bin/env bash
# Direct module fetching from git (modload/direct.c, through libgit2):
# GOPROXY=direct with known-host paths (github.com/acme/...) redirected to
# local repositories by url.<file URL>.insteadOf in $HOME/.gitconfig, which
# both go's git and libgit2 honour.  For each query, `mod download -json`
# (paths masked, Zip left out), the .info, .mod and .ziphash files, the
# extracted trees and the go.sum lines must equal go's; so must -reuse's
# answers, before and after the repository moves.  The .zip bytes
# are not compared: go deflates with compress/flate, gotool with zlib
# (their content is compared through the .ziphash and the trees).
set -euo pipefail
GO=${GO:-/usr/local/go/bin/go}
TOOLS=${TESTS:-$(cd "$(dirname "$0")/.." && pwd)}/tools
if ! command -v git >/dev/null; then
	echo "SKIP: git not installed"
	exit 0
fi
T=$(mktemp -d /tmp/h-direct-e2e.XXXXXX)
trap 'chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT
export HOME="$T/home" GIT_CONFIG_NOSYSTEM=1 GOFLAGS= GOPROXY=direct GOTOOLCHAIN=local GOENV=off
# GOPRIVATE keeps the checksum database out (GONOSUMDB defaults to it)
export GOPRIVATE='github.com/*' GOCACHE="${GOTOOL_E2E_GOCACHE:-$T/gocache}"
export GOPATH="$T/gopath"
unset GODEBUG GIT_DIR GIT_WORK_TREE GOOS GOARCH GONOPROXY GOINSECURE GOVCS GONOSUMDB GOSUMDB
mkdir -p "$HOME" "$T/repos"
git config --global user.name Gopher
git config --global user.email gopher@example.com
git config --global init.defaultBranch main
git config --global tag.gpgSign false
git config --global commit.gpgSign false
git config --global url."file://$T/repos/".insteadOf https://github.com/acme/
fail=0

commit() {
	local d=$1 msg=$2 date=$3
	(cd "$d" && git add -A && GIT_AUTHOR_DATE=$date GIT_COMMITTER_DATE=$date git commit -qm "$msg")
}
tag() { git -C "$1" tag "$2"; }

# thing: tags v1.0.0, v1.1.0 (annotated), a commit after, a bad tag, a
# vendor dir and a nested module
R=$T/repos/thing
mkdir -p "$R/vendor/x/y" "$R/inner" "$R/pkg"
printf 'module github.com/acme/thing\n\ngo 1.21\n' >"$R/go.mod"
printf 'package thing\n' >"$R/thing.go"
printf 'package y\n' >"$R/vendor/x/y/y.go"
printf 'module github.com/acme/thing/inner\n' >"$R/inner/go.mod"
printf 'package inner\n' >"$R/inner/inner.go"
printf 'package pkg\n' >"$R/pkg/pkg.go"
printf 'LICENSE text\n' >"$R/LICENSE"
git -C "$R" init -q
commit "$R" one 2024-01-02T03:04:05Z
tag "$R" v1.0.0
tag "$R" inner/v0.3.0
echo '// two' >>"$R/thing.go"
commit "$R" two 2024-02-03T04:05:06Z
git -C "$R" tag -a -m release v1.1.0
git -C "$R" tag vbad
echo '// three' >>"$R/thing.go"
commit "$R" three 2024-03-04T05:06:07Z
THREE=$(git -C "$R" rev-parse HEAD)

# major: v2 in a /v2 subdirectory (tag v2.0.0) and v3 on a major branch
R=$T/repos/major
mkdir -p "$R/v2"
printf 'module github.com/acme/major\n' >"$R/go.mod"
printf 'package major\n' >"$R/m.go"
printf 'module github.com/acme/major/v2\n' >"$R/v2/go.mod"
printf 'package major\n' >"$R/v2/m.go"
git -C "$R" init -q
commit "$R" one 2024-01-02T03:04:05Z
tag "$R" v1.0.0
tag "$R" v2.0.0
git -C "$R" checkout -q -b v3
printf 'module github.com/acme/major/v3\n' >"$R/go.mod"
commit "$R" v3 2024-05-06T07:08:09Z
tag "$R" v3.0.1
git -C "$R" checkout -q main

# legacy: no go.mod, tags v1.0.0 and v2.1.0 (+incompatible)
R=$T/repos/legacy
mkdir -p "$R"
printf 'package legacy\n' >"$R/l.go"
git -C "$R" init -q
commit "$R" one 2024-01-02T03:04:05Z
tag "$R" v1.0.0
echo '// two' >>"$R/l.go"
commit "$R" two 2024-01-03T03:04:05Z
tag "$R" v2.1.0

# untagged: no tags at all
R=$T/repos/untagged
mkdir -p "$R"
printf 'module github.com/acme/untagged\n' >"$R/go.mod"
printf 'package untagged\n' >"$R/u.go"
git -C "$R" init -q
commit "$R" one 2024-06-07T08:09:10Z

# run TOOL CACHE ARGS...: mod download -json in an empty dir with its own cache
run() {
	local tool=$1 mc=$2
	shift 2
	mkdir -p "$T/work"
	(cd "$T/work" && GOMODCACHE="$mc" "$tool" mod download -json "$@") 2>&1 || echo "exit $?"
}
mask() { sed -e "s#$T#\$T#g" -e 's#"Zip": ".*"#"Zip": ZIP#' -e 's#^gotool: #go: #'; }

n=0
check() {
	n=$((n + 1))
	local label=$1
	shift
	local mg=$T/mc-go$n mt=$T/mc-gt$n
	run "$GO" "$mg" "$@" | mask | sed "s#mc-go$n#MC#g" >"$T/go.out"
	run "$GOTOOL" "$mt" "$@" | mask | sed "s#mc-gt$n#MC#g" >"$T/gt.out"
	if ! diff -u "$T/go.out" "$T/gt.out" >"$T/diff"; then
		echo "FAIL $label: mod download -json differs"
		cat "$T/diff"
		fail=1
		return
	fi
	# the download cache: .info, .mod, .ziphash, the lists; the trees
	local f
	for f in $(cd "$mg/cache/download" 2>/dev/null && find . -type f \( -name '*.info' -o -name '*.mod' -o -name '*.ziphash' -o -name list \) | sort); do
		if ! cmp -s "$mg/cache/download/$f" "$mt/cache/download/$f"; then
			echo "FAIL $label: cache/download/$f differs"
			diff <(cat "$mg/cache/download/$f") <(cat "$mt/cache/download/$f" 2>&1) || true
			fail=1
		fi
	done
	for f in $(cd "$mg" && find . -path ./cache -prune -o -type f -print | sort); do
		if ! cmp -s "$mg/$f" "$mt/$f"; then
			echo "FAIL $label: $f differs"
			fail=1
		fi
	done
	if [ "$(cd "$mg" && find . -path ./cache -prune -o -print | sort)" != "$(cd "$mt" && find . -path ./cache -prune -o -print | sort)" ]; then
		echo "FAIL $label: extracted trees differ"
		fail=1
	fi
	# the vcs cache repository is shared: go reads gotool's
	if [ -d "$mt/cache/vcs" ] && ! ls "$mt"/cache/vcs/*.info >/dev/null 2>&1; then
		echo "FAIL $label: no cache/vcs info file"
		fail=1
	fi
	chmod -R u+w "$mg" "$mt" 2>/dev/null || true
}

check tagged github.com/acme/thing@v1.0.0
check annotated github.com/acme/thing@v1.1.0
check latest github.com/acme/thing@latest
check after-tag github.com/acme/thing@"$THREE"
check branch github.com/acme/thing@main
check short-hash github.com/acme/thing@"${THREE:0:12}"
check badtag github.com/acme/thing@vbad
check nover github.com/acme/thing@v1.2.0
check submodule github.com/acme/thing/inner@v0.3.0
check sub-latest github.com/acme/thing/inner@latest
check v2dir github.com/acme/major/v2@v2.0.0
check v3branch github.com/acme/major/v3@v3.0.1
check major-mismatch github.com/acme/major@v2.0.0
check incompatible github.com/acme/legacy@v2.1.0+incompatible
check legacy-latest github.com/acme/legacy@latest
check legacy-v1 github.com/acme/legacy@v1.0.0
check untagged github.com/acme/untagged@latest
check missing github.com/acme/nosuch@v1.0.0
check bad-pseudo github.com/acme/thing@v0.0.0-20240304050607-${THREE:0:12}
check pseudo github.com/acme/thing@v1.1.1-0.20240304050607-${THREE:0:12}
# "direct" after a proxy that does not have the module; GONOPROXY sends a
# path past the proxies
mkdir -p "$T/emptyproxy"
GOPROXY="file://$T/emptyproxy,direct" check proxy-then-direct github.com/acme/thing@v1.0.0
GOPRIVATE= GONOPROXY='github.com/acme' GONOSUMDB='github.com/acme' GOPROXY="file://$T/emptyproxy" \
	check gonoproxy github.com/acme/major/v2@v2.0.0

# go.sum lines: mod download in a module that requires them
for tool in go gt; do
	mkdir -p "$T/m-$tool"
	printf 'module m\n\ngo 1.21\n\nrequire (\n\tgithub.com/acme/thing v1.1.0\n\tgithub.com/acme/major/v2 v2.0.0\n)\n' >"$T/m-$tool/go.mod"
done
(cd "$T/m-go" && GOMODCACHE="$T/mc-sum-go" "$GO" mod download github.com/acme/thing github.com/acme/major/v2) >"$T/sum-go.out" 2>&1 || true
(cd "$T/m-gt" && GOMODCACHE="$T/mc-sum" "$GOTOOL" mod download github.com/acme/thing github.com/acme/major/v2) >"$T/sum-gt.out" 2>&1 || true
if ! cmp -s "$T/m-go/go.sum" "$T/m-gt/go.sum" || ! cmp -s "$T/sum-go.out" "$T/sum-gt.out"; then
	echo "FAIL go.sum: differs"
	diff "$T/m-go/go.sum" "$T/m-gt/go.sum" || true
	diff "$T/sum-go.out" "$T/sum-gt.out" || true
	fail=1
fi
chmod -R u+w "$T/mc-sum-go" 2>/dev/null || true
if [ -d "$T/mc-sum/cache/vcs" ]; then
	# go must be able to reuse gotool's vcs cache repository
	if ! (cd "$T/work" && GOMODCACHE="$T/mc-sum" "$GO" mod download -json github.com/acme/thing@v1.0.0 >"$T/reuse.out" 2>&1); then
		echo "FAIL reuse: go could not use gotool's cache/vcs repository"
		cat "$T/reuse.out"
		fail=1
	fi
fi

# go-import meta tags: paths outside the known hosts.  tests/tools/gogetserver.py
# answers http://example.test/...?go-get=1 as an HTTP proxy (https through it is
# refused, so GOINSECURE's fallback to http reaches it); the repositories the
# tags name are https://example.test/..., sent to local ones by insteadOf.
git config --global --add url."file://$T/repos/".insteadOf https://example.test/
R=$T/repos/meta
mkdir -p "$R/sub"
printf 'module example.test/meta\n\ngo 1.21\n' >"$R/go.mod"
printf 'package meta\n' >"$R/meta.go"
printf 'module example.test/meta/sub\n' >"$R/sub/go.mod"
printf 'package sub\n' >"$R/sub/sub.go"
git -C "$R" init -q
commit "$R" one 2024-01-02T03:04:05Z
tag "$R" v1.0.0
tag "$R" sub/v0.1.0
R=$T/repos/sdrepo
mkdir -p "$R/mods/x"
printf 'package top\n' >"$R/top.go"
printf 'module example.test/sd\n' >"$R/mods/x/go.mod"
printf 'package sd\n' >"$R/mods/x/sd.go"
git -C "$R" init -q
commit "$R" one 2024-01-02T03:04:05Z
tag "$R" mods/x/v1.2.0
R=$T/repos/nf
mkdir -p "$R"
printf 'module example.test/nf404\n' >"$R/go.mod"
printf 'package nf\n' >"$R/nf.go"
git -C "$R" init -q
commit "$R" one 2024-01-02T03:04:05Z
tag "$R" v0.0.1
W=$T/goget
page() { mkdir -p "$W/example.test/$1"; printf '%s\n' "$2" >"$W/example.test/$1/page.html"; }
tagline() { printf '<meta name="go-import" content="%s">' "$1"; }
page meta "<!DOCTYPE html><html><head>$(tagline 'example.test/meta git https://example.test/meta')</head><body></body></html>"
page meta/sub "$(tagline 'example.test/meta git https://example.test/meta')"
page sd "<head><meta name=go-import content=\"example.test/sd git https://example.test/sdrepo mods/x\"></head>"
page nf404 "STATUS 404
<html><head>$(tagline 'example.test/nf404 git https://example.test/nf')</head><body>not found</body></html>"
page nometa "<html><head><title>nothing</title></head><body>$(tagline 'example.test/nometa git https://example.test/meta')</body></html>"
page other "$(tagline 'example.test/elsewhere git https://example.test/meta')$(tagline 'example.test/x git https://example.test/meta')"
page filerepo "$(tagline 'example.test/filerepo git file:///nonexistent/repo')"
page noscheme "$(tagline 'example.test/noscheme git example.test/meta')"
page disagree "$(tagline 'example.test/disagree git https://example.test/nf')"
page disagree/sub "$(tagline 'example.test/disagree git https://example.test/meta')"
page multi "$(tagline 'example.test/multi git https://example.test/meta')$(tagline 'example.test/multi git https://example.test/nf')"
page badvcs "$(tagline 'example.test/badvcs darcs https://example.test/meta')"
page badsub "$(tagline 'example.test/badsub git https://example.test/meta -x')"
python3 "$TOOLS/gogetserver.py" "$W" "$T/goget.port" &
goget_pid=$!
trap 'kill $goget_pid 2>/dev/null; chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT
for _ in $(seq 100); do [ -s "$T/goget.port" ] && break; sleep 0.05; done
gport=$(cat "$T/goget.port")
meta() {
	GOINSECURE=example.test GOPRIVATE='github.com/*,example.test' HTTP_PROXY="http://127.0.0.1:$gport" \
		HTTPS_PROXY="http://127.0.0.1:$gport" NO_PROXY= check "$@"
}
meta meta-tagged example.test/meta@v1.0.0
meta meta-latest example.test/meta@latest
meta meta-prefix example.test/meta/sub@v0.1.0
meta meta-subdir example.test/sd@v1.2.0
meta meta-404-page example.test/nf404@latest
meta meta-in-body example.test/nometa@v1.0.0
meta meta-mismatch example.test/other@v1.0.0
meta meta-file-scheme example.test/filerepo@v1.0.0
meta meta-no-scheme example.test/noscheme@v1.0.0
meta meta-disagree example.test/disagree/sub@v1.0.0
meta meta-multiple example.test/multi@v1.0.0
meta meta-unknown-vcs example.test/badvcs@v1.0.0
meta meta-bad-subdir example.test/badsub@v1.0.0
meta meta-no-page example.test/missing@v1.0.0
# GOVCS: the rules, go's errors, the default after them
GOVCS=private:off check govcs-private github.com/acme/thing@v1.0.0
GOVCS='github.com/acme:git,private:off' check govcs-first-rule github.com/acme/thing@v1.0.0
GOVCS=bad check govcs-malformed github.com/acme/thing@v1.0.0
GOVCS='public:git,public:hg' check govcs-unreachable github.com/acme/thing@v1.0.0
GOVCS='example.test:hg|svn' meta govcs-meta example.test/meta@v1.0.0
# what gotool refuses rather than answers wrongly: a tag naming a module proxy,
# a VCS other than git
page proxytag "$(tagline 'example.test/proxytag mod https://example.test/modproxy')"
page hgrepo "$(tagline 'example.test/hgrepo hg https://example.test/hgrepo')"
for p in proxytag hgrepo; do
	r=0
	(cd "$T/work" && GOMODCACHE="$T/mc-refuse" GOINSECURE=example.test GOPRIVATE=example.test \
		HTTP_PROXY="http://127.0.0.1:$gport" HTTPS_PROXY="http://127.0.0.1:$gport" NO_PROXY= \
		"$GOTOOL" mod download -json example.test/$p@v1.0.0) >"$T/refuse.out" 2>&1 || r=$?
	if [ "$r" != 1 ] || ! grep -q 'not supported yet' "$T/refuse.out"; then
		echo "FAIL refuse-$p: exit $r"
		cat "$T/refuse.out"
		fail=1
	fi
done

# -reuse: go's own -json output of an earlier run is the old answers; what
# is still current (the tag, the tags' sum, the branch) is taken as it was,
# without a download, and what moved is resolved and fetched again
RA=(github.com/acme/thing@v1.0.0 github.com/acme/thing@latest github.com/acme/thing@main
	github.com/acme/thing@v1.1 github.com/acme/thing/inner@latest github.com/acme/legacy@v2.1.0+incompatible)
(cd "$T/work" && GOMODCACHE="$T/mc-reuse-old" "$GO" mod download -json "${RA[@]}") >"$T/old.json" 2>/dev/null || true
chmod -R u+w "$T/mc-reuse-old"
check reuse-all -reuse="$T/old.json" "${RA[@]}"
# (go's output is the same: all six are taken as they were)
[ "$(grep -c '"Reuse": true' "$T/gt.out")" = 6 ] || { echo "FAIL reuse-all: not all six reused"; fail=1; }
check reuse-by-version -reuse="$T/old.json" github.com/acme/thing@v1.1.0
# a list -m -json file works too
(cd "$T/work" && GOMODCACHE="$T/mc-reuse-old" "$GO" list -m -json github.com/acme/thing@latest) >"$T/old-list.json" 2>/dev/null || true
check reuse-list-json -reuse="$T/old-list.json" github.com/acme/thing@latest
R=$T/repos/thing
echo '// four' >>"$R/thing.go"
commit "$R" four 2024-04-05T06:07:08Z
tag "$R" v1.2.0
check reuse-after-change -reuse="$T/old.json" "${RA[@]}"
# (latest and main moved; v1.1 resolves again, to the same v1.1.0, which is reused)
[ "$(grep -c '"Reuse": true' "$T/gt.out")" = 4 ] || { echo "FAIL reuse-after-change: not four reused"; fail=1; }
check reuse-no-file -reuse="$T/nosuch.json" github.com/acme/thing@v1.0.0
printf '{"Path": "github.com/acme/thing", ' >"$T/trunc.json"
check reuse-truncated -reuse="$T/trunc.json" github.com/acme/thing@v1.0.0

if [ $fail = 0 ]; then
	echo "PASS: direct ($n cases)"
fi
exit $fail
