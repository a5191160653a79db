/*
 * modload/sumdb.c against go's own answers: sumdb_cases.h is written by
 * sumdb_cases.go from go1.26's vendored golang.org/x/mod/sumdb (note,
 * tlog, Client over a TestServer).  The log here is built the same way
 * (300 records "example.com/mN v1.0.0 h1:..."), signed with the same
 * deterministic Ed25519 key through libcrypto, and served by a fake
 * server to the client, so every hash, proof, tile, note and error text
 * is compared with what go computed.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "modload/modload.h"
#include "runtime/runtime.h"
#include "test.h"

#include "sumdb_cases.h"

/* ---- helpers ---- */

static char *hash_b64(const struct mod_tlog_hash *h)
{
	struct buf b = BUF_INIT;
	buf_init(&b);
	mod_tlog_hash_string(&b, h);
	return buf_detach(&b);
}

static char *hashes_str(const struct mod_tlog_hashes *p)
{
	struct buf b = BUF_INIT;
	buf_init(&b);
	for (size_t i = 0; i < p->n; i++) {
		if (i)
			buf_addch(&b, ' ');
		mod_tlog_hash_string(&b, &p->v[i]);
	}
	return buf_detach(&b);
}

static char *mod_path(int i, bool evil)
{
	if (evil)
		return xasprintf("example.com/evil%d", i);
	if (i % 10 == 7)
		return xasprintf("example.com/M%d", i);
	return xasprintf("example.com/m%d", i);
}

static char *h1_of(const char *s)
{
	struct mod_tlog_hash h;
	struct buf b = BUF_INIT;
	buf_init(&b);
	hash_sha256(s, strlen(s), h.b);
	buf_adds(&b, "h1:");
	mod_tlog_hash_string(&b, &h);
	return buf_detach(&b);
}

/* the record go's gosum callback makes */
static char *record_text(const char *path)
{
	char *a = xasprintf("%s v1.0.0", path), *b = xasprintf("%s v1.0.0/go.mod", path);
	char *ha = h1_of(a), *hb = h1_of(b);
	char *r = xasprintf("%s v1.0.0 %s\n%s v1.0.0/go.mod %s\n", path, ha, path, hb);
	free(a);
	free(b);
	free(ha);
	free(hb);
	return r;
}

/* ---- a log ---- */

struct tlog {
	struct mod_tlog_hashes hashes;
	struct strvec paths, records;
};

static int tlog_read(void *ctx, const int64_t *idx, size_t n, struct mod_tlog_hash *out, struct err *e)
{
	struct tlog *l = ctx;
	for (size_t i = 0; i < n; i++) {
		if (idx[i] < 0 || (size_t)idx[i] >= l->hashes.n)
			return err_setf(e, "index %lld out of range", (long long)idx[i]);
		out[i] = l->hashes.v[idx[i]];
	}
	return 0;
}

static void tlog_build(struct tlog *l, int n, int evil_from)
{
	struct mod_tlog_hash_reader r = {tlog_read, l};
	memset(l, 0, sizeof *l);
	for (int i = 0; i < n; i++) {
		char *p = mod_path(i, i >= evil_from), *t = record_text(p);
		struct mod_tlog_hash h;
		struct err e = ERR_INIT;
		mod_tlog_record_hash(t, strlen(t), &h);
		if (mod_tlog_stored_hashes(i, &h, &r, &l->hashes, &e) < 0)
			T_FAIL("stored hashes %d: %s", i, err_msg(&e));
		strvec_push_take(&l->paths, p);
		strvec_push_take(&l->records, t);
	}
}

static void tlog_release(struct tlog *l)
{
	VEC_FREE(&l->hashes);
	strvec_clear(&l->paths);
	strvec_clear(&l->records);
}

/* ---- signing (what the server does; libcrypto's Ed25519) ---- */

static void sign_note(struct buf *out, const char *text)
{
	/* test_skey is PRIVATE+KEY+<name>+<hash>+<base64(1 || seed)> */
	const char *p = test_skey + strlen("PRIVATE+KEY+");
	const char *plus1 = strchr(p, '+'), *plus2 = strchr(plus1 + 1, '+');
	char *name = xstrndup(p, (size_t)(plus1 - p));
	unsigned char key[64], sig[64 + 4], b64[200];
	uint32_t hash = (uint32_t)strtoul(plus1 + 1, NULL, 16);
	size_t siglen = 64;
	EVP_PKEY *pk;
	EVP_MD_CTX *md = EVP_MD_CTX_new();

	CHECK(EVP_DecodeBlock(key, (const unsigned char *)plus2 + 1, (int)strlen(plus2 + 1)) >= 33);
	pk = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, key + 1, 32);
	CHECK(pk && md && EVP_DigestSignInit(md, NULL, NULL, NULL, pk) == 1);
	CHECK(EVP_DigestSign(md, sig + 4, &siglen, (const unsigned char *)text, strlen(text)) == 1);
	sig[0] = hash >> 24;
	sig[1] = hash >> 16 & 0xff;
	sig[2] = hash >> 8 & 0xff;
	sig[3] = hash & 0xff;
	EVP_EncodeBlock(b64, sig, 68);
	buf_printf(out, "%s\n\xe2\x80\x94 %s %s\n", text, name, b64);
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(pk);
	free(name);
}

static void signed_tree(struct tlog *l, int64_t n, struct buf *out)
{
	struct mod_tlog_hash_reader r = {tlog_read, l};
	struct mod_tlog_tree t = {n, {{0}}};
	struct buf text = BUF_INIT;
	struct err e = ERR_INIT;

	buf_init(&text);
	if (mod_tlog_tree_hash(n, &r, &t.hash, &e) < 0)
		T_FAIL("tree hash: %s", err_msg(&e));
	mod_tlog_format_tree(&text, &t);
	sign_note(out, text.data);
	buf_release(&text);
}

/* ---- notes ---- */

/* The example of note.go's package documentation. */
static const char peter_vkey[] = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
static const char peter_msg[] =
	"If you think cryptography is the answer to your problem,\n"
	"then you don't know what your problem is.\n"
	"\n"
	"\xe2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

static void test_verifiers(void)
{
	static const struct {
		const char *vkey, *err;
	} cases[] = {
		{"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", NULL},
		{"sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8", NULL},
		/* the key as the issue quoted it: not base64 of 33 bytes */
		{"sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ko+h09wqA3D+3fRmR", "malformed verifier id"},
		{"PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "invalid verifier hash"},
		{"PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "malformed verifier id"},
		{"PeterNeumann+c74f20ag+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "malformed verifier id"},
		{"Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "malformed verifier id"},
		{"+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "malformed verifier id"},
		{"PeterNeumann+c74f20a3+", "malformed verifier id"},
		{"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T", "malformed verifier id"},
		{"PeterNeumann", "malformed verifier id"},
		{"", "malformed verifier id"},
	};
	for (size_t i = 0; i < countof(cases); i++) {
		struct mod_note_verifier v;
		struct err e = ERR_INIT;
		int rc = mod_note_verifier_init(&v, cases[i].vkey, &e);
		if (cases[i].err)
			T_STREQ(rc < 0 ? err_msg(&e) : "ok", cases[i].err, "verifier %s", cases[i].vkey);
		else
			T_STREQ(rc < 0 ? err_msg(&e) : "ok", "ok", "verifier %s", cases[i].vkey);
		mod_note_verifier_release(&v);
		err_clear(&e);
	}

	/* an algorithm other than Ed25519, with a correct hash */
	{
		unsigned char key[33];
		unsigned char b64[64];
		struct mod_note_verifier v;
		struct err e = ERR_INIT;
		char *vkey;
		memset(key, 5, sizeof key);
		key[0] = 2;
		EVP_EncodeBlock(b64, key, 33);
		vkey = xasprintf("other+%08x+%s", mod_note_key_hash("other", key, 33), b64);
		T_INTEQ(mod_note_verifier_init(&v, vkey, &e), -1, "alg 2");
		T_STREQ(err_msg(&e), "unknown verifier algorithm", "alg 2");
		err_clear(&e);
		free(vkey);
	}
	/* the go command's key hash */
	{
		struct mod_note_verifier v;
		struct err e = ERR_INIT;
		T_INTEQ(mod_note_verifier_init(&v, "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8", &e),
		        0, "sum.golang.org key");
		T_INTEQ(v.hash, 0x033de0ae, "sum.golang.org hash");
		T_STREQ(v.name, "sum.golang.org", "sum.golang.org name");
		mod_note_verifier_release(&v);
	}
}

static char *open_note(const char *msg, size_t n, const char *const *vkeys, size_t nk, struct mod_note *note)
{
	struct mod_note_verifier vs[4];
	struct err e = ERR_INIT;
	char *res;

	for (size_t i = 0; i < nk; i++)
		CHECK(mod_note_verifier_init(&vs[i], vkeys[i], &e) == 0);
	if (mod_note_open(note, msg, n, vs, nk, &e) < 0)
		res = xasprintf("ERR %s", err_msg(&e));
	else
		res = xstrdup("ok");
	for (size_t i = 0; i < nk; i++)
		mod_note_verifier_release(&vs[i]);
	err_clear(&e);
	return res;
}

static void test_notes(void)
{
	const char *peter[] = {peter_vkey}, *both[] = {peter_vkey, test_vkey}, *other[] = {test_vkey};
	const char *twice[] = {peter_vkey, peter_vkey};
	struct mod_note n;
	char *r, *m;

	r = open_note(peter_msg, strlen(peter_msg), peter, 1, &n);
	T_STREQ(r, "ok", "open peter");
	T_STREQ(n.text, "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n",
	        "peter text");
	T_INTEQ(n.sigs.n, 1, "peter sigs");
	T_INTEQ(n.sigs.n ? n.sigs.v[0].hash : 0, 0xc74f20a3, "peter hash");
	mod_note_release(&n);
	free(r);

	r = open_note(peter_msg, strlen(peter_msg), both, 2, &n);
	T_STREQ(r, "ok", "open peter, two verifiers");
	mod_note_release(&n);
	free(r);

	/* a signer not in the list: recorded as unverified */
	r = open_note(peter_msg, strlen(peter_msg), other, 1, &n);
	T_STREQ(r, "ERR note has no verifiable signatures", "unknown signer");
	T_INTEQ(n.unverified.n, 1, "unknown signer: unverified");
	mod_note_release(&n);
	free(r);

	r = open_note(peter_msg, strlen(peter_msg), twice, 2, &n);
	T_STREQ(r, "ERR ambiguous key PeterNeumann+c74f20a3", "ambiguous");
	mod_note_release(&n);
	free(r);

	/* a changed text or signature byte */
	m = xstrdup(peter_msg);
	m[3] = 'Y';
	r = open_note(m, strlen(m), peter, 1, &n);
	T_STREQ(r, "ERR invalid signature for key PeterNeumann+c74f20a3", "changed text");
	mod_note_release(&n);
	free(r);
	free(m);
	m = xstrdup(peter_msg);
	*strstr(m, "BS9UG") = 'C';
	r = open_note(m, strlen(m), peter, 1, &n);
	T_STREQ(r, "ERR invalid signature for key PeterNeumann+c74f20a3", "changed signature");
	mod_note_release(&n);
	free(r);
	free(m);

	/* a repeated signature line is dropped */
	m = xasprintf("%s%s", peter_msg, strstr(peter_msg, "\xe2\x80\x94"));
	r = open_note(m, strlen(m), peter, 1, &n);
	T_STREQ(r, "ok", "repeated signature");
	T_INTEQ(n.sigs.n, 1, "repeated signature: one sig");
	mod_note_release(&n);
	free(r);
	free(m);

	static const char *const malformed[] = {
		"hello\n",                                   /* no signature block */
		"hello\n\n",                                 /* empty block */
		"hello\n\n\xe2\x80\x94 PeterNeumann x08go/ZJ", /* no final newline */
		"hello\n\n- PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
		"hello\n\n\xe2\x80\x94 PeterNeumann x08go/ZJ!!\n",
		"hello\n\n\xe2\x80\x94 PeterNeumann AAAA\n",  /* shorter than 5 bytes */
		"hello\n\n\xe2\x80\x94 Peter+Neumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
		"hel\tlo\n\n\xe2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
		"hel\xfflo\n\n\xe2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
	};
	for (size_t i = 0; i < countof(malformed); i++) {
		r = open_note(malformed[i], strlen(malformed[i]), peter, 1, &n);
		T_STREQ(r, "ERR malformed note", "malformed %zu", i);
		mod_note_release(&n);
		free(r);
	}
}

/* ---- tlog ---- */

static void test_tlog(void)
{
	struct tlog l;
	struct mod_tlog_hash_reader r;
	struct err e = ERR_INIT;

	tlog_build(&l, TLOG_N, 1 << 30);
	r = (struct mod_tlog_hash_reader){tlog_read, &l};
	T_INTEQ(l.hashes.n, tlog_hash_count, "stored hashes");
	T_INTEQ(mod_tlog_stored_hash_count(TLOG_N), tlog_hash_count, "StoredHashCount");

	for (size_t i = 0; i < countof(tree_hashes); i++) {
		struct mod_tlog_hash h;
		char *s;
		T_INTEQ(mod_tlog_tree_hash(tree_hashes[i].n, &r, &h, &e), 0, "TreeHash(%lld)", tree_hashes[i].n);
		s = hash_b64(&h);
		T_STREQ(s, tree_hashes[i].hash, "TreeHash(%lld)", tree_hashes[i].n);
		free(s);
	}

	for (size_t i = 0; i < countof(record_proofs); i++) {
		struct mod_tlog_hashes p = {0};
		struct mod_tlog_hash th, leaf;
		long long t = record_proofs[i].t, n = record_proofs[i].n;
		char *s;
		T_INTEQ(mod_tlog_prove_record(t, n, &r, &p, &e), 0, "ProveRecord(%lld, %lld)", t, n);
		s = hashes_str(&p);
		T_STREQ(s, record_proofs[i].proof, "ProveRecord(%lld, %lld)", t, n);
		free(s);
		mod_tlog_tree_hash(t, &r, &th, &e);
		leaf = l.hashes.v[mod_tlog_stored_hash_index(0, n)];
		T_INTEQ(mod_tlog_check_record(&p, t, &th, n, &leaf, &e), 0, "CheckRecord(%lld, %lld)", t, n);
		err_clear(&e);
		leaf.b[0] ^= 1;
		T_INTEQ(mod_tlog_check_record(&p, t, &th, n, &leaf, &e), -1, "CheckRecord bad leaf");
		T_STREQ(err_msg(&e), "invalid transparency proof", "CheckRecord bad leaf");
		err_clear(&e);
		VEC_FREE(&p);
	}
	T_INTEQ(mod_tlog_prove_record(5, 5, &r, NULL, &e), -1, "ProveRecord(5, 5)");
	T_STREQ(err_msg(&e), "tlog: invalid inputs in ProveRecord", "ProveRecord(5, 5)");
	err_clear(&e);

	for (size_t i = 0; i < countof(tree_proofs); i++) {
		struct mod_tlog_hashes p = {0};
		struct mod_tlog_hash th, h;
		long long t = tree_proofs[i].t, n = tree_proofs[i].n;
		char *s;
		T_INTEQ(mod_tlog_prove_tree(t, n, &r, &p, &e), 0, "ProveTree(%lld, %lld)", t, n);
		s = hashes_str(&p);
		T_STREQ(s, tree_proofs[i].proof, "ProveTree(%lld, %lld)", t, n);
		free(s);
		mod_tlog_tree_hash(t, &r, &th, &e);
		mod_tlog_tree_hash(n, &r, &h, &e);
		T_INTEQ(mod_tlog_check_tree(&p, t, &th, n, &h, &e), 0, "CheckTree(%lld, %lld)", t, n);
		err_clear(&e);
		h.b[5] ^= 0x80;
		T_INTEQ(mod_tlog_check_tree(&p, t, &th, n, &h, &e), -1, "CheckTree bad old hash");
		T_STREQ(err_msg(&e), "invalid transparency proof", "CheckTree bad old hash");
		err_clear(&e);
		VEC_FREE(&p);
	}

	for (size_t i = 0; i < countof(stored_index); i++) {
		int level;
		int64_t n;
		struct buf b = BUF_INIT;
		struct mod_tlog_tile t;
		buf_init(&b);
		mod_tlog_split_stored_hash_index(stored_index[i].index, &level, &n);
		T_INTEQ(level, stored_index[i].level, "split %lld level", stored_index[i].index);
		T_INTEQ(n, stored_index[i].n, "split %lld n", stored_index[i].index);
		T_INTEQ(mod_tlog_stored_hash_index(level, n), stored_index[i].index, "StoredHashIndex");
		t = mod_tlog_tile_for_index(8, stored_index[i].index);
		mod_tlog_tile_path(&b, &t);
		T_STREQ(b.data, stored_index[i].tile8, "TileForIndex(8, %lld)", stored_index[i].index);
		buf_release(&b);
	}

	for (size_t i = 0; i < countof(tile_paths); i++) {
		struct mod_tlog_tile t = {tile_paths[i].h, tile_paths[i].l, tile_paths[i].n, tile_paths[i].w}, t2;
		struct buf b = BUF_INIT;
		buf_init(&b);
		mod_tlog_tile_path(&b, &t);
		T_STREQ(b.data, tile_paths[i].path, "Tile.Path %zu", i);
		T_INTEQ(mod_tlog_parse_tile_path(tile_paths[i].path, &t2, &e), 0, "ParseTilePath %s", tile_paths[i].path);
		T_TRUE(t2.h == t.h && t2.l == t.l && t2.n == t.n && t2.w == t.w, "ParseTilePath %s", tile_paths[i].path);
		err_clear(&e);
		buf_release(&b);
	}
	for (size_t i = 0; i < countof(bad_tile_paths); i++) {
		struct mod_tlog_tile t;
		char *want = xasprintf("malformed tile path \"%s\"", bad_tile_paths[i]);
		T_INTEQ(mod_tlog_parse_tile_path(bad_tile_paths[i], &t, &e), -1, "bad tile path %s", bad_tile_paths[i]);
		T_STREQ(err_msg(&e), want, "bad tile path");
		err_clear(&e);
		free(want);
	}

	for (size_t i = 0; i < countof(new_tiles); i++) {
		struct mod_tlog_tiles ts = {0};
		struct buf b = BUF_INIT;
		buf_init(&b);
		mod_tlog_new_tiles(8, new_tiles[i].old, new_tiles[i].new_, &ts);
		for (size_t j = 0; j < ts.n; j++) {
			if (j)
				buf_addch(&b, ' ');
			mod_tlog_tile_path(&b, &ts.v[j]);
		}
		T_STREQ(b.data, new_tiles[i].tiles, "NewTiles(8, %lld, %lld)", new_tiles[i].old, new_tiles[i].new_);
		VEC_FREE(&ts);
		buf_release(&b);
	}

	/* tile data, and a hash read back from it */
	{
		struct mod_tlog_tile t = {8, 0, 1, 44};
		struct buf b = BUF_INIT;
		struct mod_tlog_hash h, want;
		char *s;
		buf_init(&b);
		T_INTEQ(mod_tlog_read_tile_data(&t, &r, &b, &e), 0, "ReadTileData");
		hash_sha256(b.data, b.len, h.b);
		s = hash_b64(&h);
		T_STREQ(s, tile_8_0_1_p44_sha256, "ReadTileData bytes");
		free(s);
		T_INTEQ(mod_tlog_hash_from_tile(&t, b.data, b.len, mod_tlog_stored_hash_index(0, 260), &h, &e), 0,
		        "HashFromTile");
		want = l.hashes.v[mod_tlog_stored_hash_index(0, 260)];
		T_TRUE(memcmp(h.b, want.b, 32) == 0, "HashFromTile value");
		T_INTEQ(mod_tlog_hash_from_tile(&t, b.data, b.len, mod_tlog_stored_hash_index(0, 5), &h, &e), -1,
		        "HashFromTile other tile");
		T_STREQ(err_msg(&e), "index 8 is in tile/8/0/000.p/6 not tile/8/0/001.p/44", "HashFromTile other tile");
		err_clear(&e);
		T_INTEQ(mod_tlog_hash_from_tile(&t, b.data, 10, 0, &h, &e), -1, "HashFromTile short");
		T_STREQ(err_msg(&e), "data len 10 too short for tile tile/8/0/001.p/44", "HashFromTile short");
		err_clear(&e);
		buf_release(&b);
	}

	/* tree notes and records */
	{
		struct mod_tlog_tree t;
		const char *ok = "go.sum database tree\n300\n36Z+mS/ktDG4IUqbVz8uMp6sn6WCGw3TfvMU6RJT7FU=\n";
		static const char *const bad[] = {
			"go.sum database tree\n300\n36Z+mS/ktDG4IUqbVz8uMp6sn6WCGw3TfvMU6RJT7FU=",
			"go.sum database tree\n0300\n36Z+mS/ktDG4IUqbVz8uMp6sn6WCGw3TfvMU6RJT7FU=\n",
			"go.sum database tree\n-1\n36Z+mS/ktDG4IUqbVz8uMp6sn6WCGw3TfvMU6RJT7FU=\n",
			"go.sum database tree\n300\n36Z+mS/ktDG4IUqbVz8uMp6sn6WCGw3TfvMU6RJT7F=\n",
			"go.sum database tre\n300\n36Z+mS/ktDG4IUqbVz8uMp6sn6WCGw3TfvMU6RJT7FU=\n",
		};
		struct buf b = BUF_INIT;
		buf_init(&b);
		T_INTEQ(mod_tlog_parse_tree(ok, strlen(ok), &t, &e), 0, "ParseTree");
		T_INTEQ(t.n, 300, "ParseTree n");
		mod_tlog_format_tree(&b, &t);
		T_STREQ(b.data, ok, "FormatTree");
		buf_release(&b);
		for (size_t i = 0; i < countof(bad); i++) {
			T_INTEQ(mod_tlog_parse_tree(bad[i], strlen(bad[i]), &t, &e), -1, "ParseTree bad %zu", i);
			T_STREQ(err_msg(&e), "malformed tree note", "ParseTree bad %zu", i);
			err_clear(&e);
		}
	}
	{
		static const struct {
			const char *msg, *text, *rest;
		} recs[] = {
			{"12\na b c\nd e f\n\nrest", "a b c\nd e f\n", "rest"},
			{"12\na\n\n", "a\n", ""},
			{"x\na\n\n", NULL, NULL},
			{"12\na\n", NULL, NULL},
			{"12\na\tb\n\n", NULL, NULL},
			{"12", NULL, NULL},
		};
		for (size_t i = 0; i < countof(recs); i++) {
			int64_t id;
			struct str text, rest;
			int rc = mod_tlog_parse_record(recs[i].msg, strlen(recs[i].msg), &id, &text, &rest, &e);
			if (!recs[i].text) {
				T_INTEQ(rc, -1, "ParseRecord %zu", i);
				T_STREQ(err_msg(&e), "malformed record data", "ParseRecord %zu", i);
				err_clear(&e);
				continue;
			}
			T_INTEQ(rc, 0, "ParseRecord %zu", i);
			T_INTEQ(id, 12, "ParseRecord id");
			T_TRUE(str_eqc(text, recs[i].text) && str_eqc(rest, recs[i].rest), "ParseRecord %zu parts", i);
		}
	}

	/* the note the server signs */
	{
		struct buf b = BUF_INIT;
		buf_init(&b);
		signed_tree(&l, TLOG_N, &b);
		T_STREQ(b.data, signed_300, "signed tree head (deterministic Ed25519)");
		buf_release(&b);
	}
	tlog_release(&l);
}

int main(void)
{
	test_verifiers();
	test_notes();
	test_tlog();
	return test_exit();
}
