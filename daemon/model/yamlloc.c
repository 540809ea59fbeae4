/* yamlloc.c: positions of field paths in a YAML text, and the bounds of
 * its depth and node count checked before it is loaded (see yamlloc.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "model/yamlloc.h"

struct yamlloc {
	yaml_document_t doc;
};

static void set_pos(const yaml_mark_t *m, int *ret_line, int *ret_col)
{
	*ret_line = (int)m->line + 1;
	*ret_col = (int)m->column + 1;
}

int yamlloc_new(const char *text, size_t len, struct yamlloc **ret_loc,
		int *ret_line, int *ret_col, char **ret_problem)
{
	yaml_parser_t parser;
	struct yamlloc *loc = xcalloc(1, sizeof(*loc));

	if (!yaml_parser_initialize(&parser)) {
		free(loc);
		return -ENOMEM;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &loc->doc)) {
		const yaml_mark_t *m = &parser.problem_mark;

		*ret_line = (int)m->line + 1;
		*ret_col = (int)m->column + 1;
		if (parser.context)
			*ret_problem = xasprintf("%s %s", parser.problem ? parser.problem : "syntax error",
						 parser.context);
		else
			*ret_problem = xstrdup(parser.problem ? parser.problem : "syntax error");
		yaml_parser_delete(&parser);
		free(loc);
		return -EINVAL;
	}
	yaml_parser_delete(&parser);
	*ret_loc = loc;
	return 0;
}

int yamlloc_first_alias(const char *text, size_t len, int *ret_line, int *ret_col, char **ret_name)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	int r = -ENOENT;

	if (!yaml_parser_initialize(&parser))
		return -ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	while (r == -ENOENT && yaml_parser_parse(&parser, &ev)) {
		yaml_event_type_t type = ev.type;

		if (type == YAML_ALIAS_EVENT) {
			*ret_line = (int)ev.start_mark.line + 1;
			*ret_col = (int)ev.start_mark.column + 1;
			*ret_name = xstrdup((const char *)ev.data.alias.anchor);
			r = 0;
		}
		yaml_event_delete(&ev);
		if (type == YAML_STREAM_END_EVENT)
			break;
	}
	yaml_parser_delete(&parser);
	return r;
}

/* The bound a parse event moves past, or YAMLLOC_WITHIN; *depth and
 * *nodes are updated for it. */
static int bound_step(const yaml_event_t *ev, size_t max_depth, size_t max_nodes, size_t *depth, size_t *nodes)
{
	switch (ev->type) {
	case YAML_MAPPING_START_EVENT:
	case YAML_SEQUENCE_START_EVENT:
		if (++*depth > max_depth)
			return YAMLLOC_TOO_DEEP;
		break;
	case YAML_SCALAR_EVENT:
	case YAML_ALIAS_EVENT:
		break;
	case YAML_MAPPING_END_EVENT:
	case YAML_SEQUENCE_END_EVENT:
		--*depth;
		return YAMLLOC_WITHIN;
	default:
		return YAMLLOC_WITHIN;
	}
	return ++*nodes > max_nodes ? YAMLLOC_TOO_MANY : YAMLLOC_WITHIN;
}

int yamlloc_bound(const char *text, size_t len, size_t max_depth, size_t max_nodes, int *ret_line, int *ret_col)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	size_t depth = 0, nodes = 0;
	int r = YAMLLOC_WITHIN;

	if (!yaml_parser_initialize(&parser))
		return -ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	while (r == YAMLLOC_WITHIN && yaml_parser_parse(&parser, &ev)) {
		yaml_event_type_t type = ev.type;

		r = bound_step(&ev, max_depth, max_nodes, &depth, &nodes);
		if (r != YAMLLOC_WITHIN)
			set_pos(&ev.start_mark, ret_line, ret_col);
		yaml_event_delete(&ev);
		if (type == YAML_STREAM_END_EVENT)
			break;
	}
	yaml_parser_delete(&parser);
	return r;
}

void yamlloc_free(struct yamlloc *loc)
{
	if (!loc)
		return;
	yaml_document_delete(&loc->doc);
	free(loc);
}

size_t yamlloc_len(yaml_node_t *seq)
{
	if (!seq || seq->type != YAML_SEQUENCE_NODE)
		return 0;
	return (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
}

yaml_node_t *yamlloc_item(struct yamlloc *loc, yaml_node_t *seq, size_t i)
{
	if (i >= yamlloc_len(seq))
		return NULL;
	return yaml_document_get_node(&loc->doc, seq->data.sequence.items.start[i]);
}

yaml_node_t *yamlloc_node(struct yamlloc *loc, int id)
{
	return yaml_document_get_node(&loc->doc, id);
}

yaml_node_t *yamlloc_find(struct yamlloc *loc, const char *path, int *ret_line, int *ret_col)
{
	yaml_node_t *node = yaml_document_get_root_node(&loc->doc);
	const char *p = path;

	*ret_line = 1;
	*ret_col = 1;
	if (!node)
		return NULL;
	set_pos(&node->start_mark, ret_line, ret_col);
	while (*p) {
		if (*p == '.') {
			p++;
			continue;
		}
		if (*p == '[') {
			char *end;
			unsigned long i = strtoul(p + 1, &end, 10);
			yaml_node_t *item;

			if (*end != ']')
				return NULL;
			p = end + 1;
			item = yamlloc_item(loc, node, i);
			if (!item)
				return NULL;
			node = item;
			set_pos(&node->start_mark, ret_line, ret_col);
			continue;
		}
		size_t klen = strcspn(p, ".[");
		yaml_node_pair_t *pair;
		yaml_node_t *found = NULL;

		if (node->type != YAML_MAPPING_NODE)
			return NULL;
		for (pair = node->data.mapping.pairs.start; pair < node->data.mapping.pairs.top; pair++) {
			yaml_node_t *key = yaml_document_get_node(&loc->doc, pair->key);

			if (key && key->type == YAML_SCALAR_NODE && key->data.scalar.length == klen &&
			    memcmp(key->data.scalar.value, p, klen) == 0) {
				found = yaml_document_get_node(&loc->doc, pair->value);
				set_pos(&key->start_mark, ret_line, ret_col);
				break;
			}
		}
		if (!found)
			return NULL;
		node = found;
		p += klen;
	}
	return node;
}

int yamlloc_key_pos(struct yamlloc *loc, const char *path, const char *key, int nth, int *ret_line, int *ret_col)
{
	int line, col;
	yaml_node_t *map = yamlloc_find(loc, path, &line, &col);

	if (!map || map->type != YAML_MAPPING_NODE)
		return -ENOENT;
	for (yaml_node_pair_t *pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		yaml_node_t *k = yaml_document_get_node(&loc->doc, pair->key);

		if (k && k->type == YAML_SCALAR_NODE && strcmp((const char *)k->data.scalar.value, key) == 0 &&
		    nth-- == 0) {
			set_pos(&k->start_mark, ret_line, ret_col);
			return 0;
		}
	}
	return -ENOENT;
}
