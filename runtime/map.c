/*
 * An open-addressing hash map with linear probing (after samurai's htab.c).
 * Invariant: cap is zero or a power of two and n < cap * 3/4.
 */
#include <stdlib.h>
#include <string.h>

#include "runtime.h"

static uint64_t hash_str(const char *s)
{
	/* FNV-1a: fast and good enough for paths. */
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

void map_init(struct map *m)
{
	m->slots = NULL;
	m->n = m->cap = 0;
}

void map_release(struct map *m)
{
	free(m->slots);
	map_init(m);
}

static struct map_entry *map_find(const struct map *m, const char *key, uint64_t h)
{
	size_t mask = m->cap - 1, i;

	for (i = h & mask;; i = (i + 1) & mask) {
		struct map_entry *e = &m->slots[i];
		if (!e->key || (e->hash == h && strcmp(e->key, key) == 0))
			return e;
	}
}

void *map_get(const struct map *m, const char *key)
{
	struct map_entry *e;

	if (m->cap == 0)
		return NULL;
	e = map_find(m, key, hash_str(key));
	return e->key ? e->val : NULL;
}

bool map_has(const struct map *m, const char *key)
{
	return m->cap && map_find(m, key, hash_str(key))->key != NULL;
}

static void map_grow(struct map *m)
{
	struct map old = *m;

	m->cap = old.cap ? old.cap * 2 : 16;
	m->slots = xcalloc(m->cap, sizeof(*m->slots));
	m->n = 0;
	for (size_t i = 0; i < old.cap; i++) {
		struct map_entry *e = &old.slots[i];
		if (e->key) {
			*map_find(m, e->key, e->hash) = *e;
			m->n++;
		}
	}
	free(old.slots);
}

void *map_put(struct map *m, const char *key, void *val)
{
	uint64_t h = hash_str(key);
	struct map_entry *e;
	void *prev;

	if ((m->n + 1) * 4 >= m->cap * 3)
		map_grow(m);
	e = map_find(m, key, h);
	if (e->key) {
		prev = e->val;
		e->val = val;
		return prev;
	}
	e->key = key;
	e->hash = h;
	e->val = val;
	m->n++;
	return NULL;
}

bool map_next(const struct map *m, size_t *i, const char **key, void **val)
{
	for (; *i < m->cap; (*i)++) {
		struct map_entry *e = &m->slots[*i];
		if (e->key) {
			if (key)
				*key = e->key;
			if (val)
				*val = e->val;
			(*i)++;
			return true;
		}
	}
	return false;
}

void intern_init(struct intern *in, struct arena *a)
{
	map_init(&in->m);
	in->a = a;
}

void intern_release(struct intern *in)
{
	map_release(&in->m);
}

const char *intern_str(struct intern *in, const char *s)
{
	const char *p = map_get(&in->m, s);

	if (p)
		return p;
	p = arena_strdup(in->a, s);
	map_put(&in->m, p, (void *)p);
	return p;
}

const char *intern_strn(struct intern *in, const char *s, size_t n)
{
	char small[256];
	char *tmp = n < sizeof small ? small : xmalloc(n + 1);
	const char *p;

	memcpy(tmp, s, n);
	tmp[n] = 0;
	p = intern_str(in, tmp);
	if (tmp != small)
		free(tmp);
	return p;
}
