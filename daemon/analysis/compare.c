/* compare.c: two campaigns side by side (see compare.h).
 *
 * Sections: the rows (matching, each side's figures, the ratio); the
 * machine facts; the four formats.
 *
 * Each side's speedup and efficiency at N are the speedup stack's (the
 * core-seconds per unit of work at 1 and at N, means with Welch's 95%
 * interval: what the report's plot draws), so both campaigns are judged
 * the same way; the ratio of wall times is of the means over the ok
 * ordinary runs, its error propagated from their standard errors. */
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/compare.h"
#include "analysis/stack.h"
#include "base/util.h"
#include "model/stats.h"

/* ---- the rows ---------------------------------------------------------------- */

struct side_point {
	int runs;
	double mean, sem;                  /* wall time over the ok ordinary runs */
	struct interval speedup, eff;      /* lo, hi NAN: no interval */
};

struct row {
	const char *workload, *mode_a, *mode_b;
	int n;
	struct side_point a, b;
	double ratio, err;
};

/* a workload (n 0) or one of its worker counts only one side has */
struct unmatched {
	const char *workload;
	int n;
	char side; /* 'A' or 'B' */
};

struct comparison {
	struct row *rows;
	size_t nrows;
	struct unmatched *un;
	size_t nun;
	int max_n; /* the largest N matched */
};

void compare_ratio(double mean_a, double sem_a, double mean_b, double sem_b, double *ret_ratio, double *ret_err)
{
	double r = mean_a / mean_b;

	*ret_ratio = r;
	*ret_err = r * sqrt(pow(sem_a / mean_a, 2) + pow(sem_b / mean_b, 2));
}

int compare_ratio_text(double ratio, double err, char *buf, size_t len)
{
	int faster = ratio >= 1;
	/* slower: the factor the other way round, with the same relative error */
	double f = faster ? ratio : 1 / ratio, e = faster ? err : err / ratio / ratio;

	if (isnan(ratio) || isinf(ratio))
		return snprintf(buf, len, "no ratio: a side has no wall time");
	if (isnan(e))
		return snprintf(buf, len, "B is %.2f times %s than A (one run: no error)", f,
				faster ? "faster" : "slower");
	return snprintf(buf, len, "B is %.2f ± %.2f times %s than A", f, e, faster ? "faster" : "slower");
}

static const struct vinput *find_input(const struct compare_side *s, const char *workload)
{
	for (size_t i = 0; i < s->nin; i++)
		if (strcmp(s->in[i].workload, workload) == 0)
			return &s->in[i];
	return NULL;
}

static const struct vpoint *find_point(const struct vinput *in, int n)
{
	for (size_t k = 0; k < in->npts; k++)
		if (in->pts[k].n == n)
			return &in->pts[k];
	return NULL;
}

/* One side at n: the runs' mean wall time and its standard error, and the
 * stack's efficiency (the verdict's median without an interval when there
 * is no stack: no runs at 1 worker). */
static void side_point(const struct vinput *in, const struct stack_point *sp, size_t nsp, int n,
		       struct side_point *ret)
{
	double *w = xcalloc(in->nruns ? in->nruns : 1, sizeof(double));
	const struct vpoint *p = find_point(in, n);
	const struct stack_point *s = NULL;
	struct summary sum;
	size_t k = 0;

	for (size_t i = 0; i < in->nruns; i++)
		if (in->runs[i].n == n && in->runs[i].wall > 0)
			w[k++] = in->runs[i].wall;
	stats_summary(w, k, &sum);
	free(w);
	ret->runs = (int)k;
	ret->mean = k ? sum.mean : NAN;
	ret->sem = k >= 2 ? sum.sd / sqrt((double)k) : NAN;
	for (size_t i = 0; i < nsp; i++)
		if (sp[i].n == n)
			s = &sp[i];
	if (n == 1) {
		ret->eff = (struct interval){ .mid = 1, .lo = NAN, .hi = NAN };
	} else if (s) {
		ret->eff = s->efficiency;
	} else {
		ret->eff = (struct interval){ .mid = p ? p->efficiency : NAN, .lo = NAN, .hi = NAN };
	}
	ret->speedup = (struct interval){ .mid = ret->eff.mid * n, .lo = ret->eff.lo * n, .hi = ret->eff.hi * n,
					  .level = ret->eff.level };
}

static void add_unmatched(struct comparison *c, const char *workload, int n, char side)
{
	c->un = xreallocarray(c->un, c->nun + 1, sizeof(*c->un));
	c->un[c->nun++] = (struct unmatched){ .workload = workload, .n = n, .side = side };
}

/* The worker counts of in that other lacks, as unmatched on side. */
static void counts_only_in(struct comparison *c, const struct vinput *in, const struct vinput *other, char side)
{
	for (size_t k = 0; k < in->npts; k++)
		if (!find_point(other, in->pts[k].n))
			add_unmatched(c, in->workload, in->pts[k].n, side);
}

static void compare_build(const struct compare_side *a, const struct compare_side *b, struct comparison *c)
{
	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < a->nin; i++) {
		const struct vinput *ia = &a->in[i], *ib = find_input(b, ia->workload);
		struct stack_point *spa = NULL, *spb = NULL;
		size_t nspa = 0, nspb = 0;

		if (!ib) {
			add_unmatched(c, ia->workload, 0, 'A');
			continue;
		}
		stack_build(ia->runs, ia->nruns, &spa, &nspa);
		stack_build(ib->runs, ib->nruns, &spb, &nspb);
		for (size_t k = 0; k < ia->npts; k++) {
			int n = ia->pts[k].n;
			struct row *r;

			if (!find_point(ib, n))
				continue;
			c->rows = xreallocarray(c->rows, c->nrows + 1, sizeof(*c->rows));
			r = &c->rows[c->nrows++];
			*r = (struct row){ .workload = ia->workload, .mode_a = ia->mode, .mode_b = ib->mode, .n = n };
			side_point(ia, spa, nspa, n, &r->a);
			side_point(ib, spb, nspb, n, &r->b);
			compare_ratio(r->a.mean, r->a.sem, r->b.mean, r->b.sem, &r->ratio, &r->err);
			if (n > c->max_n)
				c->max_n = n;
		}
		counts_only_in(c, ia, ib, 'A');
		counts_only_in(c, ib, ia, 'B');
		free(spa);
		free(spb);
	}
	for (size_t i = 0; i < b->nin; i++)
		if (!find_input(a, b->in[i].workload))
			add_unmatched(c, b->in[i].workload, 0, 'B');
}

static void compare_free(struct comparison *c)
{
	free(c->rows);
	free(c->un);
}

/* ---- the machine facts --------------------------------------------------------- */

struct fact {
	char name[32];
	char a[160], b[160];
	int differs;
};

#define NFACTS 17 /* the FACT lines of facts_build: one more with each fact added there */

static void fmt_str(const char *s, char *buf, size_t len)
{
	snprintf(buf, len, "%s", s && *s ? s : "unknown");
}

static void fmt_int(int v, char *buf, size_t len)
{
	if (v > 0)
		snprintf(buf, len, "%d", v);
	else
		snprintf(buf, len, "unknown");
}

static void fmt_bytes(int64_t v, char *buf, size_t len)
{
	if (v <= 0)
		snprintf(buf, len, "unknown");
	else if (v >= 1 << 20)
		snprintf(buf, len, "%.1f MiB", v / 1048576.0);
	else
		snprintf(buf, len, "%lld KiB", (long long)(v / 1024));
}

static void fmt_ceiling(const struct campaign_facts *f, int n, char *buf, size_t len)
{
	for (size_t i = 0; i < f->nceilings; i++)
		if (f->ceilings[i].n == n && !isnan(f->ceilings[i].gbps)) {
			snprintf(buf, len, "%.1f GB/s", f->ceilings[i].gbps);
			return;
		}
	snprintf(buf, len, "not measured");
}

/* The facts compared, in the order printed; returns how many. */
static size_t facts_build(const struct campaign_facts *a, const struct campaign_facts *b, int max_n,
			  struct fact *f)
{
	const struct campaign_facts *s[2] = { a, b };
	size_t n = 0;

#define FACT(label, EXPR)                                                                  \
	do {                                                                               \
		snprintf(f[n].name, sizeof(f[n].name), "%s", label);                        \
		for (int k = 0; k < 2; k++) {                                              \
			const struct campaign_facts *x = s[k];                             \
			char *buf = k ? f[n].b : f[n].a;                                   \
			size_t len = sizeof(f[n].a);                                       \
			EXPR;                                                              \
		}                                                                          \
		f[n].differs = strcmp(f[n].a, f[n].b) != 0;                                \
		n++;                                                                       \
	} while (0)

	FACT("host", fmt_str(x->hostname, buf, len));
	FACT("cpu model", fmt_str(x->cpu_model, buf, len));
	FACT("sockets", fmt_int(x->sockets, buf, len));
	FACT("cores", fmt_int(x->cores, buf, len));
	FACT("threads", fmt_int(x->threads, buf, len));
	FACT("L3 (one domain)", fmt_bytes(x->l3_bytes, buf, len));
	FACT("usable LLC", fmt_bytes(x->usable_llc_bytes, buf, len));
	FACT("ceiling at N=1", fmt_ceiling(x, 1, buf, len));
	if (max_n > 1) {
		char label[32];

		snprintf(label, sizeof(label), "ceiling at N=%d", max_n);
		FACT(label, fmt_ceiling(x, max_n, buf, len));
	}
	FACT("kernel", fmt_str(x->kernel, buf, len));
	FACT("python3", fmt_str(x->python3_version, buf, len));
	FACT("hypervisor", snprintf(buf, len, "%s", x->hypervisor ? x->hypervisor : "none"));
	FACT("smt", fmt_str(x->smt, buf, len));
	FACT("governor", snprintf(buf, len, "%s", x->governor ? x->governor : "none"));
	FACT("THP", snprintf(buf, len, "%s", x->thp ? x->thp : "not recorded"));
	FACT("placement", fmt_str(x->placement, buf, len));
	FACT("scale", isnan(x->scale) ? (void)snprintf(buf, len, "unknown") : (void)snprintf(buf, len, "%g", x->scale));
#undef FACT
	return n;
}

/* ---- the four formats ------------------------------------------------------------ */

/* "1.96 [1.90, 2.02]", or the figure alone without an interval */
static void fmt_iv(const struct interval *iv, char *buf, size_t len)
{
	if (isnan(iv->mid))
		snprintf(buf, len, "-");
	else if (isnan(iv->lo) || isnan(iv->hi))
		snprintf(buf, len, "%.2f", iv->mid);
	else if (isinf(iv->hi))
		snprintf(buf, len, "%.2f [%.2f, inf]", iv->mid, iv->lo);
	else
		snprintf(buf, len, "%.2f [%.2f, %.2f]", iv->mid, iv->lo, iv->hi);
}

static void fmt_wall(const struct side_point *p, char *buf, size_t len)
{
	if (isnan(p->mean))
		snprintf(buf, len, "-");
	else if (isnan(p->sem))
		snprintf(buf, len, "%.3f", p->mean);
	else
		snprintf(buf, len, "%.3f ± %.3f", p->mean, p->sem);
}

static void side_title(const struct compare_side *s, char *buf, size_t len)
{
	snprintf(buf, len, "campaign %lld '%s' in %s (%s)", (long long)s->id,
		 s->facts->name ? s->facts->name : "", s->db, s->facts->started_at ? s->facts->started_at : "?");
}

static void unmatched_text(const struct unmatched *u, char *buf, size_t len)
{
	if (u->n)
		snprintf(buf, len, "%s at N=%d only in %c", u->workload, u->n, u->side);
	else
		snprintf(buf, len, "%s only in %c", u->workload, u->side);
}

/* s left-aligned in width columns: counted in characters, not bytes ("±"
 * is two); the last cell of a line unpadded */
static void cell(FILE *out, const char *s, int width, int last)
{
	int chars = 0;

	for (const char *p = s; *p; p++)
		chars += ((unsigned char)*p & 0xc0) != 0x80;
	fputs(s, out);
	for (; !last && chars < width; chars++)
		fputc(' ', out);
}

static void print_text(const struct compare_side *a, const struct compare_side *b, const struct comparison *c,
		       const struct fact *f, size_t nf, FILE *out)
{
	char t[512], w[2][64], s[2][64], e[2][64], say[128];
	const char *last = NULL;
	int same = 0;

	side_title(a, t, sizeof(t));
	fprintf(out, "A: %s\n", t);
	side_title(b, t, sizeof(t));
	fprintf(out, "B: %s\n", t);
	if (!c->nrows)
		fprintf(out, "\nno workload and worker count in common\n");
	for (size_t i = 0; i < c->nrows; i++) {
		const struct row *r = &c->rows[i];

		if (!last || strcmp(last, r->workload) != 0) {
			fprintf(out, "\n%s (%s", r->workload, r->mode_a);
			if (strcmp(r->mode_a, r->mode_b) != 0)
				fprintf(out, " in A, %s in B", r->mode_b);
			fprintf(out, ")\n  %3s  %-15s %-15s %-18s %-18s %-18s %s\n", "N", "A wall_s", "B wall_s",
				"A speedup", "B speedup", "A efficiency", "B efficiency");
			last = r->workload;
		}
		fmt_wall(&r->a, w[0], sizeof(w[0]));
		fmt_wall(&r->b, w[1], sizeof(w[1]));
		fmt_iv(&r->a.speedup, s[0], sizeof(s[0]));
		fmt_iv(&r->b.speedup, s[1], sizeof(s[1]));
		fmt_iv(&r->a.eff, e[0], sizeof(e[0]));
		fmt_iv(&r->b.eff, e[1], sizeof(e[1]));
		compare_ratio_text(r->ratio, r->err, say, sizeof(say));
		fprintf(out, "  %3d  ", r->n);
		cell(out, w[0], 16, 0);
		cell(out, w[1], 16, 0);
		cell(out, s[0], 19, 0);
		cell(out, s[1], 19, 0);
		cell(out, e[0], 19, 0);
		cell(out, e[1], 0, 1);
		fprintf(out, "\n       %s\n", say);
	}
	if (c->nrows)
		fputs("\nwall_s: mean ± standard error; speedup, efficiency: [95% interval] (inf: no upper bound\n"
		      "yet); the ratio's error: the two means' relative standard errors in quadrature\n",
		      out);
	if (c->nun) {
		fprintf(out, "\nunmatched:");
		for (size_t i = 0; i < c->nun; i++) {
			unmatched_text(&c->un[i], t, sizeof(t));
			fprintf(out, "%s %s", i ? ";" : "", t);
		}
		fputc('\n', out);
	}
	for (size_t i = 0; i < nf; i++)
		if (f[i].differs) {
			if (!same++)
				fprintf(out, "\nmachine and conditions that differ:\n  %-16s %-40s %s\n", "", "A", "B");
			fprintf(out, "  %-16s %-40s %s\n", f[i].name, f[i].a, f[i].b);
		}
	if (!same)
		fprintf(out, "\nmachine and conditions: the same (host %s, %s cores, kernel %s)\n", f[0].a, f[3].a,
			a->facts->kernel ? a->facts->kernel : "unknown");
}

/* a markdown cell: '|' would end it */
static void md_cell(FILE *out, const char *s)
{
	fputs("| ", out);
	for (; *s; s++) {
		if (*s == '|')
			fputc('\\', out);
		fputc(*s, out);
	}
	fputc(' ', out);
}

static void print_markdown(const struct compare_side *a, const struct compare_side *b, const struct comparison *c,
			   const struct fact *f, size_t nf, FILE *out)
{
	char t[512], w[2][64], s[2][64], e[2][64], say[128], n[16];
	int same = 0;

	side_title(a, t, sizeof(t));
	fprintf(out, "**A**: %s  \n", t);
	side_title(b, t, sizeof(t));
	fprintf(out, "**B**: %s\n\n", t);
	if (c->nrows)
		fputs("| workload | N | A wall (s) | B wall (s) | A speedup | B speedup | A efficiency | B efficiency "
		      "| B against A |\n|---|--:|--:|--:|--:|--:|--:|--:|---|\n",
		      out);
	else
		fputs("No workload and worker count in common.\n", out);
	for (size_t i = 0; i < c->nrows; i++) {
		const struct row *r = &c->rows[i];

		fmt_wall(&r->a, w[0], sizeof(w[0]));
		fmt_wall(&r->b, w[1], sizeof(w[1]));
		fmt_iv(&r->a.speedup, s[0], sizeof(s[0]));
		fmt_iv(&r->b.speedup, s[1], sizeof(s[1]));
		fmt_iv(&r->a.eff, e[0], sizeof(e[0]));
		fmt_iv(&r->b.eff, e[1], sizeof(e[1]));
		compare_ratio_text(r->ratio, r->err, say, sizeof(say));
		snprintf(n, sizeof(n), "%d", r->n);
		md_cell(out, r->workload);
		md_cell(out, n);
		md_cell(out, w[0]);
		md_cell(out, w[1]);
		md_cell(out, s[0]);
		md_cell(out, s[1]);
		md_cell(out, e[0]);
		md_cell(out, e[1]);
		md_cell(out, say);
		fputs("|\n", out);
	}
	if (c->nrows)
		fputs("\nWall: mean ± standard error; speedup and efficiency: [95% interval].\n", out);
	for (size_t i = 0; i < c->nun; i++) {
		unmatched_text(&c->un[i], t, sizeof(t));
		fprintf(out, "%s- %s\n", i ? "" : "\nUnmatched:\n\n", t);
	}
	for (size_t i = 0; i < nf; i++)
		if (f[i].differs) {
			if (!same++)
				fputs("\n| differs | A | B |\n|---|---|---|\n", out);
			md_cell(out, f[i].name);
			md_cell(out, f[i].a);
			md_cell(out, f[i].b);
			fputs("|\n", out);
		}
	if (!same)
		fputs("\nMachine and conditions: the same.\n", out);
}

static void csv_num(FILE *out, double v, int digits)
{
	fputc(',', out);
	if (!isnan(v) && !isinf(v))
		fprintf(out, "%.*f", digits, v);
}

static void csv_side(FILE *out, const struct side_point *p)
{
	fprintf(out, ",%d", p->runs);
	csv_num(out, p->mean, 6);
	csv_num(out, p->sem, 6);
	csv_num(out, p->speedup.mid, 4);
	csv_num(out, p->speedup.lo, 4);
	csv_num(out, p->speedup.hi, 4);
	csv_num(out, p->eff.mid, 4);
	csv_num(out, p->eff.lo, 4);
	csv_num(out, p->eff.hi, 4);
}

/* One row per match: the table, for spreadsheets. The unmatched and the
 * machine facts are in the text, markdown and JSON forms. */
static void print_csv(const struct comparison *c, FILE *out)
{
	const char *side = "runs,wall_s,wall_sem,speedup,speedup_lo,speedup_hi,efficiency,efficiency_lo,efficiency_hi";

	fputs("workload,mode_a,mode_b,n_workers", out);
	for (const char *p = "ab"; *p; p++)
		for (const char *q = side; q;) {
			const char *comma = strchr(q, ',');

			fprintf(out, ",%c_%.*s", *p, comma ? (int)(comma - q) : (int)strlen(q), q);
			q = comma ? comma + 1 : NULL;
		}
	fputs(",ratio_a_over_b,ratio_error\n", out);
	for (size_t i = 0; i < c->nrows; i++) {
		const struct row *r = &c->rows[i];

		/* workload names are checked identifiers: no quoting needed */
		fprintf(out, "%s,%s,%s,%d", r->workload, r->mode_a, r->mode_b, r->n);
		csv_side(out, &r->a);
		csv_side(out, &r->b);
		csv_num(out, r->ratio, 4);
		csv_num(out, r->err, 4);
		fputc('\n', out);
	}
}

static json_object *jnum(double v)
{
	return isnan(v) || isinf(v) ? NULL : json_object_new_double(v);
}

static json_object *jiv(const struct interval *iv)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "value", jnum(iv->mid));
	json_object_object_add(o, "lo", jnum(iv->lo));
	json_object_object_add(o, "hi", jnum(iv->hi));
	return o;
}

static json_object *json_side_point(const struct side_point *p)
{
	json_object *o = json_object_new_object(), *w = json_object_new_object();

	json_object_object_add(o, "runs", json_object_new_int(p->runs));
	json_object_object_add(w, "mean", jnum(p->mean));
	json_object_object_add(w, "sem", jnum(p->sem));
	json_object_object_add(o, "wall_s", w);
	json_object_object_add(o, "speedup", jiv(&p->speedup));
	json_object_object_add(o, "efficiency", jiv(&p->eff));
	return o;
}

static json_object *json_campaign(const struct compare_side *s)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "db", json_object_new_string(s->db));
	json_object_object_add(o, "id", json_object_new_int64(s->id));
	json_object_object_add(o, "name", s->facts->name ? json_object_new_string(s->facts->name) : NULL);
	json_object_object_add(o, "started_at",
			       s->facts->started_at ? json_object_new_string(s->facts->started_at) : NULL);
	return o;
}

static void print_json(const struct compare_side *a, const struct compare_side *b, const struct comparison *c,
		       const struct fact *f, size_t nf, FILE *out)
{
	json_object *root = json_object_new_object(), *rows = json_object_new_array(),
		    *un = json_object_new_array(), *facts = json_object_new_array();
	char say[128];

	for (size_t i = 0; i < c->nrows; i++) {
		const struct row *r = &c->rows[i];
		json_object *o = json_object_new_object(), *ratio = json_object_new_object();

		json_object_object_add(o, "workload", json_object_new_string(r->workload));
		json_object_object_add(o, "mode_a", json_object_new_string(r->mode_a));
		json_object_object_add(o, "mode_b", json_object_new_string(r->mode_b));
		json_object_object_add(o, "n_workers", json_object_new_int(r->n));
		json_object_object_add(o, "a", json_side_point(&r->a));
		json_object_object_add(o, "b", json_side_point(&r->b));
		compare_ratio_text(r->ratio, r->err, say, sizeof(say));
		json_object_object_add(ratio, "a_over_b", jnum(r->ratio));
		json_object_object_add(ratio, "error", jnum(r->err));
		json_object_object_add(ratio, "text", json_object_new_string(say));
		json_object_object_add(o, "ratio", ratio);
		json_object_array_add(rows, o);
	}
	for (size_t i = 0; i < c->nun; i++) {
		json_object *o = json_object_new_object();
		char side[2] = { c->un[i].side, 0 };

		json_object_object_add(o, "workload", json_object_new_string(c->un[i].workload));
		json_object_object_add(o, "n_workers", c->un[i].n ? json_object_new_int(c->un[i].n) : NULL);
		json_object_object_add(o, "only_in", json_object_new_string(side));
		json_object_array_add(un, o);
	}
	for (size_t i = 0; i < nf; i++) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "fact", json_object_new_string(f[i].name));
		json_object_object_add(o, "a", json_object_new_string(f[i].a));
		json_object_object_add(o, "b", json_object_new_string(f[i].b));
		json_object_object_add(o, "differs", json_object_new_boolean(f[i].differs));
		json_object_array_add(facts, o);
	}
	json_object_object_add(root, "schema", json_object_new_string("scalprof-compare/1"));
	json_object_object_add(root, "a", json_campaign(a));
	json_object_object_add(root, "b", json_campaign(b));
	json_object_object_add(root, "matched", rows);
	json_object_object_add(root, "unmatched", un);
	json_object_object_add(root, "machine", facts);
	fputs(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE), out);
	fputc('\n', out);
	json_object_put(root);
}

void compare_print(const struct compare_side *a, const struct compare_side *b, enum compare_format fmt, FILE *out)
{
	struct comparison c;
	struct fact f[NFACTS];
	size_t nf;

	compare_build(a, b, &c);
	nf = facts_build(a->facts, b->facts, c.max_n, f);
	switch (fmt) {
	case COMPARE_CSV: print_csv(&c, out); break;
	case COMPARE_JSON: print_json(a, b, &c, f, nf, out); break;
	case COMPARE_MARKDOWN: print_markdown(a, b, &c, f, nf, out); break;
	default: print_text(a, b, &c, f, nf, out); break;
	}
	compare_free(&c);
}
