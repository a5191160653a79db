#!/usr/bin/env bash
# e2e/setup: `./setup.sh deps` installs exactly the missing Debian packages, and nothing
# (no apt-get update either) when all are present.  dpkg-query, apt-get, sudo and id are
# mocks on a PATH holding nothing else, so this never touches the machine's packages.
set -euo pipefail

SRC=${SRC:?SRC must name the repo root}
ALL=(cmake pkg-config libgit2-dev libcurl4-openssl-dev zlib1g-dev libcjson-dev
	libsqlite3-dev libssl-dev libpcre2-dev gcc make
	g++ gobjc gfortran gcc-aarch64-linux-gnu libc6-dev-arm64-cross)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bin=$tmp/bin
state=$tmp/state
mkdir -p "$bin" "$state"

# dpkg-query -W -f=FORMAT PKG: "installed" when PKG is a line of $MOCK_STATE/installed.
cat >"$bin/dpkg-query" <<'EOF'
#!/bin/bash
pkg=${!#}
while IFS= read -r line; do
	if [[ $line == "$pkg" ]]; then printf installed; exit 0; fi
done <"$MOCK_STATE/installed"
echo "dpkg-query: no packages found matching $pkg" >&2
exit 1
EOF
# apt-get: logs "<DEBIAN_FRONTEND> apt-get ARGS" and "installs" the named packages.
cat >"$bin/apt-get" <<'EOF'
#!/bin/bash
printf '%s apt-get %s\n' "${DEBIAN_FRONTEND:--}" "$*" >>"$MOCK_STATE/log"
if [[ $1 == update ]]; then
	[[ -z ${MOCK_UPDATE_FAIL:-} ]] || exit 100
	exit 0
fi
if [[ $1 == install && -z ${MOCK_APT_NOOP:-} ]]; then
	shift
	for a in "$@"; do
		[[ $a == -* ]] || printf '%s\n' "$a" >>"$MOCK_STATE/installed"
	done
fi
exit 0
EOF
# sudo [VAR=VAL...] CMD ARGS: logs, then runs CMD with the assignments.
cat >"$bin/sudo" <<'EOF'
#!/bin/bash
printf 'sudo %s\n' "$*" >>"$MOCK_STATE/log"
while [[ $1 == *=* ]]; do export "$1"; shift; done
exec "$@"
EOF
cat >"$bin/id" <<'EOF'
#!/bin/bash
[[ $1 == -u ]] && echo "${MOCK_UID:-0}"
EOF
chmod +x "$bin"/*

fail=0
# run_deps NAME WANT-RC [ENV...]: run `setup.sh deps` with the mocks only.
run_deps() {
	local name=$1 want=$2 rc
	shift 2
	: >"$state/log"
	set +e
	/usr/bin/env -i PATH="$bin" MOCK_STATE="$state" "$@" /bin/bash "$SRC/setup.sh" deps \
		>"$state/out" 2>&1
	rc=$?
	set -e
	if ((rc != want)); then
		echo "FAIL: $name: exit $rc, want $want; output:"
		sed 's/^/  | /' "$state/out"
		fail=1
	fi
}
# expect_log NAME TEXT: the apt-get/sudo log must be exactly TEXT.
expect_log() {
	local name=$1 want=$2
	if [[ $(<"$state/log") != "$want" ]]; then
		echo "FAIL: $name: apt log:"
		sed 's/^/  got  | /' "$state/log"
		printf '%s\n' "$want" | sed 's/^/  want | /'
		fail=1
	fi
}
expect_out() {
	if ! grep -qF -- "$2" "$state/out"; then
		echo "FAIL: $1: output lacks \"$2\":"
		sed 's/^/  | /' "$state/out"
		fail=1
	fi
}
installed() { printf '%s\n' "$@" >"$state/installed"; }
without() {
	local p skip
	for p in "${ALL[@]}"; do
		for skip in "$@"; do [[ $p == "$skip" ]] && continue 2; done
		printf '%s\n' "$p"
	done
}

# 1. Everything present: no apt-get at all.
installed "${ALL[@]}"
run_deps all-present 0
expect_log all-present ""
expect_out all-present "all 16 build packages are installed"

# 2. Nothing present: one update, one install of all sixteen, in the script's order.
: >"$state/installed"
run_deps none-present 0
expect_log none-present "- apt-get update -qq
noninteractive apt-get install -y --no-install-recommends ${ALL[*]}"

# 3. Two missing: exactly those are installed; a second run is a no-op.
without cmake libcjson-dev >"$state/installed"
run_deps two-missing 0
expect_log two-missing "- apt-get update -qq
noninteractive apt-get install -y --no-install-recommends cmake libcjson-dev"
run_deps two-missing-again 0
expect_log two-missing-again ""

# 4. Not root: through sudo.
without make >"$state/installed"
run_deps sudo 0 MOCK_UID=1000
expect_log sudo "sudo apt-get update -qq
- apt-get update -qq
sudo DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends make
noninteractive apt-get install -y --no-install-recommends make"

# 5. A failed update is a warning; the install still runs.
without gcc >"$state/installed"
run_deps update-fails 0 MOCK_UPDATE_FAIL=1
expect_out update-fails "warning: apt-get update failed"
expect_log update-fails "- apt-get update -qq
noninteractive apt-get install -y --no-install-recommends gcc"

# 6. apt-get "succeeds" but the package is still not there: an error naming it.
without zlib1g-dev >"$state/installed"
run_deps still-missing 1 MOCK_APT_NOOP=1
expect_out still-missing "still missing after apt-get install: zlib1g-dev"

# 7. No apt-get: a clear error, nothing run.
mv "$bin/apt-get" "$tmp/apt-get.off"
without zlib1g-dev >"$state/installed"
run_deps no-apt 1
expect_out no-apt "apt-get not found: cannot install zlib1g-dev"
expect_log no-apt ""
# ...but with everything present apt-get is not needed at all.
installed "${ALL[@]}"
run_deps no-apt-all-present 0
mv "$tmp/apt-get.off" "$bin/apt-get"

# 8. Not root and no sudo.
mv "$bin/sudo" "$tmp/sudo.off"
without make >"$state/installed"
run_deps no-sudo 1 MOCK_UID=1000
expect_out no-sudo "not root and sudo not found"
mv "$tmp/sudo.off" "$bin/sudo"

# 9. No dpkg-query: not a Debian system.
mv "$bin/dpkg-query" "$tmp/dpkg-query.off"
run_deps no-dpkg 1
expect_out no-dpkg "dpkg-query not found"
mv "$tmp/dpkg-query.off" "$bin/dpkg-query"

# 10. Unknown subcommand: usage, exit 2.
set +e
bash "$SRC/setup.sh" frobnicate >"$state/out" 2>&1
rc=$?
set -e
if ((rc != 2)); then
	echo "FAIL: usage: exit $rc, want 2"
	fail=1
fi
expect_out usage "usage:"

# 11. This machine, with the real dpkg: setup.sh installed what it built and tests gotool
# with, so nothing may be missing, and an apt-get that fails the test proves none is run.
if command -v dpkg-query >/dev/null 2>&1; then
	mkdir "$tmp/real"
	printf '#!/bin/sh\necho "apt-get must not run: $*" >&2\nexit 99\n' >"$tmp/real/apt-get"
	chmod +x "$tmp/real/apt-get"
	set +e
	PATH="$tmp/real:$PATH" bash "$SRC/setup.sh" deps >"$state/out" 2>&1
	rc=$?
	set -e
	if ((rc != 0)); then
		echo "FAIL: real dpkg: setup.sh deps exit $rc; output:"
		sed 's/^/  | /' "$state/out"
		fail=1
	fi
	expect_out real-dpkg "all 16 build packages are installed"
fi

((fail == 0)) && echo "PASS"
exit "$fail"
