/* schema_blob.S: embeds schema.sql into the binary as the NUL-terminated
 * string scalprof_schema_sql, so a binary never depends on a file at run time. */
	.section .rodata
	.global scalprof_schema_sql
	.type scalprof_schema_sql, @object
scalprof_schema_sql:
	.incbin "schema.sql"
	.byte 0
	.size scalprof_schema_sql, . - scalprof_schema_sql
	.section .note.GNU-stack,"",@progbits
