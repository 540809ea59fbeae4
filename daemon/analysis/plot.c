/* plot.c: the campaign figures through gnuplot (see plot.h). The script goes
 * to gnuplot's standard input with the data inline, so nothing is left in
 * temporary files. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "analysis/plot.h"
#include "base/util.h"

/* A gnuplot single-quoted string: a quote is doubled. */
static void put_quoted(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputc('\'', f);
		if (*s != '\n')
			fputc(*s, f);
	}
	fputc('\'', f);
}

static void put_value(FILE *f, double v)
{
	if (isnan(v))
		fputs(" NaN", f);
	else
		fprintf(f, " %.6g", v);
}

static int any(const struct plot_panel *p, size_t field)
{
	for (size_t i = 0; i < p->npts; i++) {
		const double *v = (const double *)((const char *)&p->pts[i] + field);

		if (!isnan(*v))
			return 1;
	}
	return 0;
}

/* The speedup stack: one stacked bar per N above 1. */
static void write_stack(FILE *f, const struct plot_panel *p, size_t idx)
{
	static const char *const colours[SC_COUNT] = { "#4477aa", "#ee6677", "#ccbb44", "#bbbbbb", "#aa3377" };
	int has = 0;

	for (size_t i = 0; i < p->npts; i++)
		has |= !isnan(p->pts[i].comp[0]);
	fputs("set title ", f);
	put_quoted(f, p->workload);
	fputs(".': speedup stack (lost core-s per unit of work)'\nset ylabel 'core-s per unit'\n", f);
	if (!has) {
		fputs("set yrange [0:1]\nset label 1 'no stack: no 1-worker baseline or CPU times' at graph 0.5,0.5 "
		      "center\nplot 1/0 notitle\nunset label 1\n", f);
		return;
	}
	fputs("set yrange [*:*]\nset style fill solid 1.0 border lc 'gray30'\nset boxwidth 0.6\nplot ", f);
	for (int c = SC_COUNT; c-- > 0;)
		fprintf(f, "$d%zu using 1:%d with boxes lc rgb '%s' title '%s', ", idx, 7 + c, colours[c], stack_comp_label(c));
	for (int c = SC_COUNT; c-- > 0;)
		fprintf(f, "$d%zu using 1:%d with boxes lc rgb '%s' notitle, ", idx, 12 + c, colours[c]);
	fputs("0 with lines lc 'black' notitle\n", f);
}

static void write_panel(FILE *f, const struct plot_panel *p, size_t idx)
{
	int maxn = p->npts ? p->pts[p->npts - 1].n : 1;
	int has_speedup = any(p, offsetof(struct plot_point, speedup));
	int has_bw = any(p, offsetof(struct plot_point, gbps));
	int has_ceil = any(p, offsetof(struct plot_point, ceiling_gbps));

	fprintf(f, "$d%zu << EOD\n", idx);
	for (size_t i = 0; i < p->npts; i++) {
		const struct plot_point *q = &p->pts[i];
		double up = 0, down = 0;

		fprintf(f, "%d", q->n);
		put_value(f, q->speedup);
		put_value(f, q->gbps);
		put_value(f, q->ceiling_gbps);
		put_value(f, isnan(q->speedup_lo) ? q->speedup : q->speedup_lo);
		put_value(f, isnan(q->speedup_hi) ? q->speedup : q->speedup_hi);
		/* columns 7..11: the positive parts stacked upwards, 12..16 the
		 * negative ones downwards (cumulative: each bar is drawn from 0,
		 * the tallest first, so the shorter cover it) */
		for (int c = 0; c < SC_COUNT; c++) {
			up += isnan(q->comp[c]) || q->comp[c] < 0 ? 0 : q->comp[c];
			put_value(f, isnan(q->comp[c]) ? NAN : up);
		}
		for (int c = 0; c < SC_COUNT; c++) {
			down += isnan(q->comp[c]) || q->comp[c] > 0 ? 0 : q->comp[c];
			put_value(f, isnan(q->comp[c]) ? NAN : down);
		}
		fputc('\n', f);
	}
	fputs("EOD\n", f);
	fprintf(f, "set xrange [0.5:%d.5]\nset xtics 1\nset xlabel 'workers (N)'\n", maxn);

	fputs("set title ", f);
	put_quoted(f, p->workload);
	fprintf(f, ".' (%s): speedup; verdict: '.", p->mode);
	put_quoted(f, p->verdict ? p->verdict : "none");
	fputs("\nset ylabel 'speedup'\nset yrange [0:*]\n", f);
	if (has_speedup)
		fprintf(f, "plot $d%zu using 1:2 with linespoints pt 7 lw 2 title 'measured', "
			   "$d%zu using 1:2:5:6 with yerrorbars lc 'black' pt 0 title '95%% interval', "
			   "x with lines dt 2 lc 'gray40' title 'ideal'\n", idx, idx);
	else
		fputs("set yrange [0:1]\nset label 1 'no ok runs' at graph 0.5,0.5 center\nplot 1/0 notitle\n"
		      "unset label 1\n", f);

	write_stack(f, p, idx);

	fputs("set title ", f);
	put_quoted(f, p->workload);
	fputs(".': memory bandwidth'\nset ylabel 'GB/s'\n", f);
	if (has_bw || has_ceil) {
		if (!has_bw) {
			fputs("set label 1 ", f);
			put_quoted(f, p->bw_note ? p->bw_note : "not measured");
			fputs(" at graph 0.5,0.15 center\n", f);
		}
		fputs("set yrange [0:*]\nplot ", f);
		if (has_bw)
			fprintf(f, "$d%zu using 1:3 with linespoints pt 7 lw 2 title 'measured'%s", idx,
				has_ceil ? ", " : "");
		if (has_ceil)
			fprintf(f, "$d%zu using 1:4 with linespoints dt 2 lc 'red' title 'ceiling (STREAM)'", idx);
		fputs("\nunset label 1\n", f);
	} else {
		fputs("set yrange [0:1]\nset label 1 ", f);
		put_quoted(f, p->bw_note ? p->bw_note : "not measured");
		fputs(" at graph 0.5,0.5 center\nplot 1/0 notitle\nunset label 1\n", f);
	}
}

static void write_script(FILE *f, const char *path, int png, const char *title, const struct plot_panel *panels,
			 size_t n)
{
	fprintf(f, "set terminal %s size 1500,%zu noenhanced font 'sans,10' background rgb 'white'\n",
		png ? "pngcairo" : "svg", 60 + 300 * (n ? n : 1));
	fputs("set output ", f);
	put_quoted(f, path);
	fputs("\nset grid\nset key top left\nset multiplot layout ", f);
	fprintf(f, "%zu,3 title ", n ? n : 1);
	put_quoted(f, title);
	fputc('\n', f);
	for (size_t i = 0; i < n; i++)
		write_panel(f, &panels[i], i);
	fputs("unset multiplot\nset output\n", f);
}

/* 1 for .png, 0 for .svg, -EINVAL for anything else. */
static int plot_format(const char *path)
{
	const char *ext = strrchr(path, '.');

	if (ext && strcmp(ext, ".png") == 0)
		return 1;
	if (ext && strcmp(ext, ".svg") == 0)
		return 0;
	return -EINVAL;
}

/* Starts gnuplot reading its script from a pipe: *ret_pid, the pipe's
 * write end in *ret_fd, and in *ret_errfd a memory file gnuplot's stderr
 * goes to (read by gnuplot_wait; a file, not a pipe, so that gnuplot never
 * blocks on it while we write its script). Its stdout, where it writes
 * the image when it cannot open the file, goes to /dev/null. Returns 0
 * or -EIO with a fresh *ret_error. */
static int gnuplot_start(pid_t *ret_pid, int *ret_fd, int *ret_errfd, char **ret_error)
{
	int fd[2], efd, nul;
	pid_t pid;

	efd = memfd_create("gnuplot-stderr", MFD_CLOEXEC);
	if (efd < 0) {
		*ret_error = xasprintf("memfd_create: %s", strerror(errno));
		return -EIO;
	}
	nul = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (nul < 0) {
		*ret_error = xasprintf("/dev/null: %s", strerror(errno));
		close(efd);
		return -EIO;
	}
	if (pipe2(fd, O_CLOEXEC) < 0) {
		*ret_error = xasprintf("pipe: %s", strerror(errno));
		close(nul);
		close(efd);
		return -EIO;
	}
	pid = fork();
	if (pid < 0) {
		*ret_error = xasprintf("fork: %s", strerror(errno));
		close(fd[0]);
		close(fd[1]);
		close(nul);
		close(efd);
		return -EIO;
	}
	if (pid == 0) {
		/* dup2 clears O_CLOEXEC on the copies: gnuplot keeps them */
		if (dup2(fd[0], STDIN_FILENO) < 0 || dup2(nul, STDOUT_FILENO) < 0 || dup2(efd, STDERR_FILENO) < 0)
			_exit(126);
		execlp("gnuplot", "gnuplot", "-", (char *)NULL);
		_exit(errno == ENOENT ? 127 : 126);
	}
	close(fd[0]);
	close(nul);
	*ret_pid = pid;
	*ret_fd = fd[1];
	*ret_errfd = efd;
	return 0;
}

/* gnuplot's first error line from what it wrote to stderr (efd): the
 * first "line N: ..." (its error lines: the command echoed and a caret
 * come before), with runs of blanks folded and a "system error: ..." line
 * right after it appended; else its first non-blank line; NULL when it
 * said nothing. A fresh string. */
static char *gnuplot_first_error(int efd)
{
	char buf[4096], *line, *save = NULL, *first = NULL, *err = NULL, *out = NULL;
	ssize_t n = pread(efd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return NULL;
	buf[n] = 0;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *p = line, *w = line;
		const char *at;
		unsigned num;
		int used = 0;

		/* fold blanks: gnuplot pads its error lines to the caret's column */
		for (; *p; p++)
			if (!(*p == ' ' || *p == '\t') || (w > line && w[-1] != ' '))
				*w++ = *p == '\t' ? ' ' : *p;
		*w = 0;
		if (w > line && w[-1] == ' ')
			w[-1] = 0;
		if (!*line)
			continue;
		if (!first)
			first = line;
		if (err) {
			if (strncmp(line, "system error:", 13) == 0)
				out = xasprintf("%s; %s", err, line);
			break;
		}
		at = strstr(line, "line ");
		if (at && (at == line || at[-1] == ' ') && sscanf(at, "line %u:%n", &num, &used) == 1 && used > 0)
			err = line;
	}
	if (out)
		return out;
	return err ? xstrdup(err) : first ? xstrdup(first) : NULL;
}

/* Writes the script to fd and closes it. Write errors are not reported
 * here: gnuplot stopping early (a bad script, a missing font) breaks the
 * pipe, and its exit status says more than EPIPE would. */
static void gnuplot_feed(int fd, const char *path, int png, const char *title, const struct plot_panel *panels,
			 size_t npanels)
{
	FILE *f = fdopen(fd, "w");
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	int ignoring;

	if (!f) {
		close(fd);
		return;
	}
	/* a SIGPIPE would kill us: see gnuplot's status instead */
	sigemptyset(&ign.sa_mask);
	ignoring = sigaction(SIGPIPE, &ign, &old) == 0;
	write_script(f, path, png, title, panels, npanels);
	fclose(f);
	if (ignoring)
		sigaction(SIGPIPE, &old, NULL);
}

/* Waits for gnuplot and checks that it wrote path; closes efd. Returns 0,
 * -ENOENT when gnuplot is not installed, or -EIO; *ret_error then says
 * what, in one line with gnuplot's first error line. */
static int gnuplot_wait(pid_t pid, int efd, const char *path, char **ret_error)
{
	struct stat st;
	int status;
	pid_t r;
	char *said;

	while ((r = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	said = r < 0 ? NULL : gnuplot_first_error(efd);
	close(efd);
	if (r < 0) {
		*ret_error = xasprintf("waiting for gnuplot: %s", strerror(errno));
		return -EIO;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		free(said);
		*ret_error = xasprintf("gnuplot is not installed (Debian: apt-get install gnuplot-nox)");
		return -ENOENT;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		*ret_error = xasprintf("gnuplot could not draw '%s' (%s %d)%s%s", path,
				       WIFEXITED(status) ? "exit status" : "signal",
				       WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), said ? ": " : "",
				       said ? said : "");
		free(said);
		return -EIO;
	}
	free(said);
	if (stat(path, &st) < 0 || st.st_size == 0) {
		*ret_error = xasprintf("gnuplot wrote nothing to '%s'", path);
		return -EIO;
	}
	return 0;
}

int plot_campaign(const char *path, const char *title, const struct plot_panel *panels, size_t npanels,
		  char **ret_error)
{
	int png = plot_format(path), fd, efd;
	pid_t pid;

	if (png < 0) {
		*ret_error = xasprintf("'%s': the file name must end in .svg or .png", path);
		return -EINVAL;
	}
	if (gnuplot_start(&pid, &fd, &efd, ret_error) < 0)
		return -EIO;
	gnuplot_feed(fd, path, png, title, panels, npanels);
	return gnuplot_wait(pid, efd, path, ret_error);
}
