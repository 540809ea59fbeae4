/* flame.c: flame graphs from weighted stacks (see flame.h).
 *
 * The stacks are merged into a tree first (one node per distinct frame
 * path, children kept sorted by name), and both outputs walk that tree:
 * the folded text prints the paths where stacks end, the SVG draws every
 * node wide enough to see, root at the bottom as FlameGraph draws it.
 *
 * Sections:
 *   the frame tree   nodes, merging the stacks, measuring the drawing
 *   folded stacks    flame_folded
 *   text             UTF-8 to XML, truncation to a width, numbers
 *   colours          a palette per kind of frame; growth for diff graphs
 *   the SVG          header, one <g> per frame, the script, flame_svg
 *
 * Values that are negative or not finite count as 0: a flame graph has no
 * way to draw them, and one bad stack should not lose the others. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/flame.h"
#include "base/util.h"

/* ---- the frame tree ---------------------------------------------------- */

struct node {
	const char *name; /* borrowed from the input, which outlives the call */
	char kind;
	double value, base; /* inclusive: this node's stacks and its children's */
	double self;        /* the value of the stacks that end here */
	int ends;           /* some stack ends here (so folded prints a line) */
	size_t size;        /* nodes in this subtree, this one included */
	struct node *kids;  /* sorted by name, then kind */
	size_t nkids, cap;
};

static double weight(double v)
{
	return isfinite(v) && v > 0 ? v : 0;
}

/* One of flame.h's kinds; anything else is taken for user code, so that
 * the SVG's data-k never holds a character that needs escaping. */
static char known_kind(char kind)
{
	return kind == 'k' || kind == 'j' || kind == '?' ? kind : 'u';
}

static int frame_cmp(const char *name, char kind, const struct node *n)
{
	int c = strcmp(name, n->name);

	return c ? c : (kind > n->kind) - (kind < n->kind);
}

/* The child of p for (name, kind), inserted in order if new. Binary
 * search: a root or a dispatcher can have thousands of children. */
static struct node *child(struct node *p, const char *name, char kind)
{
	size_t lo = 0, hi = p->nkids;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = frame_cmp(name, kind, &p->kids[mid]);

		if (c == 0)
			return &p->kids[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (p->nkids == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 4;
		p->kids = xreallocarray(p->kids, p->cap, sizeof(*p->kids));
	}
	memmove(&p->kids[lo + 1], &p->kids[lo], (p->nkids - lo) * sizeof(*p->kids));
	p->nkids++;
	memset(&p->kids[lo], 0, sizeof(*p->kids));
	p->kids[lo].name = name;
	p->kids[lo].kind = kind;
	return &p->kids[lo];
}

static void tree_add(struct node *root, const struct flame_stack *s)
{
	double v = weight(s->value), b = weight(s->base);
	struct node *n = root;

	root->value += v;
	root->base += b;
	for (size_t i = 0; i < s->depth; i++) {
		const struct flame_frame *f = &s->frames[i];

		n = child(n, f->name ? f->name : "", known_kind(f->kind));
		n->value += v;
		n->base += b;
	}
	n->self += v;
	n->ends = 1;
}

static void tree_build(struct node *root, const struct flame_input *in)
{
	memset(root, 0, sizeof(*root));
	root->name = "all";
	root->kind = 'u';
	for (size_t i = 0; i < in->nstacks; i++)
		tree_add(root, &in->stacks[i]);
}

/* The children's arrays; the root itself is the caller's. */
static void tree_free(struct node *n)
{
	for (size_t i = 0; i < n->nkids; i++)
		tree_free(&n->kids[i]);
	free(n->kids);
}

/* ---- folded stacks ----------------------------------------------------- */

/* A frame as folded text: ';' would split it into two frames and a
 * control character (a newline) would end the line, so both become '_'. */
static void put_folded_name(FILE *out, const struct node *n)
{
	for (const unsigned char *s = (const unsigned char *)n->name; *s; s++)
		fputc(*s == ';' || *s < 0x20 || *s == 0x7f ? '_' : *s, out);
	if (n->kind == 'k')
		fputs("_[k]", out);
}

/* Depth first, a node's own line before its children's: the order of the
 * tree, frame by frame, which is the order the SVG draws them in. */
static void folded_walk(FILE *out, const struct node *n, const struct node **path, size_t depth)
{
	if (depth > 0 && n->ends && n->self > 0) {
		for (size_t i = 0; i < depth; i++) {
			if (i)
				fputc(';', out);
			put_folded_name(out, path[i]);
		}
		fprintf(out, " %.0f\n", n->self);
	}
	for (size_t i = 0; i < n->nkids; i++) {
		path[depth] = &n->kids[i];
		folded_walk(out, &n->kids[i], path, depth + 1);
	}
}

static size_t max_depth(const struct flame_input *in)
{
	size_t m = 0;

	for (size_t i = 0; i < in->nstacks; i++)
		if (in->stacks[i].depth > m)
			m = in->stacks[i].depth;
	return m;
}

/* Flushes and reports what the stream saw: the one place a write error
 * becomes -errno. */
static int finish(FILE *out)
{
	if (fflush(out) != 0 || ferror(out))
		return errno ? -errno : -EIO;
	return 0;
}

int flame_folded(FILE *out, const struct flame_input *in)
{
	struct node root;
	const struct node **path = xcalloc(max_depth(in) + 1, sizeof(*path));

	tree_build(&root, in);
	errno = 0;
	folded_walk(out, &root, path, 0);
	tree_free(&root);
	free(path);
	return finish(out);
}

/* ---- text -------------------------------------------------------------- */

/* The length of the UTF-8 sequence that byte b starts; 0 if none. */
static size_t utf8_len(unsigned char b)
{
	if (b < 0x80)
		return 1;
	if (b >= 0xc2 && b < 0xe0)
		return 2;
	if (b >= 0xe0 && b < 0xf0)
		return 3;
	if (b >= 0xf0 && b < 0xf5)
		return 4;
	return 0;
}

/* Decodes one UTF-8 character of s (not at its end); returns the bytes it
 * took, at least 1. A byte that starts no valid sequence (names come from
 * binaries anyone can build) decodes as U+FFFD on its own. */
static size_t utf8_next(const unsigned char *s, uint32_t *ret_cp)
{
	static const uint32_t min[] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t len = utf8_len(s[0]);
	uint32_t cp;

	if (len == 0) {
		*ret_cp = 0xfffd;
		return 1;
	}
	cp = len == 1 ? s[0] : s[0] & (0x3f >> (len - 1));
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*ret_cp = 0xfffd;
			return 1;
		}
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min[len] || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000))
		cp = 0xfffd;
	*ret_cp = cp;
	return len;
}

static void put_utf8(FILE *out, uint32_t cp)
{
	if (cp < 0x80) {
		fputc((int)cp, out);
	} else if (cp < 0x800) {
		fputc((int)(0xc0 | cp >> 6), out);
		fputc((int)(0x80 | (cp & 0x3f)), out);
	} else if (cp < 0x10000) {
		fputc((int)(0xe0 | cp >> 12), out);
		fputc((int)(0x80 | (cp >> 6 & 0x3f)), out);
		fputc((int)(0x80 | (cp & 0x3f)), out);
	} else {
		fputc((int)(0xf0 | cp >> 18), out);
		fputc((int)(0x80 | (cp >> 12 & 0x3f)), out);
		fputc((int)(0x80 | (cp >> 6 & 0x3f)), out);
		fputc((int)(0x80 | (cp & 0x3f)), out);
	}
}

/* Writes at most nchars characters of s as XML text or attribute value:
 * the five markup characters as entities, and what XML 1.0 cannot hold at
 * all (control characters, U+FFFE/FFFF, broken UTF-8) as U+FFFD, so that
 * any name leaves the document well-formed. */
static void put_xml_n(FILE *out, const char *s, size_t nchars)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0; *p && i < nchars; i++) {
		uint32_t cp;

		p += utf8_next(p, &cp);
		if (cp < 0x20 || cp == 0xfffe || cp == 0xffff)
			cp = 0xfffd;
		if (cp == '<')
			fputs("&lt;", out);
		else if (cp == '>')
			fputs("&gt;", out);
		else if (cp == '&')
			fputs("&amp;", out);
		else if (cp == '"')
			fputs("&quot;", out);
		else if (cp == '\'')
			fputs("&apos;", out);
		else
			put_utf8(out, cp);
	}
}

static void put_xml(FILE *out, const char *s)
{
	put_xml_n(out, s, SIZE_MAX);
}

static size_t utf8_chars(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;
	uint32_t cp;

	for (; *p; n++)
		p += utf8_next(p, &cp);
	return n;
}

/* "12,345": whole numbers grouped by thousands; a small fraction keeps
 * three significant digits, or 0.4 ms would read "0". */
static void fmt_value(double v, char *buf, size_t len)
{
	char digits[64];
	size_t n, o = 0;
	int neg = v < 0;

	if (fabs(v) < 100 && v != rint(v)) {
		snprintf(buf, len, "%.3g", v);
		return;
	}
	snprintf(digits, sizeof(digits), "%.0f", fabs(v));
	n = strlen(digits);
	if (neg && o + 1 < len)
		buf[o++] = '-';
	for (size_t i = 0; i < n && o + 1 < len; i++) {
		if (i && (n - i) % 3 == 0 && o + 2 < len)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
}

/* "23.4%", with a second decimal below 1% so that small frames are not
 * all "0.0%". */
static void fmt_share(double share, char *buf, size_t len)
{
	if (share < 0.01)
		snprintf(buf, len, "%.2f%%", share * 100);
	else
		snprintf(buf, len, "%.1f%%", share * 100);
}

/* The growth against the baseline: "+12.3% vs baseline (+1,234)", or
 * "new: not in the baseline" when it had none. */
static void fmt_growth(double value, double base, char *buf, size_t len)
{
	char delta[64];

	fmt_value(value - base, delta, sizeof(delta));
	if (base > 0)
		snprintf(buf, len, "%+.1f%% vs baseline (%s%s)", (value - base) / base * 100, value >= base ? "+" : "",
			 delta);
	else if (value > 0)
		snprintf(buf, len, "new: not in the baseline (+%s)", delta);
	else
		snprintf(buf, len, "in neither");
}

/* ---- colours ----------------------------------------------------------- */

/* FNV-1a: the same name gets the same colour in every graph, so that two
 * graphs side by side can be compared by eye. */
static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static void rgb(char out[8], double r, double g, double b)
{
	snprintf(out, 8, "#%02x%02x%02x", (int)lrint(r), (int)lrint(g), (int)lrint(b));
}

/* A palette per kind: warm red to yellow for user code (FlameGraph's
 * "hot"), brown for the kernel (its own family, apart from the warm user
 * frames and darker), green for JIT code, grey for what was not resolved.
 * Three bytes of the hash vary the shade inside the family. */
static void frame_colour(const struct node *n, char out[8])
{
	uint32_t h = name_hash(n->name);
	double v1 = (h & 0xff) / 255.0, v2 = (h >> 8 & 0xff) / 255.0, v3 = (h >> 16 & 0xff) / 255.0;

	switch (n->kind) {
	case 'k':
		rgb(out, 170 + 35 * v1, 100 + 35 * v2, 40 + 30 * v3);
		break;
	case 'j':
		rgb(out, 80 + 60 * v1, 185 + 45 * v2, 70 + 50 * v3);
		break;
	case '?':
		rgb(out, 175 + 35 * v1, 175 + 35 * v1, 175 + 35 * v1);
		break;
	default:
		rgb(out, 225 + 30 * v1, 60 + 170 * v2, 20 + 45 * v3);
	}
}

/* Diff: red for growth, blue for shrinkage, deeper with |growth| / scale;
 * near zero a light grey, pale enough to read as "no change" and dark
 * enough to stand out from the background. */
static void growth_colour(double growth, double scale, char out[8])
{
	double t = scale > 0 ? fmin(1, fabs(growth) / scale) : 0, pale = 228 * (1 - t);

	if (growth > 0)
		rgb(out, 255, pale, pale);
	else if (growth < 0)
		rgb(out, pale, pale, 255);
	else
		rgb(out, 228, 228, 228);
}

/* ---- the SVG ----------------------------------------------------------- */

#define SVG_WIDTH   1200
#define X_PAD       10
#define FRAME_H     16
#define FONT_SIZE   12
#define CHAR_W      (0.59 * FONT_SIZE) /* Verdana's average, as FlameGraph takes it */
#define TEXT_PAD    3
#define MIN_SHARE   0.001 /* of the total: narrower frames are not drawn */
#define DIFF_FLOOR  0.01  /* diff colours: growth under 1% of the total stays pale */
#define BOTTOM_PAD  34    /* the details line */

struct svg {
	FILE *out;
	const struct flame_input *in;
	double total;     /* the root's value: the full width */
	double scale;     /* diff: the growth drawn deepest */
	size_t maxdepth;  /* of the drawn frames, the root 0 */
	size_t hidden;    /* frames too narrow to draw */
	size_t next;      /* pre-order index of the next node */
	int top, height;  /* frames start at top; the SVG's height */
};

static int drawn(const struct svg *g, const struct node *n)
{
	return n->value > 0 && n->value >= MIN_SHARE * g->total;
}

/* Before drawing: subtree sizes (the script's ancestry test), the depth
 * of the drawing, how many frames are left out, the largest growth. */
static void measure(struct svg *g, struct node *n, size_t depth)
{
	if (drawn(g, n)) {
		if (depth > g->maxdepth)
			g->maxdepth = depth;
		if (fabs(n->value - n->base) > g->scale)
			g->scale = fabs(n->value - n->base);
	} else if (g->total > 0) {
		g->hidden++; /* and its children, none wider than it, in turn */
	}
	n->size = 1;
	for (size_t i = 0; i < n->nkids; i++) {
		measure(g, &n->kids[i], depth + 1);
		n->size += n->kids[i].size;
	}
}

static void put_title(struct svg *g, const struct node *n)
{
	const struct flame_input *in = g->in;
	char v[64], share[32], growth[128];

	fmt_value(n->value, v, sizeof(v));
	fmt_share(n->value / g->total, share, sizeof(share));
	fputs("<title>", g->out);
	put_xml(g->out, n->name);
	if (n->kind == 'k')
		fputs(" [kernel]", g->out);
	fprintf(g->out, " (%s ", v);
	put_xml(g->out, in->unit ? in->unit : "samples");
	fprintf(g->out, ", %s", share);
	if (in->diff) {
		fmt_growth(n->value, n->base, growth, sizeof(growth));
		fprintf(g->out, "; %s", growth);
	}
	fputs(")</title>", g->out);
}

/* The frame's name cut to what fits in w pixels, ".." marking a cut;
 * nothing when not even three characters fit. The script does the same
 * when a zoom changes the width. */
static void put_label(FILE *out, const char *name, double w)
{
	long fit = lrint(floor((w - 2 * TEXT_PAD) / CHAR_W));

	if (fit < 3)
		return;
	if (utf8_chars(name) <= (size_t)fit) {
		put_xml(out, name);
		return;
	}
	put_xml_n(out, name, (size_t)fit - 2);
	fputs("..", out);
}

static void put_frame(struct svg *g, const struct node *n, size_t depth, double off, size_t index)
{
	double full = SVG_WIDTH - 2 * X_PAD, x = X_PAD + off / g->total * full, w = n->value / g->total * full;
	double y = g->top + (double)(g->maxdepth - depth) * FRAME_H;
	char fill[8], v[32];

	if (g->in->diff)
		growth_colour(n->value - n->base, fmax(g->scale, DIFF_FLOOR * g->total), fill);
	else
		frame_colour(n, fill);
	snprintf(v, sizeof(v), "%.6g", n->value);
	fputs("<g class=\"f\" data-n=\"", g->out);
	put_xml(g->out, n->name);
	fprintf(g->out, "\" data-k=\"%c\" data-v=\"%s\"", n->kind, v);
	if (g->in->diff)
		fprintf(g->out, " data-b=\"%.6g\"", n->base);
	fprintf(g->out, " data-d=\"%zu\" data-i=\"%zu\" data-e=\"%zu\">", depth, index, index + n->size - 1);
	put_title(g, n);
	fprintf(g->out, "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%d\" rx=\"2\" fill=\"%s\"/>", x, y, w,
		FRAME_H - 1, fill);
	fprintf(g->out, "<text x=\"%.2f\" y=\"%.1f\">", x + TEXT_PAD, y + 11.5);
	put_label(g->out, n->name, w);
	fputs("</text></g>\n", g->out);
}

/* Pre-order, so that a subtree's indices run from its root's on for
 * size nodes; off is the value to the node's left at its depth. */
static void draw(struct svg *g, const struct node *n, size_t depth, double off)
{
	size_t index = g->next;

	g->next += n->size;
	if (!drawn(g, n))
		return;
	put_frame(g, n, depth, off, index);
	g->next = index + 1;
	for (size_t i = 0; i < n->nkids; i++) {
		draw(g, &n->kids[i], depth + 1, off);
		off += n->kids[i].value;
	}
}

static const char svg_style[] =
	"<style type=\"text/css\">\n"
	"text { font-family: Verdana, 'DejaVu Sans', sans-serif; font-size: 12px; fill: #000; }\n"
	"#title { font-size: 17px; text-anchor: middle; }\n"
	"#subtitle { fill: #555; text-anchor: middle; }\n"
	"#reset { cursor: pointer; fill: #1a5fb4; text-decoration: underline; }\n"
	".f { cursor: pointer; }\n"
	".f:hover rect { stroke: #000; stroke-width: 0.5; }\n"
	".f.parent { opacity: 0.5; }\n"
	"</style>\n";

/* The interaction, in the SVG so that the file works alone: hover puts
 * the frame's <title> (name, value, share, growth) in the details line;
 * click zooms (the frame and its ancestors full width, its subtree
 * scaled, the rest hidden, labels cut again); "Reset zoom" undoes it.
 * Ancestry comes from the pre-order indices data-i..data-e, not from
 * geometry, so rounding cannot confuse it. */
static const char svg_script[] =
	"<script type=\"text/ecmascript\"><![CDATA[\n"
	"(function () {\n"
	"\t\"use strict\";\n"
	"\tvar svg = document.documentElement;\n"
	"\tvar X0 = +svg.getAttribute(\"data-x0\"), FULL = +svg.getAttribute(\"data-full\");\n"
	"\tvar CHAR_W = +svg.getAttribute(\"data-charw\"), PAD = +svg.getAttribute(\"data-pad\");\n"
	"\tvar frames = Array.prototype.slice.call(document.querySelectorAll(\"g.f\"));\n"
	"\tvar details = document.getElementById(\"details\"), reset = document.getElementById(\"reset\");\n"
	"\tvar hint = details.textContent;\n"
	"\tframes.forEach(function (g) {\n"
	"\t\tvar r = g.querySelector(\"rect\");\n"
	"\t\tg.ox = +r.getAttribute(\"x\");\n"
	"\t\tg.ow = +r.getAttribute(\"width\");\n"
	"\t\tg.i = +g.getAttribute(\"data-i\");\n"
	"\t\tg.e = +g.getAttribute(\"data-e\");\n"
	"\t});\n"
	"\tfunction place(g, x, w) {\n"
	"\t\tvar name = Array.from(g.getAttribute(\"data-n\")), t = g.querySelector(\"text\");\n"
	"\t\tvar fit = Math.floor((w - 2 * PAD) / CHAR_W);\n"
	"\t\tvar r = g.querySelector(\"rect\");\n"
	"\t\tr.setAttribute(\"x\", x.toFixed(2));\n"
	"\t\tr.setAttribute(\"width\", w.toFixed(2));\n"
	"\t\tt.setAttribute(\"x\", (x + PAD).toFixed(2));\n"
	"\t\tt.textContent = fit < 3 ? \"\" : name.length <= fit ? name.join(\"\") : name.slice(0, fit - 2).join(\"\") + \"..\";\n"
	"\t}\n"
	"\tfunction frameOf(node) {\n"
	"\t\tfor (; node && node !== svg; node = node.parentNode)\n"
	"\t\t\tif (node.classList && node.classList.contains(\"f\"))\n"
	"\t\t\t\treturn node;\n"
	"\t\treturn null;\n"
	"\t}\n"
	"\tfunction zoom(z) {\n"
	"\t\tvar k = FULL / z.ow;\n"
	"\t\tframes.forEach(function (g) {\n"
	"\t\t\tif (g.i <= z.i && z.i <= g.e) {\n"
	"\t\t\t\tg.style.display = \"\";\n"
	"\t\t\t\tg.classList.toggle(\"parent\", g !== z);\n"
	"\t\t\t\tplace(g, X0, FULL);\n"
	"\t\t\t} else if (z.i < g.i && g.i <= z.e) {\n"
	"\t\t\t\tg.style.display = \"\";\n"
	"\t\t\t\tg.classList.remove(\"parent\");\n"
	"\t\t\t\tplace(g, X0 + (g.ox - z.ox) * k, g.ow * k);\n"
	"\t\t\t} else {\n"
	"\t\t\t\tg.style.display = \"none\";\n"
	"\t\t\t}\n"
	"\t\t});\n"
	"\t\treset.style.display = \"\";\n"
	"\t}\n"
	"\tfunction unzoom() {\n"
	"\t\tframes.forEach(function (g) {\n"
	"\t\t\tg.style.display = \"\";\n"
	"\t\t\tg.classList.remove(\"parent\");\n"
	"\t\t\tplace(g, g.ox, g.ow);\n"
	"\t\t});\n"
	"\t\treset.style.display = \"none\";\n"
	"\t}\n"
	"\tsvg.addEventListener(\"mouseover\", function (e) {\n"
	"\t\tvar g = frameOf(e.target);\n"
	"\t\tif (g)\n"
	"\t\t\tdetails.textContent = g.querySelector(\"title\").textContent;\n"
	"\t});\n"
	"\tsvg.addEventListener(\"mouseout\", function (e) {\n"
	"\t\tif (frameOf(e.target))\n"
	"\t\t\tdetails.textContent = hint;\n"
	"\t});\n"
	"\tsvg.addEventListener(\"click\", function (e) {\n"
	"\t\tvar g = frameOf(e.target);\n"
	"\t\tif (e.target === reset)\n"
	"\t\t\tunzoom();\n"
	"\t\telse if (g)\n"
	"\t\t\tzoom(g);\n"
	"\t});\n"
	"})();\n"
	"]]></script>\n";

static void put_header(struct svg *g, const struct node *root)
{
	const struct flame_input *in = g->in;
	FILE *out = g->out;

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n", out);
	fprintf(out, "<svg version=\"1.1\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
		     " viewBox=\"0 0 %d %d\" data-x0=\"%d\" data-full=\"%d\" data-charw=\"%.3f\" data-pad=\"%d\">\n",
		SVG_WIDTH, g->height, SVG_WIDTH, g->height, X_PAD, SVG_WIDTH - 2 * X_PAD, CHAR_W, TEXT_PAD);
	fputs(svg_style, out);
	fprintf(out, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#f7f7f2\"/>\n", SVG_WIDTH, g->height);
	fprintf(out, "<text id=\"title\" x=\"%d\" y=\"24\">%s", SVG_WIDTH / 2, in->diff ? "Differential: " : "");
	put_xml(out, in->title ? in->title : "flame graph");
	fputs("</text>\n", out);
	if (in->subtitle) {
		fprintf(out, "<text id=\"subtitle\" x=\"%d\" y=\"44\">", SVG_WIDTH / 2);
		put_xml(out, in->subtitle);
		fputs("</text>\n", out);
	}
	fprintf(out, "<text id=\"reset\" x=\"%d\" y=\"24\" style=\"display:none\">Reset zoom</text>\n", X_PAD);
	if (root->value <= 0)
		fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">no samples</text>\n", SVG_WIDTH / 2,
			g->top + FRAME_H - 4);
	/* the legend shares the details line: hovering shows a frame there,
	 * and leaving it brings the legend back */
	fprintf(out, "<text id=\"details\" x=\"%d\" y=\"%d\">hover a frame for details, click to zoom", X_PAD,
		g->height - 12);
	if (in->diff)
		fputs("; red grew, blue shrank against the baseline, widths are this run's", out);
	if (g->hidden)
		fprintf(out, "; %zu frame%s under 0.1%% of the width not drawn", g->hidden, g->hidden == 1 ? "" : "s");
	fputs("</text>\n", out);
}

int flame_svg(FILE *out, const struct flame_input *in)
{
	struct svg g = { .out = out, .in = in };
	struct node root;

	tree_build(&root, in);
	g.total = root.value;
	measure(&g, &root, 0);
	g.top = in->subtitle ? 56 : 40;
	g.height = g.top + (int)(g.maxdepth + 1) * FRAME_H + BOTTOM_PAD;
	errno = 0;
	put_header(&g, &root);
	fputs("<g id=\"frames\">\n", out);
	draw(&g, &root, 0, 0);
	fputs("</g>\n", out);
	fputs(svg_script, out);
	fputs("</svg>\n", out);
	tree_free(&root);
	return finish(out);
}
