#!/usr/bin/env bash
# e2e/conformance: expected-pass.txt is well formed, and tests/conformance/run.sh tells a
# passing driver from a failing one.  (The listed scripts themselves are run against
# build/gotool by `./setup.sh test`, once, not here under every build tree.)
set -euo pipefail

SRC=${SRC:?SRC must name the repo root}
GOROOT_REF=${GOROOT_REF:-/usr/local/go}
RUN=$SRC/tests/conformance/run.sh
EXPECTED=$SRC/tests/conformance/expected-pass.txt
SHARED=$SRC/../shared/conformance
fail=0

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# --- the list: sorted, unique, every name a real script (and a public one).
sed -e 's/#.*//' -e 's/[[:space:]]*$//' "$EXPECTED" | grep -v '^$' >"$tmp/names" || true
if ! LC_ALL=C sort -c -u "$tmp/names" 2>"$tmp/sortmsg"; then
	echo "FAIL: expected-pass.txt is not sorted and unique (LC_ALL=C): $(cat "$tmp/sortmsg")"
	fail=1
fi
while IFS= read -r n; do
	if [[ ! -f $GOROOT_REF/src/cmd/go/testdata/script/$n.txt ]]; then
		echo "FAIL: expected-pass.txt: $n: no such script in $GOROOT_REF/src/cmd/go/testdata/script"
		fail=1
	fi
	if [[ -f $SHARED/public.txt ]] && ! grep -qxF -- "$n" "$SHARED/public.txt"; then
		echo "FAIL: expected-pass.txt: $n is not in ../shared/conformance/public.txt"
		fail=1
	fi
done <"$tmp/names"
echo "expected-pass.txt: $(wc -l <"$tmp/names") scripts listed"

if [[ ! -f $SHARED/gotest_scripts.py ]]; then
	echo "conformance harness not found at $SHARED; run.sh checks skipped"
	exit "$fail"
fi

# --- run.sh against a driver that fails everything: must exit 1 and count the failure,
# and a listed name with no script behind it is a failure too.
cat >"$tmp/nogo" <<'EOF'
#!/bin/sh
echo "nogo: not implemented" >&2
exit 2
EOF
chmod +x "$tmp/nogo"
printf '# a comment\nlist_ambiguous_path\n\nno_such_script_here\n' >"$tmp/list"
set +e
bash "$RUN" --go "$tmp/nogo" --list "$tmp/list" >"$tmp/out" 2>&1
rc=$?
set -e
if ((rc != 1)) || ! grep -qx 'conformance: 0 passed, 2 failed' "$tmp/out" ||
	! grep -qx '  no_such_script_here' "$tmp/out"; then
	echo "FAIL: run.sh with a failing driver: exit $rc, want 1 and '0 passed, 2 failed'; output:"
	sed 's/^/  | /' "$tmp/out"
	fail=1
fi

# --- run.sh against the real go on the same script: must pass.
printf 'list_ambiguous_path\n' >"$tmp/list"
set +e
bash "$RUN" --go "$GOROOT_REF/bin/go" --list "$tmp/list" >"$tmp/out" 2>&1
rc=$?
set -e
if ((rc != 0)) || ! grep -qx 'conformance: 1 passed, 0 failed' "$tmp/out"; then
	echo "FAIL: run.sh with the real go: exit $rc, want 0 and '1 passed, 0 failed'; output:"
	sed 's/^/  | /' "$tmp/out"
	fail=1
fi

# --- an empty list is a pass with nothing run.
printf '# nothing yet\n' >"$tmp/list"
if ! bash "$RUN" --go "$tmp/nogo" --list "$tmp/list" >"$tmp/out" 2>&1 ||
	! grep -qx 'conformance: 0 passed, 0 failed' "$tmp/out"; then
	echo "FAIL: run.sh with an empty list; output:"
	sed 's/^/  | /' "$tmp/out"
	fail=1
fi

((fail == 0)) && echo "PASS"
exit "$fail"
