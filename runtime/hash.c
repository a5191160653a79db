/*
 * SHA-256 through OpenSSL libcrypto (no hand-rolled crypto).
 *
 * OpenSSL 3 offers two doors to the same SHA-256 code (SHA-NI and all):
 * EVP, whose first digest fetch initializes the default provider (about
 * 2.5 ms per process here, more than all the hashing of a no-op build),
 * and the low-level SHA256_* functions, deprecated in 3.0 but still part
 * of the library, which need no provider.  gotool runs briefly and often,
 * so it uses the low-level functions where the library has them, and EVP
 * (fetched once) where it was built without the deprecated interfaces.
 */
/* before any OpenSSL header: its deprecation marks are set up once */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/opensslconf.h>

#if !defined(OPENSSL_NO_DEPRECATED_3_0)
#define HASH_LOWLEVEL 1
#include <openssl/sha.h>
#else
#include <openssl/evp.h>
#include <pthread.h>
#endif

#include <stdlib.h>
#include <string.h>

#include "runtime.h"

#ifdef HASH_LOWLEVEL

void hash_sha256_init(struct hash_sha256 *h)
{
	SHA256_CTX *c = xmalloc(sizeof *c);

	if (SHA256_Init(c) != 1)
		BUG("sha256 init failed");
	h->ctx = c;
}

void hash_sha256_write(struct hash_sha256 *h, const void *p, size_t n)
{
	if (n && SHA256_Update(h->ctx, p, n) != 1)
		BUG("sha256 update failed");
}

void hash_sha256_sum(struct hash_sha256 *h, unsigned char out[32])
{
	if (SHA256_Final(out, h->ctx) != 1)
		BUG("sha256 final failed");
	free(h->ctx);
	h->ctx = NULL;
}

#else

/* The digest is fetched from the provider once: OpenSSL 3 otherwise looks
 * it up (locks, a property query) at every init, and gotool hashes often. */
static EVP_MD *sha256_md;
static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;

static void sha256_fetch(void)
{
	sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
}

void hash_sha256_init(struct hash_sha256 *h)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	pthread_once(&sha256_once, sha256_fetch);
	if (!ctx || !sha256_md || EVP_DigestInit_ex(ctx, sha256_md, NULL) != 1)
		BUG("EVP sha256 init failed");
	h->ctx = ctx;
}

void hash_sha256_write(struct hash_sha256 *h, const void *p, size_t n)
{
	if (n && EVP_DigestUpdate(h->ctx, p, n) != 1)
		BUG("EVP sha256 update failed");
}

void hash_sha256_sum(struct hash_sha256 *h, unsigned char out[32])
{
	unsigned int n = 32;

	if (EVP_DigestFinal_ex(h->ctx, out, &n) != 1 || n != 32)
		BUG("EVP sha256 final failed");
	EVP_MD_CTX_free(h->ctx);
	h->ctx = NULL;
}

#endif

void hash_sha256(const void *p, size_t n, unsigned char out[32])
{
	struct hash_sha256 h;

	hash_sha256_init(&h);
	hash_sha256_write(&h, p, n);
	hash_sha256_sum(&h, out);
}

void hash_hex(const unsigned char *sum, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex[sum[i] >> 4];
		out[2 * i + 1] = hex[sum[i] & 15];
	}
	out[2 * n] = 0;
}

/*
 * CRC-32C, in hardware where the CPU has it (SSE 4.2's crc32 instruction,
 * several GB/s) and by table elsewhere (the same values).  It checks
 * gotool's scan index, read on every run, where zlib's CRC-32 cost more
 * than a millisecond.
 */
static uint32_t crc32c_table[256];

static void crc32c_table_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0x82f63b78u : c >> 1;
		crc32c_table[i] = c;
	}
}

static uint32_t crc32c_soft(uint32_t c, const unsigned char *p, size_t n)
{
	if (!crc32c_table[1])
		crc32c_table_init();
	while (n--)
		c = crc32c_table[(c ^ *p++) & 0xff] ^ (c >> 8);
	return c;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
__attribute__((target("sse4.2"))) static uint32_t crc32c_hw(uint32_t c, const unsigned char *p, size_t n)
{
	uint64_t c64 = c;

	for (; n >= 8; n -= 8, p += 8) {
		uint64_t v;
		memcpy(&v, p, 8);
		c64 = __builtin_ia32_crc32di(c64, v);
	}
	c = (uint32_t)c64;
	for (; n > 0; n--)
		c = __builtin_ia32_crc32qi(c, *p++);
	return c;
}
#define HAVE_CRC32C_HW 1
#endif

uint32_t hash_crc32c(uint32_t crc, const void *p, size_t n)
{
	uint32_t c = ~crc;

#ifdef HAVE_CRC32C_HW
	static int hw = -1;
	if (hw < 0)
		hw = __builtin_cpu_supports("sse4.2") ? 1 : 0;
	if (hw)
		return ~crc32c_hw(c, p, n);
#endif
	return ~crc32c_soft(c, p, n);
}

uint32_t hash_crc32c_soft(uint32_t crc, const void *p, size_t n)
{
	return ~crc32c_soft(~crc, p, n);
}
