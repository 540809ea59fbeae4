/* yamlloc.h: where things are in a YAML text. libcyaml loads a campaign into
 * structs but keeps no positions; this parses the same text once more with
 * libyaml's document API so every message can say file:line:col for a field
 * path like "workloads[1].mode", and so fields whose YAML type varies
 * (workers: a list, a range or "all") can be read from the node itself.
 * Also the check of a text's depth and size before it is loaded. */
#ifndef SCALPROF_YAMLLOC_H
#define SCALPROF_YAMLLOC_H

#include <stddef.h>
#include <yaml.h>

struct yamlloc;

/* Parses text. Returns 0 and the index in ret_loc, or -EINVAL with the
 * 1-based line and column of the syntax error in ret_line and ret_col, and
 * a fresh string describing it in ret_problem. */
int yamlloc_new(const char *text, size_t len, struct yamlloc **ret_loc,
		int *ret_line, int *ret_col, char **ret_problem);
void yamlloc_free(struct yamlloc *loc);

/* The node at path ("" is the root; "a.b[2].c"), or NULL. For a mapping
 * field, ret_line and ret_col give its key's position; otherwise the node's.
 * Positions are 1-based. If the path does not resolve, the position of its
 * longest resolving prefix is returned (the root: 1:1). */
yaml_node_t *yamlloc_find(struct yamlloc *loc, const char *path, int *ret_line, int *ret_col);

/* The position of the nth (0-based) occurrence of key in the mapping at
 * path, for keys given more than once. Returns 0, or -ENOENT. */
int yamlloc_key_pos(struct yamlloc *loc, const char *path, const char *key, int nth, int *ret_line, int *ret_col);

/* What yamlloc_bound found. */
enum yamlloc_excess {
	YAMLLOC_WITHIN,   /* within the limits (or a syntax error first) */
	YAMLLOC_TOO_DEEP, /* a mapping or sequence nested deeper than max_depth */
	YAMLLOC_TOO_MANY, /* more than max_nodes nodes */
};

/* Checks text against limits before anything loads it: one pass over
 * libyaml's parse events, counting open mappings and sequences and every
 * node (scalar, alias, mapping, sequence), that stops at the first node
 * over a limit. libyaml's scanner walks its stack of open collections at
 * every token, so a whole document costs the square of its depth (a
 * megabyte of "[[[[": hours); stopping there, this pass costs at most
 * max_depth steps for each token it reads, whatever follows. Returns
 * YAMLLOC_WITHIN; or the limit exceeded, with the 1-based position of the
 * node that exceeds it in ret_line and ret_col; or -ENOMEM. A syntax error
 * ends the pass as YAMLLOC_WITHIN: yamlloc_new reports it. Does not log. */
int yamlloc_bound(const char *text, size_t len, size_t max_depth, size_t max_nodes, int *ret_line, int *ret_col);

/* The position of the first alias (*name) in text, and its name (free it).
 * Returns 0, or -ENOENT when there is none (or the text does not parse). */
int yamlloc_first_alias(const char *text, size_t len, int *ret_line, int *ret_col, char **ret_name);

/* Item i of a sequence node, or NULL. */
yaml_node_t *yamlloc_item(struct yamlloc *loc, yaml_node_t *seq, size_t i);
size_t yamlloc_len(yaml_node_t *seq);
/* The node of a mapping pair's key or value id, or NULL. */
yaml_node_t *yamlloc_node(struct yamlloc *loc, int id);

#endif
