/* capture.c: bounded output tails (see capture.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"
#include "engine/capture.h"

void capture_add(struct tail *t, const char *buf, size_t n)
{
	size_t end, first;

	if (!t->buf)
		t->buf = xcalloc(1, TAIL_BYTES);
	t->total += n;
	if (n > TAIL_BYTES) { /* only the last TAIL_BYTES can survive */
		buf += n - TAIL_BYTES;
		n = TAIL_BYTES;
	}
	/* append at the end of the ring in at most two copies, then drop
	 * from the front whatever no longer fits */
	end = (t->start + t->len) % TAIL_BYTES;
	first = n < TAIL_BYTES - end ? n : TAIL_BYTES - end;
	memcpy(t->buf + end, buf, first);
	memcpy(t->buf, buf + first, n - first);
	t->len += n;
	if (t->len > TAIL_BYTES) {
		t->start = (t->start + t->len - TAIL_BYTES) % TAIL_BYTES;
		t->len = TAIL_BYTES;
	}
}

int capture_drain(int fd, struct tail *t)
{
	char buf[16384];

	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n > 0) {
			capture_add(t, buf, (size_t)n);
			continue;
		}
		if (n == 0)
			return 1;
		if (errno == EINTR)
			continue;
		return errno == EAGAIN ? 0 : 1;
	}
}

int capture_has_line(const struct tail *t, const char *word)
{
	size_t wl = strlen(word);

	for (size_t k = 0; k + wl <= t->len; k++) {
		size_t j = 0;

		while (j < wl && t->buf[(t->start + k + j) % TAIL_BYTES] == word[j])
			j++;
		if (j == wl && (k == 0 || t->buf[(t->start + k - 1) % TAIL_BYTES] == '\n'))
			return 1;
	}
	return 0;
}

double capture_field(const struct tail *t, const char *key, char *text_out, size_t text_len)
{
	char buf[4096];
	size_t n = t->len < sizeof(buf) - 1 ? t->len : sizeof(buf) - 1, klen = strlen(key);

	for (size_t k = 0; k < n; k++)
		buf[k] = t->buf[(t->start + t->len - n + k) % TAIL_BYTES];
	buf[n] = '\0';
	for (char *p = buf; (p = strstr(p, key)); p += klen)
		if ((p == buf || p[-1] == '\n') && p[klen] == '=') {
			if (text_out)
				snprintf(text_out, text_len, "%.*s", (int)strcspn(p + klen + 1, "\n"), p + klen + 1);
			return strtod(p + klen + 1, NULL);
		}
	return NAN;
}
