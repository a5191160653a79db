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

/* ---- a fake server and the client's ops ---- */

struct kv {
	char *k;
	struct buf v;
};
struct store {
	VEC(struct kv) v;
};

static struct kv *store_get(struct store *s, const char *k)
{
	for (size_t i = 0; i < s->v.n; i++)
		if (strcmp(s->v.v[i].k, k) == 0)
			return &s->v.v[i];
	return NULL;
}

static void store_put(struct store *s, const char *k, const void *d, size_t n)
{
	struct kv *kv = store_get(s, k);
	if (!kv) {
		struct kv x = {xstrdup(k), BUF_INIT};
		buf_init(&x.v);
		VEC_PUSH(&s->v, x);
		kv = &s->v.v[s->v.n - 1];
	}
	buf_reset(&kv->v);
	buf_add(&kv->v, d, n);
}

static void store_release(struct store *s)
{
	for (size_t i = 0; i < s->v.n; i++) {
		free(s->v.v[i].k);
		buf_release(&s->v.v[i].v);
	}
	VEC_FREE(&s->v);
}

struct world {
	struct tlog *log;
	int64_t note_size;  /* the tree size the server signs (0: the log's) */
	struct store config, cache;
	int remote_reads, conflicts_left;
	char *security;
	struct buf conflict_note; /* put into config at the first write_config */
};

static int w_read_remote(void *ctx, const char *path, struct buf *out, struct err *e)
{
	struct world *w = ctx;
	struct tlog *l = w->log;
	int64_t size = w->note_size ? w->note_size : (int64_t)l->records.n;

	w->remote_reads++;
	if (has_prefix(path, "/lookup/")) {
		for (size_t i = 0; i < l->paths.n; i++) {
			char *ep = NULL, *want;
			struct err e2 = ERR_INIT;
			mod_escape_path(l->paths.v[i], &ep, &e2);
			want = xasprintf("/lookup/%s@v1.0.0", ep);
			free(ep);
			if (strcmp(want, path) == 0) {
				free(want);
				buf_printf(out, "%zu\n%s\n", i, l->records.v[i]);
				signed_tree(l, size, out);
				return 0;
			}
			free(want);
		}
		return err_setf(e, "GET %s: 404 Not Found", path);
	}
	if (has_prefix(path, "/tile/")) {
		struct mod_tlog_tile t;
		struct mod_tlog_hash_reader r = {tlog_read, l};
		if (mod_tlog_parse_tile_path(path + 1, &t, e) < 0 || t.l < 0)
			return -1;
		return mod_tlog_read_tile_data(&t, &r, out, e);
	}
	return err_setf(e, "GET %s: 404 Not Found", path);
}

static int w_read_config(void *ctx, const char *file, struct buf *out, struct err *e)
{
	struct world *w = ctx;
	struct kv *kv;
	(void)e;
	if (strcmp(file, "key") == 0) {
		buf_adds(out, test_vkey);
		return 0;
	}
	if ((kv = store_get(&w->config, file)) != NULL)
		buf_add(out, kv->v.data, kv->v.len);
	return 0;
}

static int w_write_config(void *ctx, const char *file, const void *old, size_t oldn, const void *new_, size_t newn,
                          struct err *e)
{
	struct world *w = ctx;
	struct kv *kv;
	if (w->conflicts_left > 0) {
		/* another process wrote a tree head meanwhile */
		w->conflicts_left--;
		store_put(&w->config, file, w->conflict_note.data, w->conflict_note.len);
	}
	kv = store_get(&w->config, file);
	if (kv && kv->v.len && (kv->v.len != oldn || memcmp(kv->v.data, old, oldn) != 0))
		return err_setf(e, "write conflict"), MOD_SUMDB_WRITE_CONFLICT;
	store_put(&w->config, file, new_, newn);
	return 0;
}

static int w_read_cache(void *ctx, const char *file, struct buf *out, struct err *e)
{
	struct world *w = ctx;
	struct kv *kv = store_get(&w->cache, file);
	if (!kv)
		return err_setf(e, "file does not exist");
	buf_add(out, kv->v.data, kv->v.len);
	return 0;
}

static void w_write_cache(void *ctx, const char *file, const void *data, size_t n)
{
	struct world *w = ctx;
	store_put(&w->cache, file, data, n);
}

static void w_security(void *ctx, const char *msg)
{
	struct world *w = ctx;
	free(w->security);
	w->security = xstrdup(msg);
}

static struct mod_sumdb_client *world_client(struct world *w)
{
	struct mod_sumdb_ops ops = {w, w_read_remote, w_read_config, w_write_config, w_read_cache, w_write_cache,
	                            NULL, w_security};
	return mod_sumdb_client_new(&ops);
}

static void world_release(struct world *w)
{
	store_release(&w->config);
	store_release(&w->cache);
	buf_release(&w->conflict_note);
	free(w->security);
	memset(w, 0, sizeof *w);
}

/* lookup returns go's answer form: the lines joined, or "ERR msg" (heap). */
static char *lookup(struct world *w, const char *path, const char *vers)
{
	struct mod_sumdb_client *c = world_client(w);
	struct strvec lines = {0};
	struct err e = ERR_INIT;
	struct buf b = BUF_INIT;

	buf_init(&b);
	if (mod_sumdb_lookup(c, path, vers, &lines, &e) < 0) {
		buf_printf(&b, "ERR %s", err_msg(&e));
	} else {
		for (size_t i = 0; i < lines.n; i++)
			buf_printf(&b, "%s%s", i ? "\n" : "", lines.v[i]);
	}
	err_clear(&e);
	strvec_clear(&lines);
	mod_sumdb_client_free(c);
	return buf_detach(&b);
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

/* ---- the client ---- */

static void expect_cache_keys(struct world *w, const char *want, const char *what)
{
	struct strvec keys = {0};
	struct buf b = BUF_INIT;
	buf_init(&b);
	for (size_t i = 0; i < w->cache.v.n; i++)
		strvec_push(&keys, w->cache.v.v[i].k);
	strvec_sort(&keys);
	for (size_t i = 0; i < keys.n; i++)
		buf_printf(&b, "%s%s", i ? " " : "", keys.v[i]);
	T_STREQ(b.data, want, "%s: cache keys", what);
	strvec_clear(&keys);
	buf_release(&b);
}

static const char *config_latest(struct world *w)
{
	struct kv *kv = store_get(&w->config, "localhost.localdev/sumdb/latest");
	return kv ? kv->v.data : "";
}

static void test_client(void)
{
	struct tlog a, b;
	struct world w;
	char *got, *m6_h1 = h1_of("example.com/m6 v1.0.0"), *m6_line = xasprintf("example.com/m6 v1.0.0 %s", m6_h1);
	int reads;

	tlog_build(&a, TLOG_N, 1 << 30);
	tlog_build(&b, 200, 150);

	/* a first lookup: record, tiles, latest */
	memset(&w, 0, sizeof w);
	w.log = &a;
	got = lookup(&w, "example.com/m5", "v1.0.0");
	T_STREQ(got, lookup_m5, "lookup m5");
	free(got);
	expect_cache_keys(&w, lookup_m5_cache, "lookup m5");
	T_STREQ(config_latest(&w), signed_300, "lookup m5: latest");
	/* again, by a new client: everything from the cache */
	reads = w.remote_reads;
	got = lookup(&w, "example.com/m5", "v1.0.0");
	T_STREQ(got, lookup_m5, "lookup m5 cached");
	T_INTEQ(w.remote_reads, reads, "lookup m5 cached: no remote reads");
	free(got);
	got = lookup(&w, "example.com/M17", "v1.0.0/go.mod");
	T_STREQ(got, lookup_M17_gomod, "lookup M17 go.mod (escaped path)");
	free(got);
	world_release(&w);

	/* a server caught lying: the client knows B's tree of 200 */
	memset(&w, 0, sizeof w);
	w.log = &b;
	got = lookup(&w, "example.com/m5", "v1.0.0");
	T_STREQ(got, lookup_fork_m5, "lookup on the fork");
	free(got);
	T_STREQ(config_latest(&w), signed_fork_200, "fork: latest");
	w.log = &a;
	got = lookup(&w, "example.com/m160", "v1.0.0");
	T_STREQ(got, lookup_lying, "lying server");
	free(got);
	T_STREQ(w.security, lookup_lying_security, "lying server: SECURITY ERROR text");
	T_STREQ(config_latest(&w), signed_fork_200, "lying server: latest unchanged");
	world_release(&w);

	/* a tampered cached tile */
	memset(&w, 0, sizeof w);
	w.log = &a;
	got = lookup(&w, "example.com/m5", "v1.0.0");
	free(got);
	{
		struct kv *kv = store_get(&w.cache, "localhost.localdev/sumdb/tile/8/0/000");
		T_TRUE(kv && kv->v.len == 256 * 32, "tile cached");
		if (kv)
			kv->v.data[100] ^= 1;
	}
	got = lookup(&w, "example.com/m6", "v1.0.0");
	T_STREQ(got, lookup_tampered, "tampered tile");
	free(got);
	world_release(&w);

	/* a server answering with a tampered record */
	{
		char *saved = a.records.v[9];
		a.records.v[9] = xstrdup("example.com/m9 v1.0.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n");
		memset(&w, 0, sizeof w);
		w.log = &a;
		got = lookup(&w, "example.com/m9", "v1.0.0");
		T_STREQ(got, "ERR example.com/m9@v1.0.0: cannot authenticate record data in server response",
		        "tampered record");
		free(got);
		world_release(&w);
		free(a.records.v[9]);
		a.records.v[9] = saved;
	}

	/* the stored latest is newer than the server's answer: it is kept,
	 * and the record is checked against it */
	memset(&w, 0, sizeof w);
	w.log = &a;
	got = lookup(&w, "example.com/m5", "v1.0.0");
	free(got);
	store_release(&w.cache);
	w.note_size = 250;
	got = lookup(&w, "example.com/m6", "v1.0.0");
	T_STREQ(got, m6_line, "older answer");
	free(got);
	T_STREQ(config_latest(&w), signed_300, "older answer: latest kept");
	world_release(&w);

	/* write_config conflict: another process stored a newer head meanwhile */
	memset(&w, 0, sizeof w);
	w.log = &a;
	w.note_size = 250;
	buf_init(&w.conflict_note);
	signed_tree(&a, 300, &w.conflict_note);
	w.conflicts_left = 1;
	got = lookup(&w, "example.com/m6", "v1.0.0");
	T_STREQ(got, m6_line, "conflict");
	free(got);
	T_STREQ(config_latest(&w), signed_300, "conflict: the newer stored head kept");
	world_release(&w);

	/* write_config conflict with a forked head stored meanwhile */
	memset(&w, 0, sizeof w);
	w.log = &a;
	w.note_size = 250;
	buf_init(&w.conflict_note);
	signed_tree(&b, 200, &w.conflict_note);
	w.conflicts_left = 1;
	got = lookup(&w, "example.com/m6", "v1.0.0");
	T_STREQ(got, "ERR example.com/m6@v1.0.0: security error: misbehaving server", "conflict with a fork");
	free(got);
	T_TRUE(w.security && has_prefix(w.security, "SECURITY ERROR\ngo.sum database server misbehavior detected!\n\n"
	                                            "old database:\n\tgo.sum database tree\n\t200\n"),
	       "conflict with a fork: SECURITY ERROR text");
	T_TRUE(w.security && strstr(w.security, "new database:\n\tgo.sum database tree\n\t250\n"),
	       "conflict with a fork: new database");
	T_STREQ(config_latest(&w), signed_fork_200, "conflict with a fork: stored head left alone");
	world_release(&w);

	/* a record beyond the signed tree */
	memset(&w, 0, sizeof w);
	w.log = &a;
	w.note_size = 100;
	got = lookup(&w, "example.com/m150", "v1.0.0");
	T_STREQ(got, "ERR example.com/m150@v1.0.0: cannot validate record 150 in tree of size 100", "record beyond tree");
	free(got);
	world_release(&w);

	/* unknown module, bad key, GONOSUMDB */
	memset(&w, 0, sizeof w);
	w.log = &a;
	got = lookup(&w, "example.com/nope", "v1.0.0");
	T_STREQ(got, "ERR example.com/nope@v1.0.0: GET /lookup/example.com/nope@v1.0.0: 404 Not Found", "404");
	free(got);
	{
		struct mod_sumdb_ops ops = {&w, w_read_remote, w_read_config, w_write_config, w_read_cache, w_write_cache,
		                            NULL, w_security};
		struct mod_sumdb_client *c = mod_sumdb_client_new(&ops);
		struct strvec lines = {0};
		struct err e = ERR_INIT;
		mod_sumdb_client_set_gonosumdb(c, "example.com/private,*.corp");
		T_INTEQ(mod_sumdb_lookup(c, "example.com/private/x", "v1.0.0", &lines, &e), MOD_SUMDB_SKIPPED, "GONOSUMDB");
		T_STREQ(err_msg(&e), "skipped (listed in GONOSUMDB)", "GONOSUMDB");
		err_clear(&e);
		T_INTEQ(mod_sumdb_lookup(c, "git.corp/x", "v1.0.0", &lines, &e), MOD_SUMDB_SKIPPED, "GONOSUMDB glob");
		err_clear(&e);
		T_INTEQ(mod_sumdb_lookup(c, "example.com/m5", "v1.0.0", &lines, &e), 0, "not in GONOSUMDB");
		strvec_clear(&lines);
		mod_sumdb_client_free(c);
	}
	world_release(&w);

	tlog_release(&a);
	tlog_release(&b);
	free(m6_h1);
	free(m6_line);
}

/* ---- GOSUMDB, useSumDB, checkSumDB ---- */

static void test_gosumdb(void)
{
	for (size_t i = 0; i < countof(gosumdb_cases); i++) {
		struct mod_sumdb_config c;
		struct err e = ERR_INIT;
		char *got;
		if (mod_sumdb_parse_gosumdb(gosumdb_cases[i].in, &c, &e) < 0)
			got = xasprintf("ERR %s", err_msg(&e));
		else
			got = xasprintf("%s|%s|%s", c.name, c.key, c.url ? c.url : "");
		T_STREQ(got, gosumdb_cases[i].out, "GOSUMDB=%s", gosumdb_cases[i].in);
		free(got);
		err_clear(&e);
		mod_sumdb_config_release(&c);
	}

	static const struct {
		const char *gosumdb, *nosumdb, *goproxy, *agent, *path;
		bool use;
	} uses[] = {
		{"sum.golang.org", "", "https://proxy.golang.org,direct", NULL, "example.com/m", true},
		{"off", "", "", NULL, "example.com/m", false},
		{"sum.golang.org", "example.com", "", NULL, "example.com/m", false},
		{"sum.golang.org", "example.com/", "", NULL, "example.com/m", false},
		{"sum.golang.org", "example.co", "", NULL, "example.com/m", true},
		{"sum.golang.org", "*.example.com,other", "", NULL, "x.example.com/m/v2", false},
		{"sum.golang.org", "example.com/m/sub", "", NULL, "example.com/m", true},
		{"off", "", "", NULL, "golang.org/toolchain", true},
		{"sum.golang.org", "golang.org", "", NULL, "golang.org/toolchain", true},
		{"off", "", "file:///tmp/proxy", NULL, "golang.org/toolchain", false},
		{"off", "", "file:///tmp/proxy,direct", NULL, "golang.org/toolchain", true},
		{"off", "", "", "git/2.0 proxy.golang.org", "golang.org/toolchain", false},
	};
	for (size_t i = 0; i < countof(uses); i++)
		T_INTEQ(mod_sumdb_use(uses[i].gosumdb, uses[i].nosumdb, uses[i].goproxy, uses[i].agent, uses[i].path),
		        uses[i].use, "useSumDB %zu", i);

	/* checkSumDB's verdicts */
	{
		struct strvec lines = {0};
		struct err e = ERR_INIT;
		strvec_push(&lines, "example.com/m v1.0.0 h1:AAA=");
		strvec_push(&lines, "example.com/m v1.0.0/go.mod h1:BBB=");
		T_INTEQ(mod_sumdb_check("sum.golang.org", "example.com/m", "v1.0.0", "h1:AAA=", &lines, 0, NULL, &e), 0,
		        "checkSumDB match");
		T_INTEQ(mod_sumdb_check("sum.golang.org", "example.com/m", "v1.0.0/go.mod", "h1:CCC=", &lines, 0, NULL, &e),
		        -1, "checkSumDB go.mod mismatch");
		T_STREQ(err_msg(&e),
		        "example.com/m@v1.0.0: verifying go.mod: checksum mismatch\n"
		        "\tdownloaded: h1:CCC=\n"
		        "\tsum.golang.org: h1:BBB=\n"
		        "\n"
		        "SECURITY ERROR\n"
		        "This download does NOT match the one reported by the checksum server.\n"
		        "The bits may have been replaced on the origin server, or an attacker may\n"
		        "have intercepted the download attempt.\n"
		        "\n"
		        "For more information, see 'go help module-auth'.\n",
		        "checkSumDB go.mod mismatch");
		err_clear(&e);
		strvec_clear(&lines);
		T_INTEQ(mod_sumdb_check("sum.golang.org", "example.com/m", "v1.0.0", "h1:AAA=", &lines, 0, NULL, &e), -1,
		        "checkSumDB absent");
		T_STREQ(err_msg(&e),
		        "example.com/m@v1.0.0: verifying module: checksum missing from sumdb response\n"
		        "\n"
		        "SECURITY ERROR\n"
		        "This download does NOT match one reported by the checksum server.\n"
		        "The checksum server has provided checksums, but the checksums do\n"
		        "not contain an entry for the download.\n"
		        "The checksum server may be malfunctioning, or an attacker may have\n"
		        "intercepted the checksum request.\n"
		        "The download cannot be verified.\n"
		        "\n"
		        "For more information, see 'go help module-auth'.\n",
		        "checkSumDB absent");
		err_clear(&e);
		T_INTEQ(mod_sumdb_check("sum.golang.org", "example.com/m", "v1.0.0", "h1:AAA=", &lines, -1,
		                        "example.com/m@v1.0.0: security error: misbehaving server", &e),
		        -1, "checkSumDB lookup error");
		T_STREQ(err_msg(&e),
		        "example.com/m@v1.0.0: verifying module: example.com/m@v1.0.0: security error: misbehaving server",
		        "checkSumDB lookup error");
		err_clear(&e);
	}
}

/* ---- the go command's files ---- */

/* the files' ops with the fake server's network */
struct files_world {
	struct mod_sumdb_files *f;
	struct world *w;
	struct mod_sumdb_ops fops;
};

static struct mod_sumdb_ops fops_of(struct files_world *fw)
{
	struct mod_sumdb_ops o = {0};
	mod_sumdb_files_ops(fw->f, &o);
	return o;
}

static int fw_read_remote(void *ctx, const char *path, struct buf *out, struct err *e)
{
	struct files_world *fw = ctx;
	return w_read_remote(fw->w, path, out, e);
}

static int fw_read_config(void *ctx, const char *file, struct buf *out, struct err *e)
{
	struct mod_sumdb_ops o = fops_of(ctx);
	return o.read_config(o.ctx, file, out, e);
}

static int fw_write_config(void *ctx, const char *file, const void *old, size_t oldn, const void *new_, size_t newn,
                           struct err *e)
{
	struct mod_sumdb_ops o = fops_of(ctx);
	return o.write_config(o.ctx, file, old, oldn, new_, newn, e);
}

static int fw_read_cache(void *ctx, const char *file, struct buf *out, struct err *e)
{
	struct mod_sumdb_ops o = fops_of(ctx);
	return o.read_cache(o.ctx, file, out, e);
}

static void fw_write_cache(void *ctx, const char *file, const void *data, size_t n)
{
	struct mod_sumdb_ops o = fops_of(ctx);
	o.write_cache(o.ctx, file, data, n);
}

static void test_files(void)
{
	struct tlog a;
	struct mod_sumdb_files f = {0};
	struct mod_sumdb_ops ops = {0};
	struct world w = {0};
	struct err e = ERR_INIT;
	struct buf b = BUF_INIT, n1 = BUF_INIT, n2 = BUF_INIT;
	char *dir = NULL, *sumdir, *modcache, *p;
	struct mod_sumdb_client *c;
	struct strvec lines = {0};
	struct files_world fw;

	buf_init(&b);
	buf_init(&n1);
	buf_init(&n2);
	if (os_mkdir_temp("/tmp", "sumdb_test", &dir, &e) < 0) {
		T_FAIL("mkdir temp: %s", err_msg(&e));
		return;
	}
	sumdir = path_join(dir, "gopath/pkg/sumdb");
	modcache = path_join(dir, "gopath/pkg/mod");
	f.key = test_vkey;
	f.sumdb_dir = sumdir;
	f.gomodcache = modcache;
	mod_sumdb_files_ops(&f, &ops);
	tlog_build(&a, TLOG_N, 1 << 30);
	signed_tree(&a, 200, &n1);
	signed_tree(&a, 300, &n2);

	T_INTEQ(ops.read_config(ops.ctx, "key", &b, &e), 0, "read key");
	T_STREQ(b.data, test_vkey, "read key");
	buf_reset(&b);
	T_INTEQ(ops.read_config(ops.ctx, "localhost.localdev/sumdb/latest", &b, &e), 0, "read missing latest");
	T_INTEQ(b.len, 0, "missing latest is empty");
	T_INTEQ(ops.write_config(ops.ctx, "localhost.localdev/sumdb/latest", "", 0, n1.data, n1.len, &e), 0,
	        "write latest");
	T_INTEQ(ops.write_config(ops.ctx, "localhost.localdev/sumdb/latest", "x", 1, n2.data, n2.len, &e),
	        MOD_SUMDB_WRITE_CONFLICT, "write latest: conflict");
	err_clear(&e);
	T_INTEQ(ops.write_config(ops.ctx, "localhost.localdev/sumdb/latest", n1.data, n1.len, n2.data, n2.len, &e), 0,
	        "write latest: swap");
	p = path_join(sumdir, "localhost.localdev/sumdb/latest");
	buf_reset(&b);
	os_read_file(p, &b, 0, &e);
	T_STREQ(b.data, n2.data, "latest on disk");
	free(p);
	T_INTEQ(ops.write_config(ops.ctx, "key", "", 0, "k", 1, &e), -1, "write key");
	T_STREQ(err_msg(&e), "cannot write key", "write key");
	err_clear(&e);

	/* a lookup through the files, the network from the fake server */
	w.log = &a;
	fw.f = &f;
	fw.w = &w;
	ops.ctx = &fw;
	ops.read_remote = fw_read_remote;
	ops.read_config = fw_read_config;
	ops.write_config = fw_write_config;
	ops.read_cache = fw_read_cache;
	ops.write_cache = fw_write_cache;
	ops.security_error = mod_sumdb_fatal_security_error;
	c = mod_sumdb_client_new(&ops);
	T_INTEQ(mod_sumdb_lookup(c, "example.com/m5", "v1.0.0", &lines, &e), 0, "lookup through files");
	T_STREQ(lines.n ? lines.v[0] : "", lookup_m5, "lookup through files");
	mod_sumdb_client_free(c);
	err_clear(&e);
	p = path_join(modcache, "cache/download/sumdb/localhost.localdev/sumdb/tile/8/1/000.p/1");
	T_TRUE(os_is_regular(p), "lookup through files: tile cached");
	free(p);
	p = path_join(modcache, "cache/download/sumdb/localhost.localdev/sumdb/lookup/example.com/m5@v1.0.0");
	T_TRUE(os_is_regular(p), "lookup through files: record cached");
	free(p);
	p = path_join(sumdir, "localhost.localdev/sumdb/latest");
	buf_reset(&b);
	os_read_file(p, &b, 0, &e);
	T_STREQ(b.data, n2.data, "lookup through files: latest");
	free(p);
	mod_sumdb_files_ops(&f, &ops);
	os_remove_all(modcache, &e);
	err_clear(&e);

	buf_reset(&b);
	T_INTEQ(ops.read_cache(ops.ctx, "localhost.localdev/sumdb/tile/8/0/000", &b, &e), -1, "read_cache missing");
	err_clear(&e);
	ops.write_cache(ops.ctx, "localhost.localdev/sumdb/tile/8/0/000", "abc", 3);
	T_INTEQ(ops.read_cache(ops.ctx, "localhost.localdev/sumdb/tile/8/0/000", &b, &e), 0, "read_cache");
	T_STREQ(b.data, "abc", "read_cache");
	p = path_join(modcache, "cache/download/sumdb/localhost.localdev/sumdb/tile/8/0/000");
	T_TRUE(os_is_regular(p), "tile under GOMODCACHE/cache/download/sumdb");
	free(p);
	/* an empty cached file is missing (go's lockedfile race) */
	ops.write_cache(ops.ctx, "localhost.localdev/sumdb/lookup/x@v1", "", 0);
	buf_reset(&b);
	T_INTEQ(ops.read_cache(ops.ctx, "localhost.localdev/sumdb/lookup/x@v1", &b, &e), -1, "empty cache file");
	err_clear(&e);

	/* cfg.SumdbDir */
	p = mod_sumdb_dir("/home/u/go:/other");
	T_STREQ(p, "/home/u/go/pkg/sumdb", "SumdbDir");
	free(p);
	T_TRUE(mod_sumdb_dir("") == NULL && mod_sumdb_dir(":/x") == NULL && mod_sumdb_dir(NULL) == NULL, "SumdbDir empty");

	/* no GOPATH */
	f.sumdb_dir = NULL;
	f.gopath_err = "GOPATH entry is relative; must be absolute path: \"x\"";
	T_INTEQ(ops.read_config(ops.ctx, "a/latest", &b, &e), -1, "no GOPATH");
	T_STREQ(err_msg(&e), "could not locate sumdb file: missing $GOPATH: GOPATH entry is relative; must be absolute path: \"x\"",
	        "no GOPATH");
	err_clear(&e);

	strvec_clear(&lines);
	os_remove_all(dir, &e);
	err_clear(&e);
	free(dir);
	free(sumdir);
	free(modcache);
	buf_release(&b);
	buf_release(&n1);
	buf_release(&n2);
	tlog_release(&a);
}

int main(void)
{
	test_verifiers();
	test_notes();
	test_tlog();
	test_client();
	test_gosumdb();
	test_files();
	return test_exit();
}
