/*
 * The checksum database client of golang.org/x/mod/sumdb (go1.26's vendored
 * copy): signed notes (note), the tiled transparency log (tlog), the
 * client's lookup with its "latest" tree head bookkeeping (client.go), and
 * cmd/go/internal/modfetch/sumdb.go's GOSUMDB parsing and files.
 *
 * No network here: the caller's HTTP client is the read_remote op.  The
 * client is single-threaded (go's runs tile reads in parallel; the results
 * and errors are the same).  Every hash that reaches a caller has been
 * checked against a signed tree head: a tile is used only once its hashes
 * rebuild the tree's root, a record only once its hash is in that tree.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "modload/modload.h"

static int b64_val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/*
 * b64_decode is StdEncoding.DecodeString: padded quanta of four, '\r' and
 * '\n' skipped anywhere as Go skips them, nothing after the padding;
 * non-zero trailing bits are accepted (Go's encoding is not Strict).
 * Appends to out; false on malformed input.
 */
static bool b64_decode(const char *s, size_t n, struct buf *out)
{
	int q[4];
	size_t k = 0, i = 0;
	bool padded = false;

	while (i < n) {
		unsigned char c = (unsigned char)s[i++];
		if (c == '\r' || c == '\n')
			continue;
		if (padded)
			return false;
		if (c == '=') {
			/* "xx==" or "xxx=" only */
			if (k < 2)
				return false;
			if (k == 2) {
				while (i < n && (s[i] == '\r' || s[i] == '\n'))
					i++;
				if (i >= n || s[i] != '=')
					return false;
				i++;
				buf_addch(out, (q[0] << 2 | q[1] >> 4) & 0xff);
			} else {
				buf_addch(out, (q[0] << 2 | q[1] >> 4) & 0xff);
				buf_addch(out, (q[1] << 4 | q[2] >> 2) & 0xff);
			}
			k = 0;
			padded = true;
			continue;
		}
		if ((q[k] = b64_val(c)) < 0)
			return false;
		if (++k == 4) {
			buf_addch(out, (q[0] << 2 | q[1] >> 4) & 0xff);
			buf_addch(out, (q[1] << 4 | q[2] >> 2) & 0xff);
			buf_addch(out, (q[2] << 6 | q[3]) & 0xff);
			k = 0;
		}
	}
	return k == 0;
}

/* parse_int64 is strconv.ParseInt(s, 10, 64): an optional sign, digits, no overflow. */
static bool parse_int64(const char *s, size_t n, int64_t *out)
{
	bool neg = false;
	uint64_t v = 0, lim;
	size_t i = 0;

	if (n > 0 && (s[0] == '+' || s[0] == '-')) {
		neg = s[0] == '-';
		i++;
	}
	if (i == n)
		return false;
	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		if (v > (lim - (uint64_t)(s[i] - '0')) / 10)
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return true;
}

/* ---- signed notes (sumdb/note/note.go) --------------------------------------- */

#define ALG_ED25519 1

uint32_t mod_note_key_hash(const char *name, const unsigned char *key, size_t n)
{
	struct hash_sha256 h;
	unsigned char sum[32];

	hash_sha256_init(&h);
	hash_sha256_write(&h, name, strlen(name));
	hash_sha256_write(&h, "\n", 1);
	hash_sha256_write(&h, key, n);
	hash_sha256_sum(&h, sum);
	return (uint32_t)sum[0] << 24 | (uint32_t)sum[1] << 16 | (uint32_t)sum[2] << 8 | sum[3];
}

/* is_space_rune is unicode.IsSpace. */
static bool is_space_rune(int32_t r)
{
	switch (r) {
	case '\t': case '\n': case '\v': case '\f': case '\r': case ' ':
	case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029:
	case 0x202F: case 0x205F: case 0x3000:
		return true;
	}
	return r >= 0x2000 && r <= 0x200A;
}

/* is_valid_name is note's isValidName: non-empty UTF-8 without spaces or '+'. */
static bool is_valid_name(const char *s, size_t n)
{
	size_t i = 0;

	if (n == 0)
		return false;
	while (i < n) {
		int32_t r;
		size_t w = utf8_rune_decode(s + i, n - i, &r);
		if ((r == 0xFFFD && w == 1) || is_space_rune(r) || r == '+')
			return false;
		i += w;
	}
	return true;
}

/* hex8 is len(s) == 8 && strconv.ParseUint(s, 16, 32). */
static bool hex8(const char *s, size_t n, uint32_t *out)
{
	uint32_t v = 0;

	if (n != 8)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
		      : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return false;
		v = v << 4 | (uint32_t)d;
	}
	*out = v;
	return true;
}

/* mirrors note.NewVerifier */
int mod_note_verifier_init(struct mod_note_verifier *v, const char *vkey, struct err *e)
{
	struct str name, rest, hash16, key64;
	struct buf key = BUF_INIT;
	uint32_t hash = 0;
	bool hash_ok, key_ok;
	int rc = -1;

	memset(v, 0, sizeof *v);
	buf_init(&key);
	if (!str_cut(str_c(vkey), '+', &name, &rest)) {
		name = str_c(vkey);
		rest = (struct str){"", 0};
	}
	if (!str_cut(rest, '+', &hash16, &key64)) {
		hash16 = rest;
		key64 = (struct str){"", 0};
	}
	hash_ok = hex8(hash16.p, hash16.n, &hash);
	key_ok = b64_decode(key64.p, key64.n, &key);
	if (!hash_ok || !key_ok || !is_valid_name(name.p, name.n) || key.len == 0) {
		err_setf(e, "malformed verifier id");
		goto out;
	}
	v->name = str_dup(name);
	if (hash != mod_note_key_hash(v->name, (const unsigned char *)key.data, key.len)) {
		err_setf(e, "invalid verifier hash");
		goto out;
	}
	if ((unsigned char)key.data[0] != ALG_ED25519) {
		err_setf(e, "unknown verifier algorithm");
		goto out;
	}
	if (key.len - 1 != 32) {
		err_setf(e, "malformed verifier id");
		goto out;
	}
	v->hash = hash;
	memcpy(v->key, key.data + 1, 32);
	rc = 0;
out:
	if (rc < 0)
		mod_note_verifier_release(v);
	buf_release(&key);
	return rc;
}

void mod_note_verifier_release(struct mod_note_verifier *v)
{
	free(v->name);
	memset(v, 0, sizeof *v);
}

/* ed25519_verify is ed25519.Verify through libcrypto. */
static bool ed25519_verify(const unsigned char key[32], const void *msg, size_t n, const unsigned char *sig,
                           size_t nsig)
{
	EVP_PKEY *pk = NULL;
	EVP_MD_CTX *md = NULL;
	bool ok = false;

	if (nsig != 64)
		return false;
	pk = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, key, 32);
	md = EVP_MD_CTX_new();
	if (pk && md && EVP_DigestVerifyInit(md, NULL, NULL, NULL, pk) == 1)
		ok = EVP_DigestVerify(md, sig, nsig, msg, n) == 1;
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(pk);
	return ok;
}

static void note_sig_push(struct mod_note *n, bool verified, struct str name, uint32_t hash, struct str b64)
{
	struct mod_note_sig s = {str_dup(name), hash, str_dup(b64)};
	if (verified)
		VEC_PUSH(&n->sigs, s);
	else
		VEC_PUSH(&n->unverified, s);
}

/* mirrors note.Open with a VerifierList */
int mod_note_open(struct mod_note *n, const void *msgv, size_t len, const struct mod_note_verifier *known,
                  size_t nknown, struct err *e)
{
	static const char sig_prefix[] = "\xe2\x80\x94 "; /* "— " */
	const char *msg = msgv, *sigs;
	size_t split = 0, i, nsigs, nsig = 0;
	struct buf raw = BUF_INIT;
	struct strvec seen_unverified = {0};
	VEC(const struct mod_note_verifier *) seen = {0};
	bool found = false;
	int rc = -1;

	memset(n, 0, sizeof *n);
	buf_init(&raw);
	/* valid UTF-8, no control characters but newline */
	for (i = 0; i < len;) {
		int32_t r;
		size_t w = utf8_rune_decode(msg + i, len - i, &r);
		if ((r < 0x20 && r != '\n') || (r == 0xFFFD && w == 1))
			goto malformed;
		i += w;
	}
	/* the last "\n\n" splits text and signatures */
	for (i = len; i >= 2; i--) {
		if (msg[i - 2] == '\n' && msg[i - 1] == '\n') {
			split = i - 2;
			found = true;
			break;
		}
	}
	if (!found)
		goto malformed;
	sigs = msg + split + 2;
	nsigs = len - split - 2;
	if (nsigs == 0 || sigs[nsigs - 1] != '\n')
		goto malformed;
	n->text = xstrndup(msg, split + 1);

	while (nsigs > 0) {
		const char *nl = memchr(sigs, '\n', nsigs);
		struct str line = {sigs, (size_t)(nl - sigs)}, name, b64;
		const struct mod_note_verifier *v = NULL;
		uint32_t hash;
		size_t k, nmatch = 0;
		char *key;
		bool dup = false;

		nsigs -= line.n + 1;
		sigs = nl + 1;
		if (!str_has_prefix(line, sig_prefix))
			goto malformed;
		line.p += strlen(sig_prefix);
		line.n -= strlen(sig_prefix);
		if (!str_cut(line, ' ', &name, &b64)) {
			name = line;
			b64 = (struct str){"", 0};
		}
		buf_reset(&raw);
		if (!b64_decode(b64.p, b64.n, &raw) || !is_valid_name(name.p, name.n) || b64.n == 0 || raw.len < 5)
			goto malformed;
		hash = (uint32_t)(unsigned char)raw.data[0] << 24 | (uint32_t)(unsigned char)raw.data[1] << 16 |
		       (uint32_t)(unsigned char)raw.data[2] << 8 | (unsigned char)raw.data[3];
		if (++nsig > 100)
			goto malformed;

		for (k = 0; k < nknown; k++) {
			if (known[k].hash == hash && str_eqc(name, known[k].name)) {
				v = &known[k];
				nmatch++;
			}
		}
		if (nmatch == 0) {
			/* unknown key: recorded once per identical line */
			key = str_dup(line);
			if (!strvec_contains(&seen_unverified, key)) {
				strvec_push_take(&seen_unverified, key);
				note_sig_push(n, false, name, hash, b64);
			} else {
				free(key);
			}
			continue;
		}
		if (nmatch > 1) {
			key = str_dup(name);
			err_setf(e, "ambiguous key %s+%08x", key, hash);
			free(key);
			goto out;
		}
		for (k = 0; k < seen.n; k++)
			dup |= seen.v[k] == v;
		if (dup)
			continue;
		VEC_PUSH(&seen, v);
		if (!ed25519_verify(v->key, n->text, split + 1, (const unsigned char *)raw.data + 4, raw.len - 4)) {
			err_setf(e, "invalid signature for key %s+%08x", v->name, hash);
			goto out;
		}
		note_sig_push(n, true, name, hash, b64);
	}
	if (n->sigs.n == 0) {
		err_setf(e, "note has no verifiable signatures");
		goto out;
	}
	rc = 0;
	goto out;
malformed:
	err_setf(e, "malformed note");
out:
	buf_release(&raw);
	strvec_clear(&seen_unverified);
	VEC_FREE(&seen);
	return rc;
}

void mod_note_release(struct mod_note *n)
{
	for (size_t i = 0; i < n->sigs.n; i++) {
		free(n->sigs.v[i].name);
		free(n->sigs.v[i].b64);
	}
	for (size_t i = 0; i < n->unverified.n; i++) {
		free(n->unverified.v[i].name);
		free(n->unverified.v[i].b64);
	}
	VEC_FREE(&n->sigs);
	VEC_FREE(&n->unverified);
	free(n->text);
	memset(n, 0, sizeof *n);
}

/* ---- tlog hashes (sumdb/tlog/tlog.go) ------------------------------------------ */

void mod_tlog_record_hash(const void *data, size_t n, struct mod_tlog_hash *out)
{
	struct hash_sha256 h;
	static const unsigned char zero = 0;

	hash_sha256_init(&h);
	hash_sha256_write(&h, &zero, 1);
	hash_sha256_write(&h, data, n);
	hash_sha256_sum(&h, out->b);
}

void mod_tlog_node_hash(const struct mod_tlog_hash *left, const struct mod_tlog_hash *right,
                        struct mod_tlog_hash *out)
{
	unsigned char b[1 + 2 * MOD_TLOG_HASH_SIZE];

	b[0] = 0x01;
	memcpy(b + 1, left->b, MOD_TLOG_HASH_SIZE);
	memcpy(b + 1 + MOD_TLOG_HASH_SIZE, right->b, MOD_TLOG_HASH_SIZE);
	hash_sha256(b, sizeof b, out->b);
}

void mod_tlog_hash_string(struct buf *b, const struct mod_tlog_hash *h)
{
	buf_add_base64(b, h->b, MOD_TLOG_HASH_SIZE);
}

int mod_tlog_parse_hash(const char *s, struct mod_tlog_hash *h, struct err *e)
{
	struct buf d = BUF_INIT;
	int rc = -1;

	buf_init(&d);
	if (b64_decode(s, strlen(s), &d) && d.len == MOD_TLOG_HASH_SIZE) {
		memcpy(h->b, d.data, MOD_TLOG_HASH_SIZE);
		rc = 0;
	} else {
		err_setf(e, "malformed hash");
	}
	buf_release(&d);
	return rc;
}

static bool hash_eq(const struct mod_tlog_hash *a, const struct mod_tlog_hash *b)
{
	return memcmp(a->b, b->b, MOD_TLOG_HASH_SIZE) == 0;
}

/* maxpow2 returns k, the largest power of 2 smaller than n, and l = log2(k). */
static int64_t maxpow2(int64_t n, int *l)
{
	int lv = 0;
	while (((int64_t)1 << (lv + 1)) < n)
		lv++;
	if (l)
		*l = lv;
	return (int64_t)1 << lv;
}

int64_t mod_tlog_stored_hash_index(int level, int64_t n)
{
	int64_t i = 0;

	/* Level L's n'th hash is written right after level L+1's 2n+1'th hash. */
	for (int l = level; l > 0; l--)
		n = 2 * n + 1;
	/* Hashes written before level 0's n'th: n + n/2 + n/4 + ... */
	for (; n > 0; n >>= 1)
		i += n;
	return i + level;
}

static int trailing_zeros64(uint64_t x)
{
	return x == 0 ? 64 : __builtin_ctzll(x);
}

void mod_tlog_split_stored_hash_index(int64_t index, int *level, int64_t *n)
{
	int64_t nn = index / 2, index_n = mod_tlog_stored_hash_index(0, nn);

	CHECK(index_n <= index);
	for (;;) {
		/* the next record's hash index, after nn's and its parents' */
		int64_t x = index_n + 1 + trailing_zeros64((uint64_t)(nn + 1));
		if (x > index)
			break;
		nn++;
		index_n = x;
	}
	*level = (int)(index - index_n);
	*n = nn >> *level;
}

int64_t mod_tlog_stored_hash_count(int64_t n)
{
	int64_t num;

	if (n == 0)
		return 0;
	num = mod_tlog_stored_hash_index(0, n - 1) + 1;
	for (uint64_t i = (uint64_t)(n - 1); i & 1; i >>= 1)
		num++;
	return num;
}

/* read_hashes calls r, which must produce exactly n hashes. */
static int read_hashes(const struct mod_tlog_hash_reader *r, const int64_t *idx, size_t n,
                       struct mod_tlog_hash *out, struct err *e)
{
	if (n == 0)
		return 0;
	return r->read(r->ctx, idx, n, out, e);
}

int mod_tlog_stored_hashes(int64_t n, const struct mod_tlog_hash *h, const struct mod_tlog_hash_reader *r,
                           struct mod_tlog_hashes *out, struct err *e)
{
	int m = trailing_zeros64((uint64_t)(n + 1));
	int64_t idx[64];
	struct mod_tlog_hash old[64], cur = *h;

	for (int i = 0; i < m; i++)
		idx[m - 1 - i] = mod_tlog_stored_hash_index(i, (n >> i) - 1);
	if (read_hashes(r, idx, (size_t)m, old, e) < 0)
		return -1;
	VEC_PUSH(out, cur);
	for (int i = 0; i < m; i++) {
		mod_tlog_node_hash(&old[m - 1 - i], &cur, &cur);
		VEC_PUSH(out, cur);
	}
	return 0;
}

struct idxvec {
	int64_t *v;
	size_t n, cap;
};

/* sub_tree_index appends the stored hash indexes of the complete subtrees
 * making up [lo, hi), largest first (tlog's subTreeIndex). */
static void sub_tree_index(int64_t lo, int64_t hi, struct idxvec *need)
{
	while (lo < hi) {
		int level;
		int64_t k = maxpow2(hi - lo + 1, &level);
		CHECK((lo & (k - 1)) == 0);
		VEC_PUSH(need, mod_tlog_stored_hash_index(level, lo >> level));
		lo += k;
	}
}

/* sub_tree_hash consumes the hashes sub_tree_index named for [lo, hi) from
 * *hs (advancing it) and returns the subtree's hash. */
static void sub_tree_hash(int64_t lo, int64_t hi, const struct mod_tlog_hash **hs, size_t *nh,
                          struct mod_tlog_hash *out)
{
	size_t num = 0;
	struct mod_tlog_hash h;

	while (lo < hi) {
		int64_t k = maxpow2(hi - lo + 1, NULL);
		CHECK((lo & (k - 1)) == 0 && lo < hi);
		num++;
		lo += k;
	}
	CHECK(*nh >= num && num > 0);
	h = (*hs)[num - 1];
	for (size_t i = num - 1; i-- > 0;)
		mod_tlog_node_hash(&(*hs)[i], &h, &h);
	*hs += num;
	*nh -= num;
	*out = h;
}

static const struct mod_tlog_hash empty_hash = {{
	0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24,
	0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
}};

/* read_needed reads need's hashes into a heap array *hs. */
static int read_needed(const struct mod_tlog_hash_reader *r, const struct idxvec *need,
                       struct mod_tlog_hash **hs, struct err *e)
{
	*hs = xcalloc(need->n ? need->n : 1, sizeof **hs);
	return read_hashes(r, need->v, need->n, *hs, e);
}

int mod_tlog_tree_hash(int64_t n, const struct mod_tlog_hash_reader *r, struct mod_tlog_hash *out,
                       struct err *e)
{
	struct idxvec need = {0};
	struct mod_tlog_hash *hs = NULL;
	const struct mod_tlog_hash *p;
	size_t nh;
	int rc = -1;

	if (n == 0) {
		*out = empty_hash;
		return 0;
	}
	sub_tree_index(0, n, &need);
	if (read_needed(r, &need, &hs, e) < 0)
		goto out;
	p = hs;
	nh = need.n;
	sub_tree_hash(0, n, &p, &nh, out);
	CHECK(nh == 0);
	rc = 0;
out:
	free(hs);
	VEC_FREE(&need);
	return rc;
}

static void leaf_proof_index(int64_t lo, int64_t hi, int64_t n, struct idxvec *need)
{
	int64_t k;

	CHECK(lo <= n && n < hi);
	if (lo + 1 == hi)
		return;
	k = maxpow2(hi - lo, NULL);
	if (n < lo + k) {
		leaf_proof_index(lo, lo + k, n, need);
		sub_tree_index(lo + k, hi, need);
	} else {
		sub_tree_index(lo, lo + k, need);
		leaf_proof_index(lo + k, hi, n, need);
	}
}

static void leaf_proof(int64_t lo, int64_t hi, int64_t n, const struct mod_tlog_hash **hs, size_t *nh,
                       struct mod_tlog_hashes *p)
{
	struct mod_tlog_hash th;
	int64_t k;

	CHECK(lo <= n && n < hi);
	if (lo + 1 == hi)
		return;
	k = maxpow2(hi - lo, NULL);
	if (n < lo + k) {
		leaf_proof(lo, lo + k, n, hs, nh, p);
		sub_tree_hash(lo + k, hi, hs, nh, &th);
	} else {
		sub_tree_hash(lo, lo + k, hs, nh, &th);
		leaf_proof(lo + k, hi, n, hs, nh, p);
	}
	VEC_PUSH(p, th);
}

int mod_tlog_prove_record(int64_t t, int64_t n, const struct mod_tlog_hash_reader *r,
                          struct mod_tlog_hashes *p, struct err *e)
{
	struct idxvec need = {0};
	struct mod_tlog_hash *hs = NULL;
	const struct mod_tlog_hash *cur;
	size_t nh;
	int rc = -1;

	if (t < 0 || n < 0 || n >= t)
		return err_setf(e, "tlog: invalid inputs in ProveRecord");
	leaf_proof_index(0, t, n, &need);
	if (need.n == 0) {
		rc = 0;
		goto out;
	}
	if (read_needed(r, &need, &hs, e) < 0)
		goto out;
	cur = hs;
	nh = need.n;
	leaf_proof(0, t, n, &cur, &nh, p);
	CHECK(nh == 0);
	rc = 0;
out:
	free(hs);
	VEC_FREE(&need);
	return rc;
}

/* run_record_proof computes the hash of [lo, hi) from the proof p[0..np)
 * and leaf n's hash; false when the proof has the wrong length. */
static bool run_record_proof(const struct mod_tlog_hash *p, size_t np, int64_t lo, int64_t hi, int64_t n,
                             const struct mod_tlog_hash *leaf, struct mod_tlog_hash *out)
{
	struct mod_tlog_hash th;
	int64_t k;

	CHECK(lo <= n && n < hi);
	if (lo + 1 == hi) {
		if (np != 0)
			return false;
		*out = *leaf;
		return true;
	}
	if (np == 0)
		return false;
	k = maxpow2(hi - lo, NULL);
	if (n < lo + k) {
		if (!run_record_proof(p, np - 1, lo, lo + k, n, leaf, &th))
			return false;
		mod_tlog_node_hash(&th, &p[np - 1], out);
	} else {
		if (!run_record_proof(p, np - 1, lo + k, hi, n, leaf, &th))
			return false;
		mod_tlog_node_hash(&p[np - 1], &th, out);
	}
	return true;
}

int mod_tlog_check_record(const struct mod_tlog_hashes *p, int64_t t, const struct mod_tlog_hash *th,
                          int64_t n, const struct mod_tlog_hash *h, struct err *e)
{
	struct mod_tlog_hash th2;

	if (t < 0 || n < 0 || n >= t)
		return err_setf(e, "tlog: invalid inputs in CheckRecord");
	if (!run_record_proof(p->v, p->n, 0, t, n, h, &th2) || !hash_eq(&th2, th))
		return err_setf(e, "invalid transparency proof");
	return 0;
}

static void tree_proof_index(int64_t lo, int64_t hi, int64_t n, struct idxvec *need)
{
	int64_t k;

	CHECK(lo < n && n <= hi);
	if (n == hi) {
		if (lo != 0)
			sub_tree_index(lo, hi, need);
		return;
	}
	k = maxpow2(hi - lo, NULL);
	if (n <= lo + k) {
		tree_proof_index(lo, lo + k, n, need);
		sub_tree_index(lo + k, hi, need);
	} else {
		sub_tree_index(lo, lo + k, need);
		tree_proof_index(lo + k, hi, n, need);
	}
}

static void tree_proof(int64_t lo, int64_t hi, int64_t n, const struct mod_tlog_hash **hs, size_t *nh,
                       struct mod_tlog_hashes *p)
{
	struct mod_tlog_hash th;
	int64_t k;

	CHECK(lo < n && n <= hi);
	if (n == hi) {
		if (lo != 0) {
			sub_tree_hash(lo, hi, hs, nh, &th);
			VEC_PUSH(p, th);
		}
		return;
	}
	k = maxpow2(hi - lo, NULL);
	if (n <= lo + k) {
		tree_proof(lo, lo + k, n, hs, nh, p);
		sub_tree_hash(lo + k, hi, hs, nh, &th);
	} else {
		sub_tree_hash(lo, lo + k, hs, nh, &th);
		tree_proof(lo + k, hi, n, hs, nh, p);
	}
	VEC_PUSH(p, th);
}

int mod_tlog_prove_tree(int64_t t, int64_t n, const struct mod_tlog_hash_reader *r,
                        struct mod_tlog_hashes *p, struct err *e)
{
	struct idxvec need = {0};
	struct mod_tlog_hash *hs = NULL;
	const struct mod_tlog_hash *cur;
	size_t nh;
	int rc = -1;

	if (t < 1 || n < 1 || n > t)
		return err_setf(e, "tlog: invalid inputs in ProveTree");
	tree_proof_index(0, t, n, &need);
	if (need.n == 0) {
		rc = 0;
		goto out;
	}
	if (read_needed(r, &need, &hs, e) < 0)
		goto out;
	cur = hs;
	nh = need.n;
	tree_proof(0, t, n, &cur, &nh, p);
	CHECK(nh == 0);
	rc = 0;
out:
	free(hs);
	VEC_FREE(&need);
	return rc;
}

/* run_tree_proof computes the hashes of [lo, n) (*oh) and [lo, hi) (*th)
 * from the proof and the old tree's hash. */
static bool run_tree_proof(const struct mod_tlog_hash *p, size_t np, int64_t lo, int64_t hi, int64_t n,
                           const struct mod_tlog_hash *old, struct mod_tlog_hash *oh, struct mod_tlog_hash *th)
{
	struct mod_tlog_hash o2, t2;
	int64_t k;

	CHECK(lo < n && n <= hi);
	if (n == hi) {
		if (lo == 0) {
			if (np != 0)
				return false;
			*oh = *th = *old;
			return true;
		}
		if (np != 1)
			return false;
		*oh = *th = p[0];
		return true;
	}
	if (np == 0)
		return false;
	k = maxpow2(hi - lo, NULL);
	if (n <= lo + k) {
		if (!run_tree_proof(p, np - 1, lo, lo + k, n, old, &o2, &t2))
			return false;
		*oh = o2;
		mod_tlog_node_hash(&t2, &p[np - 1], th);
	} else {
		if (!run_tree_proof(p, np - 1, lo + k, hi, n, old, &o2, &t2))
			return false;
		mod_tlog_node_hash(&p[np - 1], &o2, oh);
		mod_tlog_node_hash(&p[np - 1], &t2, th);
	}
	return true;
}

int mod_tlog_check_tree(const struct mod_tlog_hashes *p, int64_t t, const struct mod_tlog_hash *th,
                        int64_t n, const struct mod_tlog_hash *h, struct err *e)
{
	struct mod_tlog_hash h2, th2;

	if (t < 1 || n < 1 || n > t)
		return err_setf(e, "tlog: invalid inputs in CheckTree");
	if (!run_tree_proof(p->v, p->n, 0, t, n, h, &h2, &th2) || !hash_eq(&th2, th) || !hash_eq(&h2, h))
		return err_setf(e, "invalid transparency proof");
	return 0;
}

/* ---- tiles (sumdb/tlog/tile.go) ------------------------------------------------- */

/* tile_for_index is tlog's tileForIndex: the smallest tile holding index,
 * and the byte range of its hash in the tile's data. */
static struct mod_tlog_tile tile_for_index(int h, int64_t index, size_t *start, size_t *end)
{
	struct mod_tlog_tile t;
	int level;
	int64_t n;

	mod_tlog_split_stored_hash_index(index, &level, &n);
	t.h = h;
	t.l = level / h;
	level -= t.l * h; /* level within the tile */
	t.n = n << level >> t.h;
	n -= t.n << t.h >> level; /* n within the tile at level */
	t.w = (int)((n + 1) << level);
	if (start)
		*start = (size_t)(n << level) * MOD_TLOG_HASH_SIZE;
	if (end)
		*end = (size_t)((n + 1) << level) * MOD_TLOG_HASH_SIZE;
	return t;
}

struct mod_tlog_tile mod_tlog_tile_for_index(int h, int64_t index)
{
	CHECK(h > 0);
	return tile_for_index(h, index, NULL, NULL);
}

/* tile_hash is tlog's tileHash: the root of the hashes in data[0..n). */
static void tile_hash(const unsigned char *data, size_t n, struct mod_tlog_hash *out)
{
	struct mod_tlog_hash l, r;

	CHECK(n > 0);
	if (n == MOD_TLOG_HASH_SIZE) {
		memcpy(out->b, data, MOD_TLOG_HASH_SIZE);
		return;
	}
	tile_hash(data, n / 2, &l);
	tile_hash(data + n / 2, n - n / 2, &r);
	mod_tlog_node_hash(&l, &r, out);
}

static char *tile_path_str(const struct mod_tlog_tile *t)
{
	struct buf b = BUF_INIT;
	buf_init(&b);
	mod_tlog_tile_path(&b, t);
	return buf_detach(&b);
}

int mod_tlog_hash_from_tile(const struct mod_tlog_tile *t, const void *data, size_t n, int64_t index,
                            struct mod_tlog_hash *out, struct err *e)
{
	struct mod_tlog_tile t1;
	size_t start, end;
	char *p1, *p2;

	if (t->h < 1 || t->h > 30 || t->l < 0 || t->l >= 64 || t->w < 1 || t->w > (1 << t->h)) {
		p1 = tile_path_str(t);
		err_setf(e, "invalid tile %s", p1);
		free(p1);
		return -1;
	}
	if (n < (size_t)t->w * MOD_TLOG_HASH_SIZE) {
		p1 = tile_path_str(t);
		err_setf(e, "data len %zu too short for tile %s", n, p1);
		free(p1);
		return -1;
	}
	t1 = tile_for_index(t->h, index, &start, &end);
	if (t->l != t1.l || t->n != t1.n || t->w < t1.w) {
		p1 = tile_path_str(&t1);
		p2 = tile_path_str(t);
		err_setf(e, "index %lld is in %s not %s", (long long)index, p1, p2);
		free(p1);
		free(p2);
		return -1;
	}
	tile_hash((const unsigned char *)data + start, end - start, out);
	return 0;
}

void mod_tlog_new_tiles(int h, int64_t old_size, int64_t new_size, struct mod_tlog_tiles *out)
{
	CHECK(h > 0);
	for (int level = 0; level * h < 63 && (new_size >> (h * level)) > 0; level++) {
		int64_t old_n = old_size >> (h * level), new_n = new_size >> (h * level), n, w;
		if (old_n == new_n)
			continue;
		for (n = old_n >> h; n < new_n >> h; n++) {
			struct mod_tlog_tile t = {h, level, n, 1 << h};
			VEC_PUSH(out, t);
		}
		n = new_n >> h;
		if ((w = new_n - (n << h)) > 0) {
			struct mod_tlog_tile t = {h, level, n, (int)w};
			VEC_PUSH(out, t);
		}
	}
}

int mod_tlog_read_tile_data(const struct mod_tlog_tile *t, const struct mod_tlog_hash_reader *r,
                            struct buf *b, struct err *e)
{
	int size = t->w ? t->w : 1 << t->h;
	int64_t start = t->n << t->h, *idx = xcalloc((size_t)size, sizeof *idx);
	struct mod_tlog_hash *hs = xcalloc((size_t)size, sizeof *hs);
	int rc = -1;

	for (int i = 0; i < size; i++)
		idx[i] = mod_tlog_stored_hash_index(t->h * t->l, start + i);
	if (read_hashes(r, idx, (size_t)size, hs, e) < 0)
		goto out;
	for (int i = 0; i < size; i++)
		buf_add(b, hs[i].b, MOD_TLOG_HASH_SIZE);
	rc = 0;
out:
	free(idx);
	free(hs);
	return rc;
}

void mod_tlog_tile_path(struct buf *b, const struct mod_tlog_tile *t)
{
	/* N in groups of three digits, most significant first: x001/x234/567 */
	int64_t n = t->n, groups[8];
	int ng = 0;

	do {
		groups[ng++] = n % 1000;
		n /= 1000;
	} while (n > 0 && ng < (int)countof(groups));
	buf_printf(b, "tile/%d/", t->h);
	if (t->l == -1)
		buf_adds(b, "data");
	else
		buf_printf(b, "%d", t->l);
	for (int i = ng - 1; i >= 0; i--)
		buf_printf(b, "/%s%03lld", i > 0 ? "x" : "", (long long)groups[i]);
	if (t->w != 1 << t->h)
		buf_printf(b, ".p/%d", t->w);
}

/* atoi_go is strconv.Atoi on a short decimal element (no sign accepted but Go's). */
static bool atoi_go(const char *s, size_t n, int64_t *v)
{
	return n > 0 && n < 19 && parse_int64(s, n, v);
}

int mod_tlog_parse_tile_path(const char *path, struct mod_tlog_tile *t, struct err *e)
{
	struct strvec f = {0};
	char *copy = xstrdup(path), *w = copy, *el, *again = NULL;
	int64_t h, l, n = 0, width;
	bool is_data = false;
	size_t first = 3, last;
	int rc = -1;

	while ((el = strsep(&w, "/")) != NULL)
		strvec_push(&f, el);
	if (f.n < 4 || strcmp(f.v[0], "tile") != 0)
		goto bad;
	if (strcmp(f.v[2], "data") == 0) {
		is_data = true;
		l = 0;
	} else if (!atoi_go(f.v[2], strlen(f.v[2]), &l)) {
		goto bad;
	}
	if (!atoi_go(f.v[1], strlen(f.v[1]), &h) || h < 1 || l < 0 || h > 30)
		goto bad;
	width = (int64_t)1 << h;
	last = f.n;
	if (has_suffix(f.v[f.n - 2], ".p")) {
		int64_t ww;
		if (!atoi_go(f.v[f.n - 1], strlen(f.v[f.n - 1]), &ww) || ww <= 0 || ww >= width)
			goto bad;
		width = ww;
		f.v[f.n - 2][strlen(f.v[f.n - 2]) - 2] = 0;
		last = f.n - 1;
	}
	for (size_t i = first; i < last; i++) {
		const char *s = f.v[i];
		int64_t nn;
		if (s[0] == 'x')
			s++;
		if (!atoi_go(s, strlen(s), &nn) || nn < 0 || nn >= 1000)
			goto bad;
		if (n > (INT64_MAX - nn) / 1000)
			goto bad;
		n = n * 1000 + nn;
	}
	t->h = (int)h;
	t->l = is_data ? -1 : (int)(l < 64 ? l : 64);
	t->n = n;
	t->w = (int)width;
	/* only the canonical spelling is accepted */
	again = tile_path_str(t);
	if (l >= 64 || strcmp(again, path) != 0)
		goto bad;
	rc = 0;
	goto out;
bad:
	err_setf(e, "malformed tile path \"%s\"", path);
out:
	free(again);
	free(copy);
	strvec_clear(&f);
	return rc;
}

/* ---- the tile hash reader (tlog.TileHashReader) ---------------------------------- */

/* tile_parent is tlog's tileParent: t's k-levels-up parent in a tree of n
 * records; w 0 when it does not exist. */
static struct mod_tlog_tile tile_parent(struct mod_tlog_tile t, int k, int64_t n)
{
	int64_t max;

	t.l += k;
	t.n >>= k * t.h;
	t.w = 1 << t.h;
	max = t.l * t.h < 63 ? n >> (t.l * t.h) : 0;
	if ((t.n << t.h) + t.w >= max) {
		if ((t.n << t.h) >= max)
			return (struct mod_tlog_tile){0, 0, 0, 0};
		t.w = (int)(max - (t.n << t.h));
	}
	return t;
}

static bool tile_eq(const struct mod_tlog_tile *a, const struct mod_tlog_tile *b)
{
	return a->h == b->h && a->l == b->l && a->n == b->n && a->w == b->w;
}

/* tile_find returns the index of t in tiles, or -1 (a tile map in go;
 * a lookup reads at most a few dozen tiles). */
static ptrdiff_t tile_find(const struct mod_tlog_tiles *tiles, const struct mod_tlog_tile *t)
{
	for (size_t i = 0; i < tiles->n; i++)
		if (tile_eq(&tiles->v[i], t))
			return (ptrdiff_t)i;
	return -1;
}

/* mirrors tileHashReader.ReadHashes */
int mod_tlog_tile_hashes(const struct mod_tlog_tree *tree, const struct mod_tlog_tile_reader *tr,
                         const int64_t *indexes, size_t nidx, struct mod_tlog_hash *out, struct err *e)
{
	int h = tr->height;
	struct mod_tlog_tiles tiles = {0};
	struct idxvec stx = {0};
	size_t *stx_order = NULL, *idx_order = NULL, i;
	struct buf *data = NULL;
	struct mod_tlog_hash th, hh;
	int rc = -1;

	/* The tiles holding the hashes that make up the tree's root come first:
	 * they are checked against tree->hash before anything else is used. */
	sub_tree_index(0, tree->n, &stx);
	stx_order = xcalloc(stx.n ? stx.n : 1, sizeof *stx_order);
	idx_order = xcalloc(nidx ? nidx : 1, sizeof *idx_order);
	for (i = 0; i < stx.n; i++) {
		struct mod_tlog_tile t = tile_for_index(h, stx.v[i], NULL, NULL);
		ptrdiff_t j;
		t = tile_parent(t, 0, tree->n);
		if ((j = tile_find(&tiles, &t)) >= 0) {
			stx_order[i] = (size_t)j;
			continue;
		}
		stx_order[i] = tiles.n;
		VEC_PUSH(&tiles, t);
	}

	/* Then the tiles for the indexes asked for, each with the parents
	 * needed to tie it to a tile already in the list. */
	for (i = 0; i < nidx; i++) {
		int64_t x = indexes[i];
		struct mod_tlog_tile t;
		int k;

		if (x >= mod_tlog_stored_hash_index(0, tree->n)) {
			err_setf(e, "indexes not in tree");
			goto out;
		}
		t = tile_for_index(h, x, NULL, NULL);
		for (k = 0;; k++) {
			struct mod_tlog_tile p = tile_parent(t, k, tree->n);
			ptrdiff_t j = tile_find(&tiles, &p);
			if (j >= 0) {
				if (k == 0)
					idx_order[i] = (size_t)j;
				break;
			}
			if (k > 64) {
				err_setf(e, "bad math in tileHashReader: %lld %lld", (long long)tree->n, (long long)x);
				goto out;
			}
		}
		for (k--; k >= 0; k--) {
			struct mod_tlog_tile p = tile_parent(t, k, tree->n);
			if (p.w != 1 << p.h) {
				char *ps = tile_path_str(&p);
				err_setf(e, "bad math in tileHashReader: %lld %lld %s", (long long)tree->n,
				         (long long)x, ps);
				free(ps);
				goto out;
			}
			if (k == 0)
				idx_order[i] = tiles.n;
			VEC_PUSH(&tiles, p);
		}
	}

	data = xcalloc(tiles.n ? tiles.n : 1, sizeof *data);
	for (i = 0; i < tiles.n; i++)
		buf_init(&data[i]);
	if (tiles.n && tr->read_tiles(tr->ctx, tiles.v, tiles.n, data, e) < 0)
		goto out;
	for (i = 0; i < tiles.n; i++) {
		if (data[i].len != (size_t)tiles.v[i].w * MOD_TLOG_HASH_SIZE) {
			char *ps = tile_path_str(&tiles.v[i]);
			err_setf(e, "TileReader returned bad result slice (%s len=%zu, want %zu)", ps, data[i].len,
			         (size_t)tiles.v[i].w * MOD_TLOG_HASH_SIZE);
			free(ps);
			goto out;
		}
	}

	/* Authenticate the initial tiles against the tree hash, then each
	 * further tile against its parent's hash of it. */
	for (i = stx.n; i-- > 0;) {
		size_t j = stx_order[i];
		if (mod_tlog_hash_from_tile(&tiles.v[j], data[j].data, data[j].len, stx.v[i], &hh, e) < 0)
			goto out;
		if (i == stx.n - 1)
			th = hh;
		else
			mod_tlog_node_hash(&hh, &th, &th);
	}
	if (stx.n == 0)
		th = empty_hash;
	if (!hash_eq(&th, &tree->hash)) {
		err_setf(e, "downloaded inconsistent tile");
		goto out;
	}
	for (i = stx.n ? stx_order[stx.n - 1] + 1 : 0; i < tiles.n; i++) {
		struct mod_tlog_tile p = tile_parent(tiles.v[i], 1, tree->n);
		ptrdiff_t j = tile_find(&tiles, &p);
		struct err e2 = ERR_INIT;
		if (j < 0) {
			err_setf(e, "bad math in tileHashReader %lld: lost parent of tile", (long long)tree->n);
			goto out;
		}
		if (mod_tlog_hash_from_tile(&p, data[j].data, data[j].len,
		                            mod_tlog_stored_hash_index(p.l * p.h, tiles.v[i].n), &hh, &e2) < 0) {
			err_setf(e, "bad math in tileHashReader %lld: lost hash of tile: %s", (long long)tree->n,
			         err_msg(&e2));
			err_clear(&e2);
			goto out;
		}
		tile_hash((const unsigned char *)data[i].data, data[i].len, &th);
		if (!hash_eq(&hh, &th)) {
			err_setf(e, "downloaded inconsistent tile");
			goto out;
		}
	}

	/* Now all the tiles are known good. */
	if (tr->save_tiles && tiles.n)
		tr->save_tiles(tr->ctx, tiles.v, tiles.n, data);

	for (i = 0; i < nidx; i++) {
		size_t j = idx_order[i];
		struct err e2 = ERR_INIT;
		if (mod_tlog_hash_from_tile(&tiles.v[j], data[j].data, data[j].len, indexes[i], &out[i], &e2) < 0) {
			err_setf(e, "bad math in tileHashReader %lld: lost hash %lld: %s", (long long)tree->n,
			         (long long)indexes[i], err_msg(&e2));
			err_clear(&e2);
			goto out;
		}
	}
	rc = 0;
out:
	if (data)
		for (i = 0; i < tiles.n; i++)
			buf_release(&data[i]);
	free(data);
	free(stx_order);
	free(idx_order);
	VEC_FREE(&stx);
	VEC_FREE(&tiles);
	return rc;
}

static int tile_ctx_read(void *ctx, const int64_t *indexes, size_t n, struct mod_tlog_hash *out, struct err *e)
{
	struct mod_tlog_tile_ctx *tc = ctx;
	return mod_tlog_tile_hashes(tc->tree, tc->tr, indexes, n, out, e);
}

void mod_tlog_tile_hash_reader(struct mod_tlog_tile_ctx *ctx, struct mod_tlog_hash_reader *r)
{
	r->read = tile_ctx_read;
	r->ctx = ctx;
}

/* ---- tree notes and records (sumdb/tlog/note.go) ----------------------------------- */

void mod_tlog_format_tree(struct buf *b, const struct mod_tlog_tree *t)
{
	buf_printf(b, "go.sum database tree\n%lld\n", (long long)t->n);
	mod_tlog_hash_string(b, &t->hash);
	buf_addch(b, '\n');
}

int mod_tlog_parse_tree(const char *text, size_t n, struct mod_tlog_tree *t, struct err *e)
{
	static const char prefix[] = "go.sum database tree\n";
	const char *l1, *nl1, *l2, *nl2;
	struct buf h = BUF_INIT;
	size_t nls = 0;
	int64_t v;
	char canon[32];
	int rc = -1;

	buf_init(&h);
	for (size_t i = 0; i < n; i++)
		nls += text[i] == '\n';
	if (n < strlen(prefix) || memcmp(text, prefix, strlen(prefix)) != 0 || nls < 3 || n > 1000000)
		goto bad;
	l1 = text + strlen(prefix);
	nl1 = memchr(l1, '\n', (size_t)(text + n - l1));
	l2 = nl1 + 1;
	nl2 = memchr(l2, '\n', (size_t)(text + n - l2));
	if (!parse_int64(l1, (size_t)(nl1 - l1), &v) || v < 0)
		goto bad;
	snprintf(canon, sizeof canon, "%lld", (long long)v);
	if (strlen(canon) != (size_t)(nl1 - l1) || memcmp(canon, l1, strlen(canon)) != 0)
		goto bad;
	if (!b64_decode(l2, (size_t)(nl2 - l2), &h) || h.len != MOD_TLOG_HASH_SIZE)
		goto bad;
	t->n = v;
	memcpy(t->hash.b, h.data, MOD_TLOG_HASH_SIZE);
	rc = 0;
	goto out;
bad:
	err_setf(e, "malformed tree note");
out:
	buf_release(&h);
	return rc;
}

/* is_valid_record_text is tlog's isValidRecordText: UTF-8 lines without
 * control characters or blank lines, ending in a newline. */
static bool is_valid_record_text(const char *s, size_t n)
{
	int32_t last = 0;

	for (size_t i = 0; i < n;) {
		int32_t r;
		size_t w = utf8_rune_decode(s + i, n - i, &r);
		if ((r < 0x20 && r != '\n') || (r == 0xFFFD && w == 1) || (last == '\n' && r == '\n'))
			return false;
		i += w;
		last = r;
	}
	return last == '\n';
}

int mod_tlog_parse_record(const char *msg, size_t n, int64_t *id, struct str *text, struct str *rest,
                          struct err *e)
{
	const char *nl = memchr(msg, '\n', n), *p;
	size_t left;

	if (!nl || !parse_int64(msg, (size_t)(nl - msg), id))
		return err_setf(e, "malformed record data");
	p = nl + 1;
	left = n - (size_t)(p - msg);
	for (size_t i = 0; i + 1 < left; i++) {
		if (p[i] == '\n' && p[i + 1] == '\n') {
			*text = (struct str){p, i + 1};
			*rest = (struct str){p + i + 2, left - i - 2};
			if (!is_valid_record_text(text->p, text->n))
				break;
			return 0;
		}
	}
	return err_setf(e, "malformed record data");
}

/* ---- the client (sumdb/client.go) ------------------------------------------------- */

/* A remembered result (go's parCache entry): data or an error. */
struct sd_cached {
	char *key;        /* heap: the map key */
	struct buf data;
	char *err;        /* heap, or NULL */
};

/*
 * The client's state.  latest is the newest tree head seen and verified
 * (latest_msg its signed note); every tree head accepted after it is
 * proven to extend it.  tile_saved holds the tiles already written to the
 * cache (keys are tile paths).
 */
struct mod_sumdb_client {
	struct mod_sumdb_ops ops;
	bool did_lookup, inited;
	char *init_err;
	struct mod_note_verifier verifier;
	int tile_height;
	char *nosumdb;
	struct map records, tiles, tile_saved;
	struct mod_tlog_tree latest;
	struct buf latest_msg;
	struct mod_tlog_tile_reader tr;
};

static int client_read_tiles(void *ctx, const struct mod_tlog_tile *tiles, size_t n, struct buf *data,
                             struct err *e);
static void client_save_tiles(void *ctx, const struct mod_tlog_tile *tiles, size_t n, const struct buf *data);

struct mod_sumdb_client *mod_sumdb_client_new(const struct mod_sumdb_ops *ops)
{
	struct mod_sumdb_client *c = xcalloc(1, sizeof *c);

	c->ops = *ops;
	map_init(&c->records);
	map_init(&c->tiles);
	map_init(&c->tile_saved);
	buf_init(&c->latest_msg);
	return c;
}

static void cache_map_release(struct map *m)
{
	size_t i = 0;
	const char *k;
	void *v;

	while (map_next(m, &i, &k, &v)) {
		struct sd_cached *ce = v;
		if (!ce)
			continue;
		buf_release(&ce->data);
		free(ce->err);
		free(ce->key);
		free(ce);
	}
	map_release(m);
}

void mod_sumdb_client_free(struct mod_sumdb_client *c)
{
	size_t i = 0;
	const char *k;
	void *v;

	if (!c)
		return;
	cache_map_release(&c->records);
	cache_map_release(&c->tiles);
	while (map_next(&c->tile_saved, &i, &k, &v))
		free((char *)k);
	map_release(&c->tile_saved);
	buf_release(&c->latest_msg);
	mod_note_verifier_release(&c->verifier);
	free(c->init_err);
	free(c->nosumdb);
	free(c);
}

void mod_sumdb_client_set_tile_height(struct mod_sumdb_client *c, int height)
{
	if (c->did_lookup)
		BUG("SetTileHeight used after Lookup");
	if (height <= 0)
		BUG("invalid call to SetTileHeight");
	if (c->tile_height != 0)
		BUG("multiple calls to SetTileHeight");
	c->tile_height = height;
}

void mod_sumdb_client_set_gonosumdb(struct mod_sumdb_client *c, const char *list)
{
	if (c->did_lookup)
		BUG("SetGONOSUMDB used after Lookup");
	if (c->nosumdb)
		BUG("multiple calls to SetGONOSUMDB");
	c->nosumdb = xstrdup(list);
}

/* when a tree head is relative to the latest one (client.go's msgPast...) */
enum { MSG_PAST = 1, MSG_NOW, MSG_FUTURE };

static void indent_note(struct buf *b, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		buf_addch(b, p[i]);
		if (p[i] == '\n')
			buf_addch(b, '\t');
	}
}

/*
 * check_trees is Client.checkTrees: older must be a prefix of newer, read
 * through newer's tiles.  A mismatch is the server lying: go's SECURITY
 * ERROR text with the proof goes to ops.security_error, and the error is
 * ErrSecurity.
 */
static int check_trees(struct mod_sumdb_client *c, const struct mod_tlog_tree *older, struct str older_note,
                       const struct mod_tlog_tree *newer, struct str newer_note, struct err *e)
{
	struct mod_tlog_tile_ctx tc = {newer, &c->tr};
	struct mod_tlog_hash_reader thr;
	struct mod_tlog_hash h;
	struct mod_tlog_hashes proof = {0};
	struct buf b = BUF_INIT;
	struct err e2 = ERR_INIT;

	mod_tlog_tile_hash_reader(&tc, &thr);
	if (mod_tlog_tree_hash(older->n, &thr, &h, &e2) < 0) {
		if (older->n == newer->n)
			err_setf(e, "checking tree#%lld: %s", (long long)older->n, err_msg(&e2));
		else
			err_setf(e, "checking tree#%lld against tree#%lld: %s", (long long)older->n,
			         (long long)newer->n, err_msg(&e2));
		err_clear(&e2);
		return -1;
	}
	if (hash_eq(&h, &older->hash))
		return 0;

	buf_init(&b);
	buf_adds(&b, "SECURITY ERROR\ngo.sum database server misbehavior detected!\n\n");
	buf_adds(&b, "old database:\n\t");
	indent_note(&b, older_note.p, older_note.n);
	buf_adds(&b, "\nnew database:\n\t");
	indent_note(&b, newer_note.p, newer_note.n);
	buf_adds(&b, "\nproof of misbehavior:\n\t");
	mod_tlog_hash_string(&b, &h);
	if (mod_tlog_prove_tree(newer->n, older->n, &thr, &proof, &e2) < 0) {
		buf_printf(&b, "\tinternal error: %s\n", err_msg(&e2));
	} else if (mod_tlog_check_tree(&proof, newer->n, &newer->hash, older->n, &h, &e2) < 0) {
		buf_adds(&b, "\tinternal error: generated inconsistent proof\n");
	} else {
		for (size_t i = 0; i < proof.n; i++) {
			buf_adds(&b, "\n\t");
			mod_tlog_hash_string(&b, &proof.v[i]);
		}
	}
	err_clear(&e2);
	if (c->ops.security_error)
		c->ops.security_error(c->ops.ctx, buf_cstr(&b));
	buf_release(&b);
	VEC_FREE(&proof);
	return err_setf(e, "security error: misbehaving server");
}

/* merge_latest_mem is Client.mergeLatestMem: *when tells whether msg is
 * older than, the same as, or newer than the latest tree (which it then
 * becomes). */
static int merge_latest_mem(struct mod_sumdb_client *c, const char *msg, size_t n, int *when, struct err *e)
{
	struct mod_note note;
	struct mod_tlog_tree tree;
	struct err e2 = ERR_INIT;
	struct str latest_note = buf_str(&c->latest_msg), this_note = {msg, n};
	int rc = -1;

	memset(&note, 0, sizeof note);
	if (n == 0) {
		/* an empty "latest": nothing to merge */
		*when = c->latest.n == 0 ? MSG_NOW : MSG_PAST;
		return 0;
	}
	if (mod_note_open(&note, msg, n, &c->verifier, 1, &e2) < 0) {
		err_setf(e, "reading tree note: %s\nnote:\n%.*s", err_msg(&e2), (int)n, msg);
		goto out;
	}
	if (mod_tlog_parse_tree(note.text, strlen(note.text), &tree, &e2) < 0) {
		err_setf(e, "reading tree: %s\ntree:\n%s", err_msg(&e2), note.text);
		goto out;
	}
	if (tree.n <= c->latest.n) {
		if (check_trees(c, &tree, this_note, &c->latest, latest_note, e) < 0)
			goto out;
		*when = tree.n < c->latest.n ? MSG_PAST : MSG_NOW;
		rc = 0;
		goto out;
	}
	/* newer: the latest one must be a prefix of it */
	if (check_trees(c, &c->latest, latest_note, &tree, this_note, e) < 0)
		goto out;
	c->latest = tree;
	buf_reset(&c->latest_msg);
	buf_add(&c->latest_msg, msg, n);
	*when = MSG_FUTURE;
	rc = 0;
out:
	err_clear(&e2);
	mod_note_release(&note);
	return rc;
}

/*
 * merge_latest is Client.mergeLatest: msg is merged into the latest tree;
 * when it is newer, the stored "NAME/latest" is replaced by it, with
 * write_config's compare-and-swap: a stored tree head newer than ours is
 * merged (proven consistent) and kept instead.
 */
static int merge_latest(struct mod_sumdb_client *c, const char *msg, size_t n, struct err *e)
{
	struct buf stored = BUF_INIT, mine = BUF_INIT;
	char *file = xasprintf("%s/latest", c->verifier.name);
	int when, rc = -1;

	buf_init(&stored);
	buf_init(&mine);
	if (merge_latest_mem(c, msg, n, &when, e) < 0)
		goto out;
	if (when != MSG_FUTURE) {
		rc = 0;
		goto out;
	}
	for (;;) {
		int w;
		buf_reset(&stored);
		if (c->ops.read_config(c->ops.ctx, file, &stored, e) < 0)
			goto out;
		if (merge_latest_mem(c, stored.data, stored.len, &when, e) < 0)
			goto out;
		if (when != MSG_PAST) {
			/* the stored one is as new as ours, or newer (now ours) */
			rc = 0;
			goto out;
		}
		buf_reset(&mine);
		buf_add(&mine, c->latest_msg.data, c->latest_msg.len);
		w = c->ops.write_config(c->ops.ctx, file, stored.data, stored.len, mine.data, mine.len, e);
		if (w != MOD_SUMDB_WRITE_CONFLICT) {
			rc = w < 0 ? -1 : 0;
			goto out;
		}
		err_clear(e);
	}
out:
	buf_release(&stored);
	buf_release(&mine);
	free(file);
	return rc;
}

/* client_init is Client.initWork. */
static int client_init(struct mod_sumdb_client *c, struct err *e)
{
	struct buf b = BUF_INIT;
	struct err e2 = ERR_INIT;
	char *file = NULL, *key = NULL;

	if (c->inited)
		goto done;
	c->inited = true;
	c->tr.height = c->tile_height ? c->tile_height : 8;
	c->tile_height = c->tr.height;
	c->tr.read_tiles = client_read_tiles;
	c->tr.save_tiles = client_save_tiles;
	c->tr.ctx = c;
	c->latest.n = 0;
	c->latest.hash = empty_hash;
	buf_init(&b);
	if (c->ops.read_config(c->ops.ctx, "key", &b, &e2) < 0)
		goto fail;
	key = str_dup(str_trim_space(buf_str(&b)));
	if (mod_note_verifier_init(&c->verifier, key, &e2) < 0)
		goto fail;
	file = xasprintf("%s/latest", c->verifier.name);
	buf_reset(&b);
	if (c->ops.read_config(c->ops.ctx, file, &b, &e2) < 0)
		goto fail;
	if (merge_latest(c, b.data, b.len, &e2) < 0)
		goto fail;
	goto ok;
fail:
	c->init_err = xasprintf("initializing sumdb.Client: %s", err_msg(&e2));
ok:
	err_clear(&e2);
	buf_release(&b);
	free(file);
	free(key);
done:
	if (c->init_err)
		return err_setf(e, "%s", c->init_err);
	return 0;
}

/* check_record is Client.checkRecord: record id's hash in the latest tree
 * must be the hash of data. */
static int check_record(struct mod_sumdb_client *c, int64_t id, struct str data, struct err *e)
{
	struct mod_tlog_tree latest = c->latest;
	struct mod_tlog_hash got, want;
	int64_t idx = mod_tlog_stored_hash_index(0, id);

	if (id >= latest.n)
		return err_setf(e, "cannot validate record %lld in tree of size %lld", (long long)id,
		                (long long)latest.n);
	if (mod_tlog_tile_hashes(&latest, &c->tr, &idx, 1, &got, e) < 0)
		return -1;
	mod_tlog_record_hash(data.p, data.n, &want);
	if (!hash_eq(&got, &want))
		return err_setf(e, "cannot authenticate record data in server response");
	return 0;
}

static struct sd_cached *cached_new(struct map *m, const char *key)
{
	struct sd_cached *ce = xcalloc(1, sizeof *ce);
	ce->key = xstrdup(key);
	buf_init(&ce->data);
	map_put(m, ce->key, ce);
	return ce;
}

/* mark_saved records that tile path p need not be written to the cache. */
static void mark_saved(struct mod_sumdb_client *c, const char *p)
{
	if (!map_has(&c->tile_saved, p))
		map_put(&c->tile_saved, xstrdup(p), NULL);
}

/* read_tile is Client.readTile: the cache (the tile, or the full tile it
 * is a prefix of), then the server likewise.  Results and errors are
 * remembered for the client's lifetime, as go's tileCache does. */
static int read_tile(struct mod_sumdb_client *c, const struct mod_tlog_tile *tile, struct buf *out,
                     struct err *e)
{
	struct mod_tlog_tile full = *tile;
	struct buf path = BUF_INIT, fpath = BUF_INIT, key = BUF_INIT, fkey = BUF_INIT, d = BUF_INIT;
	struct buf rpath = BUF_INIT, rfpath = BUF_INIT;
	struct sd_cached *ce;
	struct err e2 = ERR_INIT, e3 = ERR_INIT;
	bool partial;

	buf_init(&path);
	buf_init(&fpath);
	buf_init(&key);
	buf_init(&fkey);
	buf_init(&d);
	buf_init(&rpath);
	buf_init(&rfpath);
	full.w = 1 << tile->h;
	partial = !tile_eq(tile, &full);
	mod_tlog_tile_path(&path, tile);
	mod_tlog_tile_path(&fpath, &full);
	buf_printf(&key, "%s/%s", c->verifier.name, path.data);
	buf_printf(&fkey, "%s/%s", c->verifier.name, fpath.data);
	buf_printf(&rpath, "/%s", path.data);
	buf_printf(&rfpath, "/%s", fpath.data);
	if ((ce = map_get(&c->tiles, path.data)) != NULL)
		goto have;
	ce = cached_new(&c->tiles, path.data);

	if (c->ops.read_cache(c->ops.ctx, key.data, &ce->data, &e2) == 0) {
		mark_saved(c, path.data);
		goto have;
	}
	err_clear(&e2);
	buf_reset(&ce->data);
	if (partial && c->ops.read_cache(c->ops.ctx, fkey.data, &d, &e3) == 0) {
		/* don't save the partial tile later: the full one is cached */
		mark_saved(c, path.data);
		buf_add(&ce->data, d.data, d.len / (size_t)full.w * (size_t)tile->w);
		goto have;
	}
	err_clear(&e3);
	buf_reset(&d);
	if (c->ops.read_remote(c->ops.ctx, rpath.data, &ce->data, &e2) == 0)
		goto have;
	buf_reset(&ce->data);
	if (partial && c->ops.read_remote(c->ops.ctx, rfpath.data, &d, &e3) == 0) {
		buf_add(&ce->data, d.data, d.len / (size_t)full.w * (size_t)tile->w);
		err_clear(&e2);
		goto have;
	}
	err_clear(&e3);
	ce->err = err_take(&e2);
have:
	if (ce->err)
		err_setf(e, "%s", ce->err);
	else
		buf_add(out, ce->data.data, ce->data.len);
	buf_release(&path);
	buf_release(&fpath);
	buf_release(&key);
	buf_release(&fkey);
	buf_release(&d);
	buf_release(&rpath);
	buf_release(&rfpath);
	return ce->err ? -1 : 0;
}

static int client_read_tiles(void *ctx, const struct mod_tlog_tile *tiles, size_t n, struct buf *data,
                             struct err *e)
{
	struct mod_sumdb_client *c = ctx;

	/* go reads them in parallel and returns the first error in tile order */
	for (size_t i = 0; i < n; i++)
		if (read_tile(c, &tiles[i], &data[i], e) < 0)
			return -1;
	return 0;
}

static void client_save_tiles(void *ctx, const struct mod_tlog_tile *tiles, size_t n, const struct buf *data)
{
	struct mod_sumdb_client *c = ctx;
	struct buf path = BUF_INIT, key = BUF_INIT;

	buf_init(&path);
	buf_init(&key);
	for (size_t i = 0; i < n; i++) {
		buf_reset(&path);
		mod_tlog_tile_path(&path, &tiles[i]);
		if (map_has(&c->tile_saved, path.data))
			continue;
		mark_saved(c, path.data);
		buf_reset(&key);
		buf_printf(&key, "%s/%s", c->verifier.name, path.data);
		c->ops.write_cache(c->ops.ctx, key.data, data[i].data, data[i].len);
	}
	buf_release(&path);
	buf_release(&key);
}

/* lookup_record fetches, checks and remembers the record for file. */
static struct sd_cached *lookup_record(struct mod_sumdb_client *c, const char *file, const char *remote)
{
	struct sd_cached *ce = map_get(&c->records, file);
	struct buf data = BUF_INIT;
	struct err e = ERR_INIT;
	struct str text, rest;
	bool write_cache = false;
	int64_t id;

	if (ce)
		return ce;
	ce = cached_new(&c->records, file);
	buf_init(&data);
	if (c->ops.read_cache(c->ops.ctx, file, &data, &e) < 0) {
		err_clear(&e);
		buf_reset(&data);
		if (c->ops.read_remote(c->ops.ctx, remote, &data, &e) < 0)
			goto out;
		write_cache = true;
	}
	if (mod_tlog_parse_record(data.data, data.len, &id, &text, &rest, &e) < 0)
		goto out;
	if (merge_latest(c, rest.p, rest.n, &e) < 0)
		goto out;
	if (check_record(c, id, text, &e) < 0)
		goto out;
	if (write_cache)
		c->ops.write_cache(c->ops.ctx, file, data.data, data.len);
	buf_add(&ce->data, text.p, text.n);
out:
	if (err_isset(&e))
		ce->err = err_take(&e);
	buf_release(&data);
	return ce;
}

/* mirrors Client.Lookup */
int mod_sumdb_lookup(struct mod_sumdb_client *c, const char *path, const char *vers, struct strvec *lines,
                     struct err *e)
{
	struct err e2 = ERR_INIT;
	char *epath = NULL, *evers = NULL, *bare = NULL, *remote = NULL, *file = NULL, *prefix = NULL;
	struct sd_cached *ce;
	int rc = -1;

	c->did_lookup = true;
	if (c->nosumdb && mod_match_prefix_patterns(c->nosumdb, path)) {
		err_setf(e, "skipped (listed in GONOSUMDB)");
		return MOD_SUMDB_SKIPPED;
	}
	if (client_init(c, &e2) < 0)
		goto out;
	if (mod_escape_path(path, &epath, &e2) < 0)
		goto out;
	bare = has_suffix(vers, "/go.mod") ? xstrndup(vers, strlen(vers) - strlen("/go.mod")) : xstrdup(vers);
	if (mod_escape_version(bare, &evers, &e2) < 0)
		goto out;
	remote = xasprintf("/lookup/%s@%s", epath, evers);
	file = xasprintf("%s%s", c->verifier.name, remote);
	ce = lookup_record(c, file, remote);
	if (ce->err) {
		err_setf(&e2, "%s", ce->err);
		goto out;
	}
	/* the lines for exactly this version (and /go.mod suffix) */
	prefix = xasprintf("%s %s ", path, vers);
	for (const char *p = ce->data.data, *end = p + ce->data.len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t ln = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (ln >= strlen(prefix) && memcmp(p, prefix, strlen(prefix)) == 0)
			strvec_push_take(lines, xstrndup(p, ln));
		p += ln + 1;
	}
	rc = 0;
out:
	if (rc < 0)
		err_setf(e, "%s@%s: %s", path, vers, err_msg(&e2));
	err_clear(&e2);
	free(epath);
	free(evers);
	free(bare);
	free(remote);
	free(file);
	free(prefix);
	return rc;
}

/* ---- GOSUMDB and the go command's files (cmd/go/internal/modfetch) ---------------- */

/* modfetch's knownGOSUMDB */
static const struct {
	const char *name, *key;
} known_gosumdb[] = {
	{"sum.golang.org", "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8"},
};

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * check_db_name is dbDial's "no funny business" test on url.Parse("https://"
 * + name): only a host and a path, nothing escaped.  On failure it appends
 * the parsed URL as go's %+v prints a url.URL, for the error text.
 */
static bool check_db_name(const char *name, struct buf *desc)
{
	char *s = xstrdup(name), *frag = NULL, *query = NULL, *host = s, *path = "", *user = NULL, *at;
	bool force_query = false, ok;

	if ((frag = strchr(s, '#')) != NULL)
		*frag++ = 0;
	if ((query = strchr(s, '?')) != NULL) {
		*query++ = 0;
		force_query = *query == 0;
	}
	if ((path = strchr(s, '/')) != NULL) {
		char *p = xstrdup(path);
		*path = 0;
		path = p;
	} else {
		path = xstrdup("");
	}
	if ((at = strrchr(host, '@')) != NULL) {
		*at = 0;
		user = host;
		host = at + 1;
	}
	ok = !has_suffix(name, "/") && !user && !query && !frag && !strchr(name, '%') && host[0];
	if (!ok) {
		/* url.URL's fields in declaration order; User prints through
		 * Userinfo.String (the name), Path unescaped, RawPath the
		 * escaped form when it differs */
		struct buf upath = BUF_INIT;
		buf_init(&upath);
		for (const char *p = path; *p; p++) {
			int hi, lo;
			if (*p == '%' && (hi = hexval(p[1])) >= 0 && (lo = hexval(p[2])) >= 0) {
				buf_addch(&upath, hi << 4 | lo);
				p += 2;
			} else {
				buf_addch(&upath, *p);
			}
		}
		buf_printf(desc, "{Scheme:https Opaque: User:%s Host:%s Path:%s Fragment:%s RawQuery:%s RawPath:%s "
		           "RawFragment: ForceQuery:%s OmitHost:false}", user ? user : "", host, upath.data,
		           frag ? frag : "", query ? query : "", strchr(path, '%') ? path : "",
		           force_query ? "true" : "false");
		buf_release(&upath);
	}
	free(path);
	free(s);
	return ok;
}

/* mirrors modfetch.dbDial's parsing of $GOSUMDB */
int mod_sumdb_parse_gosumdb(const char *gosumdb, struct mod_sumdb_config *out, struct err *e)
{
	struct strvec f = {0};
	struct mod_note_verifier v;
	struct err e2 = ERR_INIT;
	struct buf desc = BUF_INIT;
	const char *g = gosumdb ? gosumdb : "";
	int rc = -1;

	memset(out, 0, sizeof *out);
	memset(&v, 0, sizeof v);
	buf_init(&desc);
	/* an alias of sum.golang.org reachable inside mainland China */
	if (strcmp(g, "sum.golang.google.cn") == 0)
		g = "sum.golang.org https://sum.golang.google.cn";
	if (strcmp(g, "off") == 0) {
		err_setf(e, "checksum database disabled by GOSUMDB=off");
		goto out;
	}
	/* strings.Fields (ASCII white space) */
	for (const char *p = g; *p;) {
		size_t n;
		while (*p && strchr(" \t\n\v\f\r", *p))
			p++;
		if (!*p)
			break;
		n = strcspn(p, " \t\n\v\f\r");
		strvec_push_take(&f, xstrndup(p, n));
		p += n;
	}
	if (f.n >= 1) {
		for (size_t i = 0; i < countof(known_gosumdb); i++) {
			if (strcmp(f.v[0], known_gosumdb[i].name) == 0) {
				free(f.v[0]);
				f.v[0] = xstrdup(known_gosumdb[i].key);
			}
		}
	}
	if (f.n == 0) {
		err_setf(e, "missing GOSUMDB");
		goto out;
	}
	if (f.n > 2) {
		err_setf(e, "invalid GOSUMDB: too many fields");
		goto out;
	}
	if (mod_note_verifier_init(&v, f.v[0], &e2) < 0) {
		err_setf(e, "invalid GOSUMDB: %s", err_msg(&e2));
		goto out;
	}
	if (!check_db_name(v.name, &desc)) {
		err_setf(e, "invalid sumdb name (must be host[/path]): %s %s", v.name, desc.data);
		goto out;
	}
	out->name = xstrdup(v.name);
	out->key = xstrdup(f.v[0]);
	out->url = f.n >= 2 ? xstrdup(f.v[1]) : NULL;
	rc = 0;
out:
	err_clear(&e2);
	buf_release(&desc);
	mod_note_verifier_release(&v);
	strvec_clear(&f);
	return rc;
}

void mod_sumdb_config_release(struct mod_sumdb_config *c)
{
	free(c->name);
	free(c->key);
	free(c->url);
	memset(c, 0, sizeof *c);
}

/* mirrors modfetch.useSumDB */
bool mod_sumdb_use(const char *gosumdb, const char *gonosumdb, const char *goproxy, const char *git_agent,
                   const char *path)
{
	if (strcmp(path, "golang.org/toolchain") == 0) {
		/* Toolchains are never in go.sum: the database is a must, unless
		 * testing a distpack from one file:// proxy, or the proxy itself
		 * is fetching. */
		bool must = true;
		if (goproxy && has_prefix(goproxy, "file://") && !strpbrk(goproxy, ",|"))
			must = false;
		if (git_agent && strstr(git_agent, "proxy.golang.org"))
			must = false;
		if (must)
			return true;
	}
	return strcmp(gosumdb ? gosumdb : "", "off") != 0 && !mod_match_prefix_patterns(gonosumdb, path);
}

const char *mod_sumdb_nosumdb(const struct cfg *c)
{
	const char *priv = cfg_getenv(c, "GOPRIVATE");
	const char *v = cfg_env_or(c, "GONOSUMDB", priv ? priv : "", NULL);
	return v ? v : "";
}

/*
 * files_read is lockedfile.Read: path's content appended to out under a
 * shared flock, so that a go process rewriting the file in place under
 * its exclusive lock is never seen half-way.  *missing tells ENOENT.
 * (modfetch.c reads go.sum the same way.)
 */
static int files_read_fd(int fd, const char *path, struct buf *out, struct err *e)
{
	for (;;) {
		ssize_t r;
		buf_grow(out, 64 * 1024);
		r = read(fd, out->data + out->len, out->cap - out->len - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return err_errno(e, "read", path);
		}
		if (r == 0)
			return 0;
		out->len += (size_t)r;
		out->data[out->len] = '\0';
	}
}

static int files_read(const char *path, struct buf *out, bool *missing, struct err *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = -1;

	*missing = false;
	if (fd < 0) {
		*missing = errno == ENOENT;
		return err_errno(e, "open", path);
	}
	while (flock(fd, LOCK_SH) < 0) {
		if (errno != EINTR) {
			err_errno(e, "flock", path);
			goto out;
		}
	}
	rc = files_read_fd(fd, path, out, e);
out:
	close(fd);
	return rc;
}

/* ReadConfig: the key, or GOPATH/pkg/sumdb/FILE (a missing file is empty). */
static int files_read_config(void *ctx, const char *file, struct buf *out, struct err *e)
{
	struct mod_sumdb_files *f = ctx;
	char *targ;
	bool missing;
	int rc;

	if (strcmp(file, "key") == 0) {
		buf_adds(out, f->key);
		return 0;
	}
	if (!f->sumdb_dir)
		return err_setf(e, "could not locate sumdb file: missing $GOPATH: %s", f->gopath_err ? f->gopath_err : "");
	targ = path_join(f->sumdb_dir, file);
	rc = files_read(targ, out, &missing, e);
	if (rc < 0 && missing) {
		/* bootstraps "latest" the first time a database is used */
		err_clear(e);
		rc = 0;
	}
	free(targ);
	return rc;
}

/*
 * WriteConfig: the compare-and-swap of go's lockedfile.Edit.  The file's
 * flock (the one go takes) is held while its content is compared with old
 * and the new content put in place by temp file and rename, so a crash
 * never leaves half a tree head.  (A go process already blocked on the
 * old inode's lock then finds the old content and writes it over: only a
 * cached tree head is lost, which the next lookup re-proves.)
 */
static int files_write_config(void *ctx, const char *file, const void *old, size_t oldn, const void *new_,
                              size_t newn, struct err *e)
{
	struct mod_sumdb_files *f = ctx;
	char *targ = NULL, *dir = NULL;
	struct buf cur = BUF_INIT;
	int fd = -1, rc = -1;

	buf_init(&cur);
	if (strcmp(file, "key") == 0)
		return err_setf(e, "cannot write key");
	if (!f->sumdb_dir)
		return err_setf(e, "could not locate sumdb file: missing $GOPATH: %s", f->gopath_err ? f->gopath_err : "");
	targ = path_join(f->sumdb_dir, file);
	dir = path_dir(targ);
	if (os_mkdir_all(dir, 0777, e) < 0)
		err_clear(e); /* go ignores MkdirAll's error: the open reports it */
	if ((fd = os_flock_open(targ, e)) < 0)
		goto out;
	/* read through fd's own open file: the shared lock of files_read
	 * would wait on our exclusive one */
	if (files_read_fd(fd, targ, &cur, e) < 0)
		goto out;
	if (cur.len > 0 && (cur.len != oldn || memcmp(cur.data, old, oldn) != 0)) {
		rc = MOD_SUMDB_WRITE_CONFLICT;
		err_setf(e, "write conflict");
		goto out;
	}
	if (os_write_file_atomic(targ, new_, newn, 0666, e) < 0)
		goto out;
	rc = 0;
out:
	if (fd >= 0)
		os_flock_close(fd);
	buf_release(&cur);
	free(targ);
	free(dir);
	return rc;
}

/* ReadCache: GOMODCACHE/cache/download/sumdb/FILE; an empty file is missing. */
static int files_read_cache(void *ctx, const char *file, struct buf *out, struct err *e)
{
	struct mod_sumdb_files *f = ctx;
	char *targ = xasprintf("%s/cache/download/sumdb/%s", f->gomodcache, file);
	size_t before = out->len;
	bool missing;
	int rc;

	rc = files_read(targ, out, &missing, e);
	if (rc == 0 && out->len == before)
		rc = err_setf(e, "read %s: file does not exist", targ);
	free(targ);
	return rc;
}

/* WriteCache: errors are ignored, as go ignores them (a cache). */
static void files_write_cache(void *ctx, const char *file, const void *data, size_t n)
{
	struct mod_sumdb_files *f = ctx;
	char *targ = xasprintf("%s/cache/download/sumdb/%s", f->gomodcache, file), *dir = path_dir(targ);
	struct err e = ERR_INIT;

	if (os_mkdir_all(dir, 0777, &e) == 0)
		os_write_file_atomic(targ, data, n, 0666, &e);
	err_clear(&e);
	free(dir);
	free(targ);
}

/* mirrors cfg.gopathDir("pkg/sumdb") */
char *mod_sumdb_dir(const char *gopath)
{
	size_t n = gopath ? strcspn(gopath, ":") : 0;
	char *first, *dir;

	if (n == 0)
		return NULL;
	first = xstrndup(gopath, n);
	dir = path_join(first, "pkg/sumdb");
	free(first);
	return dir;
}

void mod_sumdb_files_ops(struct mod_sumdb_files *f, struct mod_sumdb_ops *ops)
{
	ops->ctx = f;
	ops->read_config = files_read_config;
	ops->write_config = files_write_config;
	ops->read_cache = files_read_cache;
	ops->write_cache = files_write_cache;
}

void mod_sumdb_fatal_security_error(void *ctx, const char *msg)
{
	(void)ctx;
	/* base.Fatalf("%s", msg): go's log has no prefix, so neither has this */
	fflush(stdout);
	fprintf(stderr, "%s\n", msg);
	base_exit(1);
}

static const char sumdb_mismatch[] =
	"\n\nSECURITY ERROR\n"
	"This download does NOT match the one reported by the checksum server.\n"
	"The bits may have been replaced on the origin server, or an attacker may\n"
	"have intercepted the download attempt.\n"
	"\n"
	"For more information, see 'go help module-auth'.\n";

static const char sumdb_absent[] =
	"\n\nSECURITY ERROR\n"
	"This download does NOT match one reported by the checksum server.\n"
	"The checksum server has provided checksums, but the checksums do\n"
	"not contain an entry for the download.\n"
	"The checksum server may be malfunctioning, or an attacker may have\n"
	"intercepted the checksum request.\n"
	"The download cannot be verified.\n"
	"\n"
	"For more information, see 'go help module-auth'.\n";

/* mirrors modfetch.checkSumDB after its lookupSumDB */
int mod_sumdb_check(const char *dbname, const char *path, const char *version, const char *h,
                    const struct strvec *lines, int lookup_rc, const char *lookup_err, struct err *e)
{
	const char *noun = "module";
	char *bare = xstrdup(version), *have = NULL, *prefix = NULL;
	int rc = -1;

	if (has_suffix(bare, "/go.mod")) {
		noun = "go.mod";
		bare[strlen(bare) - strlen("/go.mod")] = 0;
	}
	if (lookup_rc < 0) {
		err_setf(e, "%s@%s: verifying %s: %s", path, bare, noun, lookup_err ? lookup_err : "");
		goto out;
	}
	have = xasprintf("%s %s %s", path, version, h);
	prefix = xasprintf("%s %s h1:", path, version);
	for (size_t i = 0; i < lines->n; i++) {
		const char *line = lines->v[i];
		if (strcmp(line, have) == 0) {
			rc = 0;
			goto out;
		}
		if (has_prefix(line, prefix)) {
			err_setf(e, "%s@%s: verifying %s: checksum mismatch\n\tdownloaded: %s\n\t%s: %s%s", path, bare,
			         noun, h, dbname, line + strlen(prefix) - strlen("h1:"), sumdb_mismatch);
			goto out;
		}
	}
	err_setf(e, "%s@%s: verifying %s: checksum missing from sumdb response%s", path, bare, noun, sumdb_absent);
out:
	free(bare);
	free(have);
	free(prefix);
	return rc;
}
