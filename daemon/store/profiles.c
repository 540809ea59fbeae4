/* profiles.c: a run's call-stack profile in the database (see profiles.h).
 * Frames and stacks are shared by every run: a frame is found by module,
 * symbol and offset, a stack by its list of frame ids, and only what is
 * new is added, so a database of many runs of one program keeps each of
 * its stacks once and a run adds a row per distinct stack it saw. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/profiles.h"
#include "store/sql.h"
#include "base/util.h"

/* The statements one store_profile uses, prepared once per call. */
enum { PS_FRAME_GET, PS_FRAME_ADD, PS_STACK_GET, PS_STACK_ADD, PS_STACK_FRAME, PS_SAMPLE, PS_COUNT };

static const char *const profile_sql[PS_COUNT] = {
	[PS_FRAME_GET] = "SELECT id FROM profile_frames WHERE module = ?1 AND symbol IS ?2 AND offset IS ?3",
	[PS_FRAME_ADD] = "INSERT INTO profile_frames (module, symbol, offset, kind) VALUES (?1, ?2, ?3, ?4)",
	[PS_STACK_GET] = "SELECT id FROM profile_stacks WHERE frames = ?1",
	[PS_STACK_ADD] = "INSERT INTO profile_stacks (frames, depth, leaf) VALUES (?1, ?2, ?3)",
	[PS_STACK_FRAME] = "INSERT INTO profile_stack_frames (stack_id, depth, frame_id) VALUES (?1, ?2, ?3)",
	[PS_SAMPLE] = "INSERT INTO profile_samples (run_id, thread, comm, state, stack_id, samples, off_ns) "
		      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO UPDATE SET "
		      "samples = samples + excluded.samples, off_ns = off_ns + excluded.off_ns",
};

static const char *kind_name(char k)
{
	return k == 'k' ? "kernel" : k == 'j' ? "jit" : "user";
}

/* Steps a statement that returns one id (or none: *ret_id stays -1). */
static int step_id(struct store *st, sqlite3_stmt *s, int64_t *ret_id)
{
	int rc = sqlite3_step(s);

	*ret_id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail(st, "storing the profile");
}

static void bind_frame(sqlite3_stmt *s, const struct profile_frame *f)
{
	sqlite3_bind_text(s, 1, f->module, -1, SQLITE_STATIC);
	sql_bind_text(s, 2, f->symbol);
	if (!f->symbol)
		sqlite3_bind_int64(s, 3, f->offset);
}

static int frame_id(struct store *st, sqlite3_stmt **ps, const struct profile_frame *f, int64_t *ret_id)
{
	int r;

	bind_frame(ps[PS_FRAME_GET], f);
	r = step_id(st, ps[PS_FRAME_GET], ret_id);
	if (r < 0 || *ret_id >= 0)
		return r;
	bind_frame(ps[PS_FRAME_ADD], f);
	sqlite3_bind_text(ps[PS_FRAME_ADD], 4, kind_name(f->kind), -1, SQLITE_STATIC);
	r = sql_step_cached(st, ps[PS_FRAME_ADD], "storing the profile's frames");
	*ret_id = sqlite3_last_insert_rowid(st->db);
	return r;
}

/* The row's stack id: found by its frame list, or added with its frames. */
static int stack_id(struct store *st, sqlite3_stmt **ps, const struct profile_row *row, const int64_t *fids,
		    int64_t *ret_id)
{
	size_t cap = row->depth * 21 + 1, len = 0;
	char *key = xcalloc(cap, 1);
	int r;

	key[0] = '\0';
	for (size_t d = 0; d < row->depth; d++)
		len += (size_t)snprintf(key + len, cap - len, "%s%" PRId64, d ? "," : "", fids[row->frames[d]]);
	sqlite3_bind_text(ps[PS_STACK_GET], 1, key, -1, SQLITE_TRANSIENT);
	r = step_id(st, ps[PS_STACK_GET], ret_id);
	if (r == 0 && *ret_id < 0) {
		sqlite3_stmt *s = ps[PS_STACK_ADD];

		sqlite3_bind_text(s, 1, key, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(s, 2, (int64_t)row->depth);
		sqlite3_bind_int64(s, 3, fids[row->frames[row->depth - 1]]);
		r = sql_step_cached(st, s, "storing the profile's stacks");
		*ret_id = sqlite3_last_insert_rowid(st->db);
		for (size_t d = 0; r == 0 && d < row->depth; d++) {
			s = ps[PS_STACK_FRAME];
			sqlite3_bind_int64(s, 1, *ret_id);
			sqlite3_bind_int64(s, 2, (int64_t)d);
			sqlite3_bind_int64(s, 3, fids[row->frames[d]]);
			r = sql_step_cached(st, s, "storing the profile's stacks");
		}
	}
	free(key);
	return r;
}

static int store_summary(struct store *st, int64_t run_id, const struct profile_data *p)
{
	sqlite3_stmt *s;
	int r = sql_prepare(st, "storing the profile",
			    "INSERT INTO profiles (run_id, hz, offcpu, samples, switches, lost, kernel, symbolize_ms, note, event) "
			    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
			    &s);

	if (r < 0)
		return r;
	sqlite3_bind_int64(s, 1, run_id);
	sqlite3_bind_int(s, 2, p->hz);
	sqlite3_bind_int(s, 3, p->offcpu);
	sqlite3_bind_int64(s, 4, (int64_t)p->samples);
	sqlite3_bind_int64(s, 5, (int64_t)p->switches);
	sqlite3_bind_int64(s, 6, (int64_t)p->lost);
	sqlite3_bind_int(s, 7, p->kernel);
	if (p->symbolize_ms >= 0)
		sqlite3_bind_double(s, 8, p->symbolize_ms);
	sql_bind_text(s, 9, p->note);
	sqlite3_bind_text(s, 10, p->event, -1, SQLITE_STATIC);
	return sql_step_once(st, s, "storing the profile");
}

static int store_rows(struct store *st, sqlite3_stmt **ps, int64_t run_id, const struct profile_data *p,
		      const int64_t *fids)
{
	int r = 0;

	for (size_t i = 0; r == 0 && i < p->nrows; i++) {
		const struct profile_row *row = &p->rows[i];
		sqlite3_stmt *s = ps[PS_SAMPLE];
		int64_t sid;

		if (row->depth == 0)
			continue;
		r = stack_id(st, ps, row, fids, &sid);
		if (r < 0)
			break;
		sqlite3_bind_int64(s, 1, run_id);
		sqlite3_bind_text(s, 2, row->thread, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, row->comm ? row->comm : "", -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, row->state, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 5, sid);
		sqlite3_bind_int64(s, 6, (int64_t)row->samples);
		sqlite3_bind_int64(s, 7, (int64_t)row->off_ns);
		r = sql_step_cached(st, s, "storing the profile's samples");
	}
	return r;
}

int store_profile(struct store *st, int64_t run_id, const struct profile_data *p)
{
	sqlite3_stmt *ps[PS_COUNT] = { 0 };
	int64_t *fids = xcalloc(p->nframes ? p->nframes : 1, sizeof(*fids));
	int r = store_summary(st, run_id, p);

	for (int k = 0; r == 0 && k < PS_COUNT; k++)
		r = sql_prepare(st, "storing the profile", profile_sql[k], &ps[k]);
	for (size_t i = 0; r == 0 && i < p->nframes; i++)
		r = frame_id(st, ps, &p->frames[i], &fids[i]);
	if (r == 0)
		r = store_rows(st, ps, run_id, p, fids);
	for (int k = 0; k < PS_COUNT; k++)
		sqlite3_finalize(ps[k]);
	free(fids);
	return r;
}

/* ---- reading ------------------------------------------------------------ */

#define PINFO_COLS                                                                                           \
	"r.id, r.workload, r.n_workers, r.repetition, p.hz, p.offcpu, p.kernel, p.samples, p.switches, p.lost, " \
	"CASE r.mode WHEN 'copies' THEN r.n_workers ELSE 1 END, r.wall_ns / 1e9, p.note "

static void pinfo_read(sqlite3_stmt *s, struct pinfo *p)
{
	*p = (struct pinfo){
		.run_id = sqlite3_column_int64(s, 0),
		.workload = sql_col_strdup(s, 1),
		.n_workers = sqlite3_column_int(s, 2),
		.repetition = sqlite3_column_int(s, 3),
		.hz = sqlite3_column_int(s, 4),
		.offcpu = sqlite3_column_int(s, 5),
		.kernel = sqlite3_column_int(s, 6),
		.samples = (uint64_t)sqlite3_column_int64(s, 7),
		.switches = (uint64_t)sqlite3_column_int64(s, 8),
		.lost = (uint64_t)sqlite3_column_int64(s, 9),
		.units = sqlite3_column_double(s, 10),
		.wall_s = sql_col_double(s, 11),
		.note = sql_col_strdup(s, 12),
	};
}

void pinfo_clear(struct pinfo *p)
{
	free(p->workload);
	free(p->note);
	memset(p, 0, sizeof(*p));
}

int store_profile_info(struct store *st, int64_t run_id, struct pinfo *ret)
{
	sqlite3_stmt *s;
	int r = sql_prepare_id(st, "reading the profile",
			       "SELECT " PINFO_COLS "FROM profiles p JOIN runs r ON r.id = p.run_id WHERE p.run_id = ?1",
			       run_id, &s);

	if (r < 0)
		return r;
	r = sqlite3_step(s);
	if (r == SQLITE_ROW)
		pinfo_read(s, ret);
	r = r == SQLITE_ROW ? SQLITE_DONE : r == SQLITE_DONE ? -ENOENT : r;
	if (r == -ENOENT) {
		sqlite3_finalize(s);
		return -ENOENT;
	}
	return sql_rows_end(st, s, r, "reading the profile");
}

int store_profile_runs(struct store *st, int64_t cid, struct pinfo **ret, size_t *ret_n)
{
	sqlite3_stmt *s;
	struct pinfo *v = NULL;
	size_t n = 0;
	int r = sql_prepare_id(st, "reading the profiles",
			       "SELECT " PINFO_COLS "FROM profiles p JOIN runs r ON r.id = p.run_id "
			       "WHERE r.campaign_id = ?1 AND r.status = 'ok' AND r.corunner IS NULL AND r.variant IS NULL "
			       "ORDER BY (SELECT min(seq) FROM runs x WHERE x.campaign_id = r.campaign_id "
			       "AND x.workload = r.workload), r.n_workers, r.repetition",
			       cid, &s);

	if (r < 0)
		return r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		v = xreallocarray(v, n + 1, sizeof(*v));
		pinfo_read(s, &v[n++]);
	}
	*ret = v;
	*ret_n = n;
	return sql_rows_end(st, s, r, "reading the profiles");
}

void pstacks_free(struct pstack *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t d = 0; d < s[i].depth; d++)
			free(s[i].names[d]);
		free(s[i].names);
		free(s[i].kinds);
	}
	free(s);
}

static char *frame_name(sqlite3_stmt *s, int col)
{
	const char *sym = (const char *)sqlite3_column_text(s, col + 1);
	const char *mod = (const char *)sqlite3_column_text(s, col);
	const char *base = mod ? strrchr(mod, '/') : NULL;

	if (sym)
		return xstrdup(sym);
	return xasprintf("%s+0x%llx", base ? base + 1 : mod ? mod : "?",
			 (unsigned long long)sqlite3_column_int64(s, col + 2));
}

static char frame_kind(sqlite3_stmt *s, int col)
{
	const char *k = (const char *)sqlite3_column_text(s, col + 3);

	if (sqlite3_column_type(s, col + 1) == SQLITE_NULL)
		return '?';
	return k && *k == 'k' ? 'k' : k && *k == 'j' ? 'j' : 'u';
}

int store_profile_stacks(struct store *st, int64_t run_id, int merge, struct pstack **ret, size_t *ret_n)
{
	/* one row per (sample row, frame), frames in order: a new stack starts
	 * where the (row key) changes */
	const char *sql_merged =
		"WITH rows AS (SELECT state, '' AS thread, stack_id, sum(samples) AS samples, sum(off_ns) AS off_ns "
		"FROM profile_samples WHERE run_id = ?1 GROUP BY state, stack_id) ";
	const char *sql_each =
		"WITH rows AS (SELECT state, thread, stack_id, sum(samples) AS samples, sum(off_ns) AS off_ns "
		"FROM profile_samples WHERE run_id = ?1 GROUP BY state, thread, stack_id) ";
	char *sql = xasprintf("%sSELECT r.state, r.thread, r.stack_id, r.samples, r.off_ns, sf.depth, "
			      "f.module, f.symbol, f.offset, f.kind FROM rows r "
			      "JOIN profile_stack_frames sf ON sf.stack_id = r.stack_id "
			      "JOIN profile_frames f ON f.id = sf.frame_id "
			      "ORDER BY r.state, r.thread, r.stack_id, sf.depth",
			      merge ? sql_merged : sql_each);
	struct pstack *v = NULL, *cur = NULL;
	size_t n = 0;
	sqlite3_stmt *s;
	int r = sql_prepare_id(st, "reading the profile's stacks", sql, run_id, &s);

	free(sql);
	if (r < 0)
		return r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		if (sqlite3_column_int(s, 5) == 0) {
			v = xreallocarray(v, n + 1, sizeof(*v));
			cur = &v[n++];
			memset(cur, 0, sizeof(*cur));
			snprintf(cur->state, sizeof(cur->state), "%s", (const char *)sqlite3_column_text(s, 0));
			snprintf(cur->thread, sizeof(cur->thread), "%s", (const char *)sqlite3_column_text(s, 1));
			cur->samples = (uint64_t)sqlite3_column_int64(s, 3);
			cur->off_ns = (uint64_t)sqlite3_column_int64(s, 4);
		}
		if (!cur)
			continue;
		cur->names = xreallocarray(cur->names, cur->depth + 1, sizeof(*cur->names));
		cur->kinds = xreallocarray(cur->kinds, cur->depth + 1, 1);
		cur->names[cur->depth] = frame_name(s, 6);
		cur->kinds[cur->depth++] = frame_kind(s, 6);
	}
	*ret = v;
	*ret_n = n;
	r = sql_rows_end(st, s, r, "reading the profile's stacks");
	if (r < 0) {
		pstacks_free(v, n);
		*ret = NULL;
		*ret_n = 0;
	}
	return r;
}
