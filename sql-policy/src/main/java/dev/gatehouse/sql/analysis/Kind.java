package dev.gatehouse.sql.analysis;

/** What a statement does, coarsely. A statement may be several kinds at once. */
public enum Kind {
    /** Reads data and changes nothing. */
    READ,
    /** Changes rows: INSERT/UPDATE/DELETE/MERGE/REPLACE, imports, data-modifying CTEs. */
    WRITE,
    /** Creates, changes or drops objects, including TRUNCATE and CREATE TABLE AS. */
    DDL,
    /** Changes who may do what: GRANT/REVOKE, roles, ownership, row-level security, SET ROLE. */
    PRIVILEGE,
    /** Data leaving the database: COPY TO, INTO OUTFILE, server-file and large-object functions. */
    EXPORT,
    /** Transaction control and ordinary session settings. */
    SESSION,
    /** Effects decided at run time: DO blocks, CALL. */
    PROCEDURAL,
    /** The analyzer could not read the statement completely. Never treated as safe. */
    UNKNOWN
}
