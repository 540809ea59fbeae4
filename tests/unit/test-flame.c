/* test-flame.c: flame graphs (analysis/flame.h) from a fixture of stacks
 * made by hand: the folded text exactly (identical stacks merged, kernel
 * frames marked "_[k]", the tree's order, names that would break a line);
 * the SVG well-formed (python3's XML parser), one drawn frame per node
 * wide enough, widths in proportion to the values, hostile names escaped;
 * diff colours red for a frame that grew and blue for one that shrank;
 * write errors returned as -errno (/dev/full).
 *
 * With FLAME_SVG=PATH (and FLAME_DIFF_SVG=PATH) in the environment the
 * fixture's graphs are also written there, for the browser test
 * (t1100-flamegraph-browser.sh). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/flame.h"
#include "tap.h"

#define F(n, k) { n, k }

static const struct flame_frame s_bar[] = { F("main", 'u'), F("foo", 'u'), F("bar", 'u') };
static const struct flame_frame s_foo[] = { F("main", 'u'), F("foo", 'u') };
static const struct flame_frame s_kern[] = { F("main", 'u'), F("baz", 'u'), F("clear_page_erms", 'k') };
static const struct flame_frame s_vec[] = { F("main", 'u'), F("std::vector<int>::push_back", 'u') };
static const struct flame_frame s_mod[] = { F("<module>", 'u'), F("a&b \"q\" 'x'", 'u') };
static const struct flame_frame s_jit[] = { F("main", 'u'), F("py::compute", 'j') };
static const struct flame_frame s_unres[] = { F("main", 'u'), F("libfoo.so+0x1a2b", '?') };
static const struct flame_frame s_tiny[] = { F("main", 'u'), F("tiny", 'u') };
static const struct flame_frame s_gone[] = { F("main", 'u'), F("gone", 'u') };

/* 1320.6 in all; "tiny" is 0.05% of it, under the 0.1% drawn. bar comes
 * as two stacks (600 + 200) to be merged. Bases for the diff: bar doubled
 * (400 -> 800), the kernel frame halved (600 -> 300), "gone" only in the
 * baseline. */
static const struct flame_stack stacks[] = {
	{ s_bar, 3, 600, 200 },  { s_foo, 2, 100, 100 },   { s_kern, 3, 300, 600 }, { s_bar, 3, 200, 200 },
	{ s_vec, 2, 50, 50 },    { s_mod, 2, 40, 40 },     { s_jit, 2, 20, 20 },    { s_unres, 2, 10, 10 },
	{ s_tiny, 2, 0.6, 0.6 }, { s_gone, 2, 0, 50 },
};

static const struct flame_input fixture = {
	.stacks = stacks,
	.nstacks = sizeof(stacks) / sizeof(stacks[0]),
	.title = "fixture: <test> & \"flame\"",
	.subtitle = "hand-made stacks, 1320.6 samples",
	.unit = "samples",
};

/* The whole output of fn on in, as a string (free it). */
static char *render(int (*fn)(FILE *, const struct flame_input *), const struct flame_input *in, int *ret_rc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	*ret_rc = fn(f, in);
	fclose(f);
	return buf;
}

static void test_folded(void)
{
	int rc;
	char *got = render(flame_folded, &fixture, &rc);

	is_int(rc, 0, "folded: returns 0");
	is_str(got,
	       "<module>;a&b \"q\" 'x' 40\n"
	       "main;baz;clear_page_erms_[k] 300\n"
	       "main;foo 100\n"
	       "main;foo;bar 800\n"
	       "main;libfoo.so+0x1a2b 10\n"
	       "main;py::compute 20\n"
	       "main;std::vector<int>::push_back 50\n"
	       "main;tiny 1\n",
	       "folded: identical stacks merged, kernel marked, tree order, values rounded, baseline-only left out");
	free(got);
}

static void test_folded_hostile(void)
{
	static const struct flame_frame s[] = { F("a;b\nc", 'u'), F("ok", 'x') };
	static const struct flame_stack st[] = { { s, 2, 7, 0 } };
	struct flame_input in = { .stacks = st, .nstacks = 1, .unit = "samples" };
	int rc;
	char *got = render(flame_folded, &in, &rc);

	is_str(got, "a_b_c;ok 7\n", "folded: ';' and a newline in a name cannot split frames or lines");
	free(got);
}

static int count(const char *s, const char *needle)
{
	int n = 0;

	for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* The value of attribute attr in the first element after the frame whose
 * data-n is name (escaped as in the SVG); NAN when absent. */
static double frame_attr(const char *svg, const char *name, const char *elem, const char *attr)
{
	char key[256];
	const char *p;

	snprintf(key, sizeof(key), "data-n=\"%s\"", name);
	if (!(p = strstr(svg, key)) || !(p = strstr(p, elem)))
		return NAN;
	snprintf(key, sizeof(key), " %s=\"", attr);
	if (!(p = strstr(p, key)))
		return NAN;
	return strtod(p + strlen(key), NULL);
}

/* The fill of frame name: "#rrggbb" into out[8]. */
static void frame_fill(const char *svg, const char *name, char out[8])
{
	char key[256];
	const char *p;

	snprintf(key, sizeof(key), "data-n=\"%s\"", name);
	strcpy(out, "?");
	if ((p = strstr(svg, key)) && (p = strstr(p, "fill=\"#")))
		snprintf(out, 8, "%.7s", p + 6);
}

static int well_formed(const char *svg, const char *path)
{
	char cmd[512];
	FILE *f = fopen(path, "w");

	if (!f)
		return 0;
	fputs(svg, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "python3 -c 'import xml.dom.minidom,sys; xml.dom.minidom.parse(sys.argv[1])' '%s'",
		 path);
	return system(cmd) == 0;
}

/* Writes svg to the path in environment variable var, if it is set. */
static void keep(const char *svg, const char *var)
{
	const char *path = getenv(var);
	FILE *f;

	if (!path)
		return;
	f = fopen(path, "w");
	ok(f && fputs(svg, f) >= 0 && fclose(f) == 0, "wrote the SVG to $%s (%s)", var, path);
}

static void test_svg(const char *tmp)
{
	int rc;
	char *svg = render(flame_svg, &fixture, &rc);
	double full, bar, foo, all_x, bar_x, foo_x;

	is_int(rc, 0, "svg: returns 0");
	ok(well_formed(svg, tmp), "svg: well-formed XML");
	/* all, main, foo, bar, baz, clear_page_erms, the vector, py::compute,
	 * libfoo, <module>, a&b: 11; tiny and gone are not drawn */
	is_int(count(svg, "<g class=\"f\""), 11, "svg: one frame per node wide enough to draw");
	ok(!strstr(svg, "data-n=\"tiny\""), "svg: a frame under 0.1%% of the width is not drawn");
	ok(strstr(svg, "2 frames under 0.1% of the width not drawn") != NULL, "svg: but counted (tiny, gone)");
	full = frame_attr(svg, "all", "<rect", "width");
	bar = frame_attr(svg, "bar", "<rect", "width");
	foo = frame_attr(svg, "foo", "<rect", "width");
	ok(fabs(full - 1180) < 0.01, "svg: the root spans the width (%.2f)", full);
	ok(fabs(bar / full - 800 / 1320.6) < 1e-4, "svg: bar's width is its share (%.2f of %.2f)", bar, full);
	ok(fabs(bar / foo - 800.0 / 900) < 1e-4, "svg: bar against foo, 800 to 900 (%.2f : %.2f)", bar, foo);
	all_x = frame_attr(svg, "all", "<rect", "y");
	bar_x = frame_attr(svg, "bar", "<rect", "y");
	foo_x = frame_attr(svg, "foo", "<rect", "y");
	ok(all_x > foo_x && foo_x > bar_x && foo_x - bar_x == 16, "svg: root at the bottom, a frame 16 above its parent");
	ok(strstr(svg, "<title>bar (800 samples, 60.6%)</title>") != NULL, "svg: bar's tooltip: value, unit and share");
	ok(strstr(svg, "<title>clear_page_erms [kernel] (300 samples, 22.7%)</title>") != NULL,
	   "svg: a kernel frame's tooltip says so");
	ok(strstr(svg, "data-n=\"std::vector&lt;int&gt;::push_back\"") && strstr(svg, "&lt;module&gt;") &&
		   strstr(svg, "data-n=\"a&amp;b &quot;q&quot; &apos;x&apos;\"") &&
		   strstr(svg, "fixture: &lt;test&gt; &amp; &quot;flame&quot;") && !strstr(svg, "<int>") &&
		   !strstr(svg, "<module>") && !strstr(svg, "<test>"),
	   "svg: names and title escaped");
	ok(strstr(svg, "<![CDATA[") && strstr(svg, "id=\"details\"") && strstr(svg, "id=\"reset\""),
	   "svg: the script, the details line and the reset control are there");
	keep(svg, "FLAME_SVG");
	free(svg);
}

static int is_red(const char *c)
{
	unsigned r, g, b;

	return sscanf(c, "#%2x%2x%2x", &r, &g, &b) == 3 && r == 255 && g < 200 && g == b;
}

static int is_blue(const char *c)
{
	unsigned r, g, b;

	return sscanf(c, "#%2x%2x%2x", &r, &g, &b) == 3 && b == 255 && r < 200 && r == g;
}

static void test_diff(const char *tmp)
{
	struct flame_input in = fixture;
	char c_bar[8], c_kern[8], c_vec[8];
	int rc;
	char *svg;

	in.diff = 1;
	svg = render(flame_svg, &in, &rc);
	is_int(rc, 0, "diff: returns 0");
	ok(well_formed(svg, tmp), "diff: well-formed XML");
	ok(strstr(svg, ">Differential: ") != NULL, "diff: the title says differential");
	frame_fill(svg, "bar", c_bar);
	frame_fill(svg, "clear_page_erms", c_kern);
	frame_fill(svg, "std::vector&lt;int&gt;::push_back", c_vec);
	ok(is_red(c_bar), "diff: bar grew 400 -> 800: red (%s)", c_bar);
	ok(is_blue(c_kern), "diff: the kernel frame shrank 600 -> 300: blue (%s)", c_kern);
	is_str(c_vec, "#e4e4e4", "diff: unchanged: a light grey");
	ok(strstr(svg, "<title>bar (800 samples, 60.6%; +100.0% vs baseline (+400))</title>") != NULL,
	   "diff: bar's tooltip says +100.0%% vs baseline");
	ok(strstr(svg, "clear_page_erms [kernel] (300 samples, 22.7%; -50.0% vs baseline (-300))") != NULL,
	   "diff: the kernel frame's says -50.0%%");
	keep(svg, "FLAME_DIFF_SVG");
	free(svg);
}

static void test_empty(const char *tmp)
{
	struct flame_input in = { .title = "nothing", .unit = "samples" };
	int rc;
	char *svg = render(flame_svg, &in, &rc), *folded;

	is_int(rc, 0, "empty: returns 0");
	ok(well_formed(svg, tmp) && strstr(svg, "no samples") && !strstr(svg, "<g class=\"f\""),
	   "empty: a well-formed SVG saying no samples, no frames");
	free(svg);
	folded = render(flame_folded, &in, &rc);
	is_str(folded, "", "empty: no folded lines");
	free(folded);
}

/* Names no compiler would make, but a binary can hold: broken UTF-8,
 * control characters, a name of 10k characters; the SVG stays XML. */
static void test_hostile(const char *tmp)
{
	char *longname = malloc(10001);
	struct flame_frame s1[] = { F("bad\x01\xff\xc3(x]]>", 'u'), F("\xe2\x82\xac euro \xf0\x9f\x94\xa5", 'k') };
	struct flame_frame s2[] = { F(longname, '!'), F(NULL, 'j') };
	struct flame_stack st[] = { { s1, 2, 5, 0 }, { s2, 2, 5, NAN }, { s1, 1, -3, INFINITY } };
	struct flame_input in = { .stacks = st, .nstacks = 3, .title = "\x02", .unit = "<ms>", .diff = 1 };
	int rc;
	char *svg;

	memset(longname, 'A', 10000);
	longname[10000] = '\0';
	svg = render(flame_svg, &in, &rc);
	is_int(rc, 0, "hostile names: returns 0");
	ok(well_formed(svg, tmp), "hostile names: still well-formed XML");
	ok(strstr(svg, "(10 &lt;ms&gt;, 100.0%") != NULL, "hostile names: negative and NaN weights count as 0");
	ok(strstr(svg, "AAAA..</text>") != NULL, "hostile names: a long name cut with '..' to fit");
	ok(strstr(svg, "\xe2\x82\xac euro \xf0\x9f\x94\xa5") != NULL, "hostile names: valid UTF-8 kept as it is");
	free(svg);
	free(longname);
}

static void test_write_error(void)
{
	FILE *f = fopen("/dev/full", "w");

	if (!f) {
		ok(1, "# skip no /dev/full");
		ok(1, "# skip no /dev/full");
		return;
	}
	is_int(flame_svg(f, &fixture), -ENOSPC, "svg: a full disk is -ENOSPC");
	clearerr(f);
	is_int(flame_folded(f, &fixture), -ENOSPC, "folded: a full disk is -ENOSPC");
	fclose(f);
}

int main(void)
{
	char tmp[] = "/tmp/test-flame.XXXXXX";
	int fd = mkstemp(tmp);

	if (fd < 0) {
		perror("mkstemp");
		return 1;
	}
	close(fd);
	test_folded();
	test_folded_hostile();
	test_svg(tmp);
	test_diff(tmp);
	test_empty(tmp);
	test_hostile(tmp);
	test_write_error();
	unlink(tmp);
	return done_testing();
}
