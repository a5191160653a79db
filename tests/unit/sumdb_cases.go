// Command sumdb_cases writes sumdb_cases.h: go's own answers (the vendored
// golang.org/x/mod/sumdb of go1.26: note, tlog, Client, TestServer) for the
// sumdb unit test.  The packages are vendored for cmd only, so run it in a
// module holding a copy of $GOROOT/src/cmd/vendor/golang.org/x/mod as
// golang.org/x/mod (replace directive):
//
//	go run sumdb_cases.go > sumdb_cases.h
//
//go:build ignore

package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

func q(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString("\\n\"\n\t\"")
		case c == '\t':
			b.WriteString("\\t")
		case c < 0x20 || c >= 0x7f:
			fmt.Fprintf(&b, "\\%03o", c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// The records of the test log: what the C test builds the same way.
func gosum(path, vers string) ([]byte, error) {
	h := func(s string) string {
		sum := sha256.Sum256([]byte(s))
		return "h1:" + base64.StdEncoding.EncodeToString(sum[:])
	}
	return []byte(fmt.Sprintf("%s %s %s\n%s %s/go.mod %s\n", path, vers, h(path+" "+vers), path, vers, h(path+" "+vers+"/go.mod"))), nil
}

func modPath(i int, evil bool) string {
	if evil {
		return fmt.Sprintf("example.com/evil%d", i)
	}
	if i%10 == 7 {
		return fmt.Sprintf("example.com/M%d", i)
	}
	return fmt.Sprintf("example.com/m%d", i)
}

// hashes over a fixed set of records
type hashes []tlog.Hash

func (h hashes) ReadHashes(ix []int64) ([]tlog.Hash, error) {
	var l []tlog.Hash
	for _, i := range ix {
		l = append(l, h[i])
	}
	return l, nil
}

func build(n int, evilFrom int) hashes {
	var hs hashes
	for i := 0; i < n; i++ {
		data, _ := gosum(modPath(i, i >= evilFrom), "v1.0.0")
		st, err := tlog.StoredHashes(int64(i), data, hs)
		if err != nil {
			panic(err)
		}
		hs = append(hs, st...)
	}
	return hs
}

type seedReader struct{}

func (seedReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(i)
	}
	return len(p), nil
}

// ops over a map, the server called in process
type ops struct {
	srv    *httptest.Server
	h      *sumdb.Server
	key    string
	config map[string][]byte
	cache  map[string][]byte
	sec    string
}

func (o *ops) ReadRemote(path string) ([]byte, error) {
	w := httptest.NewRecorder()
	r := httptest.NewRequest("GET", path, nil)
	o.h.ServeHTTP(w, r)
	if w.Code != 200 {
		return nil, fmt.Errorf("GET %s: %d %s", path, w.Code, w.Body.String())
	}
	return w.Body.Bytes(), nil
}
func (o *ops) ReadConfig(file string) ([]byte, error) {
	if file == "key" {
		return []byte(o.key), nil
	}
	return o.config[file], nil
}
func (o *ops) WriteConfig(file string, old, new []byte) error {
	if cur := o.config[file]; len(cur) > 0 && !bytes.Equal(cur, old) {
		return sumdb.ErrWriteConflict
	}
	o.config[file] = new
	return nil
}
func (o *ops) ReadCache(file string) ([]byte, error) {
	d, ok := o.cache[file]
	if !ok {
		return nil, fs.ErrNotExist
	}
	return d, nil
}
func (o *ops) WriteCache(file string, data []byte) { o.cache[file] = data }
func (o *ops) Log(msg string)                      {}
func (o *ops) SecurityError(msg string)            { o.sec = msg }

func newServer(skey string, n int, evilFrom int) *sumdb.TestServer {
	s := sumdb.NewTestServer(skey, func(path, vers string) ([]byte, error) { return gosum(path, vers) })
	for i := 0; i < n; i++ {
		s.Lookup(context.Background(), module.Version{Path: modPath(i, i >= evilFrom), Version: "v1.0.0"})
	}
	return s
}

// dbDial's GOSUMDB parsing (cmd/go/internal/modfetch/sumdb.go)
func dial(gosumdb string) (string, error) {
	if gosumdb == "sum.golang.google.cn" {
		gosumdb = "sum.golang.org https://sum.golang.google.cn"
	}
	if gosumdb == "off" {
		return "", fmt.Errorf("checksum database disabled by GOSUMDB=off")
	}
	key := strings.Fields(gosumdb)
	if len(key) >= 1 {
		if key[0] == "sum.golang.org" {
			key[0] = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8"
		}
	}
	if len(key) == 0 {
		return "", fmt.Errorf("missing GOSUMDB")
	}
	if len(key) > 2 {
		return "", fmt.Errorf("invalid GOSUMDB: too many fields")
	}
	vkey, err := note.NewVerifier(key[0])
	if err != nil {
		return "", fmt.Errorf("invalid GOSUMDB: %v", err)
	}
	name := vkey.Name()
	direct, err := url.Parse("https://" + name)
	if err != nil || strings.HasSuffix(name, "/") || *direct != (url.URL{Scheme: "https", Host: direct.Host, Path: direct.Path, RawPath: direct.RawPath}) || direct.RawPath != "" || direct.Host == "" {
		return "", fmt.Errorf("invalid sumdb name (must be host[/path]): %s %+v", name, *direct)
	}
	u := ""
	if len(key) >= 2 {
		u = key[1]
	}
	return name + "|" + key[0] + "|" + u, nil
}

func vkeyFor(name string) string {
	pub := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32)).Public().(ed25519.PublicKey)
	k, err := note.NewEd25519VerifierKey(name, pub)
	if err != nil {
		panic(err)
	}
	return k
}

func hs(list []tlog.Hash) string {
	var s []string
	for _, h := range list {
		s = append(s, h.String())
	}
	return q(strings.Join(s, " "))
}

func main() {
	fmt.Println("/* generated by sumdb_cases.go with go1.26's vendored x/mod/sumdb: do not edit */")

	skey, vkey, err := note.GenerateKey(seedReader{}, "localhost.localdev/sumdb")
	if err != nil {
		panic(err)
	}
	fmt.Printf("static const char test_skey[] = %s;\nstatic const char test_vkey[] = %s;\n", q(skey), q(vkey))

	// tlog over 300 records
	const N = 300
	h := build(N, 1<<30)
	fmt.Printf("#define TLOG_N %d\n", N)
	fmt.Printf("static const long long tlog_hash_count = %d;\n", len(h))
	fmt.Println("static const struct { long long n; const char *hash; } tree_hashes[] = {")
	for _, n := range []int64{0, 1, 2, 3, 7, 8, 9, 255, 256, 257, 299, 300} {
		th, _ := tlog.TreeHash(n, h)
		fmt.Printf("\t{%d, %s},\n", n, q(th.String()))
	}
	fmt.Println("};")
	fmt.Println("static const struct { long long t, n; const char *proof; } record_proofs[] = {")
	for _, tn := range [][2]int64{{1, 0}, {2, 1}, {300, 0}, {300, 5}, {300, 256}, {300, 299}, {257, 256}} {
		p, err := tlog.ProveRecord(tn[0], tn[1], h)
		if err != nil {
			panic(err)
		}
		fmt.Printf("\t{%d, %d, %s},\n", tn[0], tn[1], hs(p))
	}
	fmt.Println("};")
	fmt.Println("static const struct { long long t, n; const char *proof; } tree_proofs[] = {")
	for _, tn := range [][2]int64{{1, 1}, {300, 1}, {300, 7}, {300, 256}, {300, 299}, {300, 300}, {257, 100}} {
		p, err := tlog.ProveTree(tn[0], tn[1], h)
		if err != nil {
			panic(err)
		}
		fmt.Printf("\t{%d, %d, %s},\n", tn[0], tn[1], hs(p))
	}
	fmt.Println("};")
	fmt.Println("static const struct { long long index; int level; long long n; const char *tile8; } stored_index[] = {")
	for _, x := range []int64{0, 1, 2, 3, 4, 5, 6, 7, 100, 511, 512, 600, 1000} {
		l, n := tlog.SplitStoredHashIndex(x)
		fmt.Printf("\t{%d, %d, %d, %s},\n", x, l, n, q(tlog.TileForIndex(8, x).Path()))
	}
	fmt.Println("};")
	fmt.Println("static const struct { int h, l; long long n; int w; const char *path; } tile_paths[] = {")
	for _, t := range []tlog.Tile{{8, 0, 0, 256}, {8, 0, 1, 5}, {8, 1, 0, 1}, {8, -1, 0, 256}, {8, -1, 3, 7},
		{8, 2, 1000, 256}, {8, 1, 1234567, 5}, {3, 4, 999, 8}, {8, 0, 1000000, 256}} {
		fmt.Printf("\t{%d, %d, %d, %d, %s},\n", t.H, t.L, t.N, t.W, q(t.Path()))
	}
	fmt.Println("};")
	fmt.Println("static const char *const bad_tile_paths[] = {")
	for _, p := range []string{"tile/8/0/x001", "tile/8/0/1", "tile/8/0/001.p/256", "tile/8/0/001.p/0", "tile/0/0/001",
		"tile/31/0/001", "tiles/8/0/001", "tile/8/0/x001/1000", "tile/8/0/x000/001", "tile/8/-1/001", "tile/8/0"} {
		_, err := tlog.ParseTilePath(p)
		if err == nil {
			panic(p)
		}
		fmt.Printf("\t%s, /* %s */\n", q(p), err)
	}
	fmt.Println("};")
	fmt.Println("static const struct { long long old, new_; const char *tiles; } new_tiles[] = {")
	for _, on := range [][2]int64{{0, 1}, {0, 300}, {256, 300}, {200, 70000}} {
		var s []string
		for _, t := range tlog.NewTiles(8, on[0], on[1]) {
			s = append(s, t.Path())
		}
		fmt.Printf("\t{%d, %d, %s},\n", on[0], on[1], q(strings.Join(s, " ")))
	}
	fmt.Println("};")
	td, _ := tlog.ReadTileData(tlog.Tile{H: 8, L: 0, N: 1, W: 44}, h)
	sum := sha256.Sum256(td)
	fmt.Printf("static const char tile_8_0_1_p44_sha256[] = %s;\n", q(base64.StdEncoding.EncodeToString(sum[:])))

	// signed notes
	signer, _ := note.NewSigner(skey)
	th300, _ := tlog.TreeHash(300, h)
	msg, _ := note.Sign(&note.Note{Text: string(tlog.FormatTree(tlog.Tree{N: 300, Hash: th300}))}, signer)
	fmt.Printf("static const char signed_300[] = %s;\n", q(string(msg)))

	// client scenarios
	srvA := newServer(skey, N, 1<<30)
	run := func(o *ops, path, vers string) string {
		c := sumdb.NewClient(o)
		lines, err := c.Lookup(path, vers)
		if err != nil {
			return "ERR " + err.Error()
		}
		return strings.Join(lines, "\n")
	}
	newOps := func(s *sumdb.TestServer) *ops {
		return &ops{h: sumdb.NewServer(s), key: vkey, config: map[string][]byte{}, cache: map[string][]byte{}}
	}
	o := newOps(srvA)
	fmt.Printf("static const char lookup_m5[] = %s;\n", q(run(o, "example.com/m5", "v1.0.0")))
	var keys []string
	for k := range o.cache {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Printf("static const char lookup_m5_cache[] = %s;\n", q(strings.Join(keys, " ")))
	fmt.Printf("static const char lookup_m5_latest_is_300 = %v;\n", map[bool]int{false: 0, true: 1}[bytes.Equal(o.config["localhost.localdev/sumdb/latest"], msg)])
	fmt.Printf("static const char lookup_M17_gomod[] = %s;\n", q(run(newOps(srvA), "example.com/M17", "v1.0.0/go.mod")))

	// A server that forked its log: a client talked to B (200 records,
	// forked at 150) before; A (300 records) then serves a lookup.
	srvB := newServer(skey, 200, 150)
	signedB, _ := srvB.Signed(context.Background())
	fmt.Printf("static const char signed_fork_200[] = %s;\n", q(string(signedB)))
	o = newOps(srvB)
	fmt.Printf("static const char lookup_fork_m5[] = %s;\n", q(run(o, "example.com/m5", "v1.0.0")))
	o.h = sumdb.NewServer(srvA)
	fmt.Printf("static const char lookup_lying[] = %s;\n", q(run(o, "example.com/m160", "v1.0.0")))
	fmt.Printf("static const char lookup_lying_security[] = %s;\n", q(o.sec))

	// A tampered cached tile.
	o = newOps(srvA)
	run(o, "example.com/m5", "v1.0.0")
	t := o.cache["localhost.localdev/sumdb/tile/8/0/000"]
	t = append([]byte(nil), t...)
	t[100] ^= 1
	o.cache["localhost.localdev/sumdb/tile/8/0/000"] = t
	fmt.Printf("static const char lookup_tampered[] = %s;\n", q(run(o, "example.com/m6", "v1.0.0")))

	// GOSUMDB
	fmt.Println("static const struct { const char *in, *out; } gosumdb_cases[] = {")
	for _, in := range []string{"sum.golang.org", "sum.golang.google.cn", "off", "", "   ", "a b c",
		"sum.golang.org https://sum.example.com", vkey, vkey + " https://x.example/sumdb", "example.com",
		"sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ko+h09wqA3D+3fRmR",
		"sum.golang.org+033de0af+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8",
		vkeyFor("example.com/sumdb/"), vkeyFor("example.com?x=1"), vkeyFor("example.com#frag"),
		vkeyFor("user@example.com"), vkeyFor("example.com/a%41"), vkeyFor("example.com/sub/db")} {
		out, err := dial(in)
		if err != nil {
			out = "ERR " + err.Error()
		}
		fmt.Printf("\t{%s, %s},\n", q(in), q(out))
	}
	fmt.Println("};")
	_ = errors.New
}
