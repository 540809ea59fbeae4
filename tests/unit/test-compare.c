/* test-compare.c: compare's arithmetic and matching without a database:
 * the wall-time ratio and its propagated error, the words hyperfine uses
 * for it, and two hand-made campaigns compared as CSV and JSON (matched by
 * workload and N, the unmatched, the machine facts that differ). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/compare.h"
#include "base/util.h"
#include "tap.h"

static void test_ratio(void)
{
	double r, e;
	char buf[128];

	/* 2.0 +- 0.02 (1%) against 1.0 +- 0.01 (1%): 2 +- 2 x sqrt(2) % */
	compare_ratio(2.0, 0.02, 1.0, 0.01, &r, &e);
	ok(fabs(r - 2) < 1e-12 && fabs(e - 2 * sqrt(2) * 0.01) < 1e-12, "ratio and its error in quadrature");
	compare_ratio_text(r, e, buf, sizeof(buf));
	is_str(buf, "B is 2.00 ± 0.03 times faster than A", "faster, as hyperfine says it");
	compare_ratio(1.0, 0.01, 2.0, 0.02, &r, &e);
	compare_ratio_text(r, e, buf, sizeof(buf));
	is_str(buf, "B is 2.00 ± 0.03 times slower than A", "slower: the factor the other way, the same relative error");
	compare_ratio(1.0, NAN, 1.28, 0.01, &r, &e);
	compare_ratio_text(r, e, buf, sizeof(buf));
	is_str(buf, "B is 1.28 times slower than A (one run: no error)", "one run: no error, and says so");
	compare_ratio_text(NAN, NAN, buf, sizeof(buf));
	is_str(buf, "no ratio: a side has no wall time", "no wall time: no ratio");
}

/* a copies workload with runs of the given walls at n = 1 and 2 (user
 * time = the wall: busy cores) */
static void workload(struct vinput *in, const char *name, const double *w1, const double *w2, size_t k)
{
	memset(in, 0, sizeof(*in));
	in->workload = xstrdup(name);
	in->mode = xstrdup("copies");
	for (int n = 1; n <= 2; n++)
		if (n == 1 || w2)
			vinput_point(in, n, 1)->efficiency = 1;
	in->runs = xcalloc(2 * k, sizeof(*in->runs));
	for (size_t i = 0; i < k; i++)
		for (int n = 1; n <= (w2 ? 2 : 1); n++) {
			struct srun *r = &in->runs[in->nruns++];
			double w = n == 1 ? w1[i] : w2[i];

			*r = (struct srun){ .n = n, .units = n, .wall = w, .user = n * w, .kernel = 0, .delay = 0,
					    .serial = NAN, .serial_cpu = NAN, .others = NAN, .steal = NAN, .psi_cpu = NAN };
		}
}

static int lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static char *print(const struct compare_side *a, const struct compare_side *b, enum compare_format fmt)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	compare_print(a, b, fmt, f);
	fclose(f);
	return buf;
}

static void test_print(void)
{
	const double a1[] = { 1.0, 1.1, 0.9 }, a2[] = { 1.2, 1.3, 1.1 }, b1[] = { 0.5, 0.55, 0.45 };
	struct vinput ia[2], ib[2];
	struct campaign_facts fa = { .name = "before", .cores = 2, .kernel = "6.1", .scale = 1 },
			      fb = { .name = "after", .cores = 64, .kernel = "6.1", .scale = 1 };
	struct compare_side a = { .db = "a.db", .id = 1, .facts = &fa, .in = ia, .nin = 2 },
			    b = { .db = "b.db", .id = 7, .facts = &fb, .in = ib, .nin = 2 };
	char *out;

	workload(&ia[0], "busy", a1, a2, 3);
	workload(&ia[1], "sleep", a1, NULL, 3);
	workload(&ib[0], "busy", b1, NULL, 3);
	workload(&ib[1], "spin", b1, NULL, 3);
	out = print(&a, &b, COMPARE_CSV);
	ok(strncmp(out, "workload,mode_a,mode_b,n_workers,a_runs,a_wall_s,", 49) == 0, "csv: the header");
	ok(strstr(out, "\nbusy,copies,copies,1,3,1.000000,0.057735,1.0000,,,1.0000,,,3,0.500000,0.028868,") != NULL,
	   "csv: busy at N=1, the means and their standard errors");
	ok(strstr(out, ",2.0000,0.1633\n") != NULL, "csv: the ratio 2 and its error 2 x sqrt(2) x 0.0577");
	is_int(lines(out), 2, "csv: the header and one match only");
	free(out);
	out = print(&a, &b, COMPARE_TEXT);
	ok(strstr(out, "unmatched: busy at N=2 only in A; sleep only in A; spin only in B\n") != NULL,
	   "text: the unmatched workloads and worker counts");
	ok(strstr(out, "  cores            2") != NULL && strstr(out, "64\n") != NULL, "text: the cores differ");
	ok(!strstr(out, "  kernel "), "text: the kernel does not");
	ok(strstr(out, "B is 2.00 ± 0.16 times faster than A") != NULL, "text: the ratio in words");
	free(out);
	out = print(&a, &b, COMPARE_JSON);
	ok(strstr(out, "\"schema\":\"scalprof-compare/1\"") != NULL, "json: its schema");
	ok(strstr(out, "\"only_in\":\"B\"") != NULL, "json: the unmatched");
	free(out);
	for (int i = 0; i < 2; i++) {
		struct vinput *v[2] = { &ia[i], &ib[i] };

		for (int k = 0; k < 2; k++) {
			free(v[k]->workload);
			free(v[k]->mode);
			free(v[k]->pts);
			free(v[k]->runs);
		}
	}
}

int main(void)
{
	test_ratio();
	test_print();
	return done_testing();
}
