// Command sumdbgen writes a static checksum database for the proxy test
// (tests/e2e/proxy.sh) with go's own golang.org/x/mod/sumdb: the records
// of the given module versions, hashed from a proxy tree, signed with a
// fixed test key, served as files (supported, latest, lookup/..., tile/...)
// under OUTDIR/sumdb/NAME, the verifier key written to OUTDIR/sumdb/NAME.vkey
// (and another key of that name to NAME.wrongvkey).
// The packages are vendored for cmd only, so run it in a module holding a
// copy of $GOROOT/src/cmd/vendor/golang.org/x/mod as golang.org/x/mod:
//
//	go run sumdbgen.go PROXYDIR NAME OUTDIR path@version...
//
//go:build ignore

package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb"
	"golang.org/x/mod/sumdb/dirhash"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

func main() {
	proxy, name, out := os.Args[1], os.Args[2], os.Args[3]
	mods := os.Args[4:]
	sort.Strings(mods)
	// a fixed seed: the same key (and, Ed25519 being deterministic, the same signatures) every run
	skey, vkey, err := note.GenerateKey(bytes.NewReader([]byte("gotool's proxy test sumdb seed!!")), name)
	check(err)
	gosum := func(path, vers string) ([]byte, error) {
		ep, _ := module.EscapePath(path)
		ev, _ := module.EscapeVersion(vers)
		dir := filepath.Join(proxy, ep, "@v")
		h, err := dirhash.HashZip(filepath.Join(dir, ev+".zip"), dirhash.Hash1)
		if err != nil {
			return nil, err
		}
		gm, err := os.ReadFile(filepath.Join(dir, ev+".mod"))
		if err != nil {
			return nil, err
		}
		gh, err := dirhash.Hash1([]string{"go.mod"}, func(string) (io.ReadCloser, error) {
			return io.NopCloser(bytes.NewReader(gm)), nil
		})
		return []byte(fmt.Sprintf("%s %s %s\n%s %s/go.mod %s\n", path, vers, h, path, vers, gh)), err
	}
	ts := sumdb.NewTestServer(skey, func(path, vers string) ([]byte, error) { return gosum(path, vers) })
	srv := sumdb.NewServer(ts)
	dir := filepath.Join(out, "sumdb", name)
	get := func(p string) {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest("GET", "/"+p, nil))
		if rec.Code != 200 {
			panic(p + ": " + rec.Body.String())
		}
		f := filepath.Join(dir, filepath.FromSlash(p))
		check(os.MkdirAll(filepath.Dir(f), 0o777))
		check(os.WriteFile(f, rec.Body.Bytes(), 0o666))
	}
	for _, m := range mods {
		path, vers, _ := strings.Cut(m, "@")
		ep, _ := module.EscapePath(path)
		ev, _ := module.EscapeVersion(vers)
		get("lookup/" + ep + "@" + ev)
	}
	get("latest")
	signed, err := ts.Signed(context.Background())
	check(err)
	n, err := note.Open(signed, note.VerifierList(mustVerifier(vkey)))
	check(err)
	tree, err := tlog.ParseTree([]byte(n.Text))
	check(err)
	// every tree a lookup's note names (sizes 1..N) needs its own partial tiles
	for n := int64(1); n <= tree.N; n++ {
		for _, t := range tlog.NewTiles(8, n-1, n) {
			get(t.Path())
			if t.L == 0 {
				t.L = -1
				get(t.Path())
			}
		}
	}
	check(os.WriteFile(filepath.Join(dir, "supported"), nil, 0o666))
	check(os.WriteFile(filepath.Join(out, "sumdb", name+".vkey"), []byte(vkey+"\n"), 0o666))
	// another key of the same name: a database that signs with the wrong key
	_, wrong, err := note.GenerateKey(bytes.NewReader([]byte("not the key the database signs!!")), name)
	check(err)
	check(os.WriteFile(filepath.Join(out, "sumdb", name+".wrongvkey"), []byte(wrong+"\n"), 0o666))
}

func mustVerifier(vkey string) note.Verifier {
	v, err := note.NewVerifier(vkey)
	check(err)
	return v
}

func check(err error) {
	if err != nil {
		panic(err)
	}
}
