/* tap.h: the Test Anything Protocol for the C unit tests, as prove reads
 * it. Each test file includes the module's headers, calls ok()/is_*()
 * and ends with done_testing(). Between todo_start("why") and todo_end(),
 * assertions are TODO: a known bug, expected to fail, that does not fail
 * the file (prove reports it when it starts to pass). */
#ifndef SCALPROF_TAP_H
#define SCALPROF_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;
static const char *tap_todo;

static void tap_vok(int pass, const char *fmt, va_list ap)
{
	tap_n++;
	if (!pass && !tap_todo)
		tap_failed++;
	printf("%sok %d - ", pass ? "" : "not ", tap_n);
	vprintf(fmt, ap);
	if (tap_todo)
		printf(" # TODO %s", tap_todo);
	putchar('\n');
	fflush(stdout);
}

static __attribute__((unused)) void todo_start(const char *why)
{
	tap_todo = why;
}

static __attribute__((unused)) void todo_end(void)
{
	tap_todo = NULL;
}

static __attribute__((format(printf, 2, 3), unused)) int ok(int pass, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vok(pass, fmt, ap);
	va_end(ap);
	return pass;
}

#define is_int(got, want, ...)                                                                  \
	do {                                                                                    \
		long long g_ = (long long)(got), w_ = (long long)(want);                        \
		if (!ok(g_ == w_, __VA_ARGS__))                                                 \
			printf("#   got %lld, want %lld\n", g_, w_);                                \
	} while (0)

#define is_str(got, want, ...)                                                                  \
	do {                                                                                    \
		const char *g_ = (got), *w_ = (want);                                           \
		if (!ok(g_ && w_ && strcmp(g_, w_) == 0, __VA_ARGS__))                          \
			printf("#   got '%s'\n#  want '%s'\n", g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
	} while (0)

static __attribute__((unused)) int done_testing(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
