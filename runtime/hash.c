/* SHA-256 through OpenSSL libcrypto's EVP interface (no hand-rolled crypto). */
#include <openssl/evp.h>
#include <pthread.h>

#include "runtime.h"

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
