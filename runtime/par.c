/*
 * par_for: a loop body run on several threads, for work that is
 * independent per item and bound by the CPU or the kernel (inflating and
 * writing the files of a module zip, hashing them).  go runs such work in
 * goroutines; gotool's only threads are these, started for one loop and
 * joined before it returns, so nothing else in the process needs to be
 * thread-safe: a body may touch only its own item and what the caller
 * made for it.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "runtime.h"

struct par_loop {
	size_t n;
	atomic_size_t next;
	void (*fn)(void *ctx, size_t i);
	void *ctx;
};

static void par_drain(struct par_loop *l)
{
	for (;;) {
		size_t i = atomic_fetch_add(&l->next, 1);
		if (i >= l->n)
			return;
		l->fn(l->ctx, i);
	}
}

static void *par_worker(void *arg)
{
	par_drain(arg);
	return NULL;
}

unsigned par_threads(void)
{
	static unsigned n;

	if (n == 0) {
		long c = sysconf(_SC_NPROCESSORS_ONLN);
		n = c < 1 ? 1 : c > PAR_MAX_THREADS ? PAR_MAX_THREADS : (unsigned)c;
	}
	return n;
}

void par_for(size_t n, unsigned nthreads, void (*fn)(void *ctx, size_t i), void *ctx)
{
	struct par_loop l = {n, 0, fn, ctx};
	pthread_t tid[PAR_MAX_THREADS];
	unsigned started = 0;

	if (nthreads > PAR_MAX_THREADS)
		nthreads = PAR_MAX_THREADS;
	if (nthreads > n)
		nthreads = (unsigned)n;
	/* the caller is one of the threads; a thread that cannot be
	 * started leaves its share to the others */
	for (unsigned t = 1; t < nthreads; t++) {
		if (pthread_create(&tid[started], NULL, par_worker, &l) != 0)
			break;
		started++;
	}
	par_drain(&l);
	for (unsigned t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
}
