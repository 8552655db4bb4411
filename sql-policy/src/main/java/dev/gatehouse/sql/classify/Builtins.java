package dev.gatehouse.sql.classify;

import java.util.Map;
import java.util.Set;

/**
 * Built-in and contrib functions whose call changes what a statement is (reads a server file, writes a
 * sequence, changes the role, runs SQL given as text). One list for every dialect's reader. Immutable.
 */
public final class Builtins {
    private Builtins() {
    }

    public static final Set<String> EXPORT = Set.of("pg_read_file", "pg_read_binary_file", "pg_stat_file",
            "pg_ls_dir", "pg_ls_logdir", "pg_ls_waldir", "pg_ls_tmpdir", "pg_ls_archive_statusdir",
            "pg_ls_logicalsnapdir", "pg_ls_logicalmapdir", "pg_ls_replslotdir", "lo_export", "load_file",
            // adminpack: server files written, renamed, removed, listed
            "pg_file_write", "pg_file_rename", "pg_file_unlink", "pg_file_sync", "pg_logdir_ls",
            // logical decoding hands out the row changes of every table, past any table or column rule
            "pg_logical_slot_get_changes", "pg_logical_slot_peek_changes", "pg_logical_slot_get_binary_changes",
            "pg_logical_slot_peek_binary_changes");
    /** Import a server file: a server-file read (an export of the file's content) that also writes a large object. */
    public static final Set<String> FILE_IMPORT = Set.of("lo_import");
    public static final Set<String> WRITE = Set.of("nextval", "setval", "lo_create", "lo_creat",
            "lo_unlink", "lo_put", "lo_from_bytea", "lowrite", "lo_truncate", "lo_truncate64",
            "pg_replication_origin_create", "pg_create_logical_replication_slot",
            "pg_create_physical_replication_slot", "pg_drop_replication_slot");
    public static final Set<String> SESSION = Set.of("pg_notify", "pg_terminate_backend", "pg_cancel_backend",
            "pg_reload_conf", "pg_rotate_logfile", "pg_switch_wal", "pg_create_restore_point", "pg_advisory_lock",
            "pg_advisory_lock_shared", "pg_advisory_unlock", "pg_advisory_unlock_shared", "pg_advisory_unlock_all",
            "pg_advisory_xact_lock", "pg_advisory_xact_lock_shared", "pg_try_advisory_lock",
            "pg_try_advisory_lock_shared", "pg_try_advisory_xact_lock", "pg_try_advisory_xact_lock_shared",
            "pg_stat_reset", "pg_stat_reset_shared", "pg_stat_reset_single_table_counters",
            "pg_stat_reset_single_function_counters", "pg_stat_reset_slru", "pg_stat_reset_replication_slot",
            "pg_stat_reset_subscription_stats", "get_lock", "release_lock", "release_all_locks");
    /** Functions that run SQL or commands given as text: what they do is decided at run time. */
    public static final Set<String> PROCEDURAL = Set.of("dblink", "dblink_exec", "dblink_send_query", "dblink_open",
            // a connection string built from data carries that data to any host
            "dblink_connect", "dblink_connect_u",
            "sys_exec", "sys_eval",
            // tablefunc's connectby builds its query from table and column names given as text
            "connectby");
    /**
     * PostgreSQL built-ins and contrib functions that run a query given as text, by the position of that
     * argument: the text is read like a submission of its own (its kinds and calls count); text that is not a
     * literal makes the call procedural. ts_rewrite runs its second argument only in the two-argument form.
     */
    public static final Map<String, Integer> RUNS_TEXT = Map.of("query_to_xml", 0, "query_to_xmlschema", 0,
            "query_to_xml_and_xmlschema", 0, "ts_stat", 0, "ts_rewrite", 1, "crosstab", 0, "crosstab2", 0,
            "crosstab3", 0, "crosstab4", 0);
    /** crosstab(source_sql, category_sql) runs its second argument too (crosstab(text, int) has a number there). */
    public static final String RUNS_SECOND_TEXT = "crosstab";
    /** Built-ins that read whole tables (or schemas, the database) named by a text argument: lineage cannot see them. */
    public static final Set<String> READS_NAMED_TABLES = Set.of("table_to_xml", "table_to_xmlschema",
            "table_to_xml_and_xmlschema", "schema_to_xml", "schema_to_xmlschema", "schema_to_xml_and_xmlschema",
            "database_to_xml", "database_to_xmlschema", "database_to_xml_and_xmlschema");

    public static final Set<String> PRIVILEGED_SETTINGS = Set.of("role", "session_authorization",
            "session_replication_role");
}
