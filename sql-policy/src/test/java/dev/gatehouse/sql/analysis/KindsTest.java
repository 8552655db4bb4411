package dev.gatehouse.sql.analysis;

import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.catalog.Catalog;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static dev.gatehouse.sql.Dialect.MYSQL;
import static dev.gatehouse.sql.Dialect.POSTGRES;
import static dev.gatehouse.sql.analysis.Kind.DDL;
import static dev.gatehouse.sql.analysis.Kind.EXPORT;
import static dev.gatehouse.sql.analysis.Kind.PRIVILEGE;
import static dev.gatehouse.sql.analysis.Kind.PROCEDURAL;
import static dev.gatehouse.sql.analysis.Kind.READ;
import static dev.gatehouse.sql.analysis.Kind.SESSION;
import static dev.gatehouse.sql.analysis.Kind.UNKNOWN;
import static dev.gatehouse.sql.analysis.Kind.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Kinds and operation of single statements, both dialects, through the public Analyzer facade. */
class KindsTest {

    private static Arguments pg(String name, String sql, String operation, Kind... kinds) {
        return arguments("pg " + name, POSTGRES, sql, operation, EnumSet.of(kinds[0], kinds));
    }

    private static Arguments my(String name, String sql, String operation, Kind... kinds) {
        return arguments("mysql " + name, MYSQL, sql, operation, EnumSet.of(kinds[0], kinds));
    }

    static Stream<Arguments> postgres() {
        return Stream.of(
                // READ
                pg("select", "SELECT a FROM t WHERE b = 1", "SELECT", READ),
                pg("values", "VALUES (1), (2)", "VALUES", READ),
                pg("table", "TABLE t", "TABLE", READ),
                pg("parenthesised select", "((SELECT 1)) UNION SELECT 2", "SELECT", READ),
                pg("with select", "WITH x AS (SELECT 1) SELECT * FROM x", "SELECT", READ),
                pg("show", "SHOW search_path", "SHOW", READ),
                pg("fetch", "FETCH 10 FROM c", "FETCH", READ),
                pg("move", "MOVE NEXT IN c", "MOVE", READ),
                pg("declare cursor", "DECLARE c CURSOR WITH HOLD FOR SELECT * FROM t", "DECLARE", READ),
                pg("select for update", "SELECT * FROM t FOR UPDATE", "SELECT", READ),
                pg("explain of a write does not run it", "EXPLAIN DELETE FROM t", "EXPLAIN", READ),
                pg("explain analyze false", "EXPLAIN (ANALYZE false, COSTS off) DELETE FROM t", "EXPLAIN", READ),
                pg("explain analyze 0", "EXPLAIN (ANALYZE 0) DELETE FROM t", "EXPLAIN", READ),
                pg("explain of an export function runs nothing", "EXPLAIN SELECT pg_read_file('/etc/passwd')", "EXPLAIN", READ),
                pg("explain of a data-modifying CTE", "EXPLAIN WITH w AS (INSERT INTO t VALUES (1) RETURNING a) SELECT * FROM w", "EXPLAIN", READ),
                // WRITE
                pg("insert", "INSERT INTO t VALUES (1)", "INSERT", WRITE),
                pg("upsert", "INSERT INTO t VALUES (1) ON CONFLICT (a) DO UPDATE SET b = 2", "INSERT", WRITE),
                pg("update", "UPDATE t SET a = 1 WHERE b = 2", "UPDATE", WRITE),
                pg("delete", "DELETE FROM t WHERE a = 1", "DELETE", WRITE),
                pg("merge", "MERGE INTO t USING s ON t.a = s.a WHEN MATCHED THEN DELETE", "MERGE", WRITE),
                pg("copy from stdin", "COPY t (a, b) FROM STDIN", "COPY", WRITE),
                pg("copy from program", "COPY t FROM PROGRAM 'curl http://x'", "COPY", WRITE, PROCEDURAL),
                pg("data-modifying CTE under select", "WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d", "SELECT", READ, WRITE),
                pg("data-modifying CTE in a subquery", "SELECT * FROM (WITH u AS (UPDATE t SET a = 1 RETURNING *) SELECT * FROM u) s", "SELECT", READ, WRITE),
                pg("merge CTE", "WITH m AS (MERGE INTO t USING s ON true WHEN MATCHED THEN DELETE) SELECT 1", "SELECT", READ, WRITE),
                pg("with main insert", "WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x", "INSERT", WRITE),
                pg("explain analyze write", "EXPLAIN ANALYZE UPDATE t SET a = 1", "EXPLAIN", WRITE),
                pg("explain (analyze) write", "EXPLAIN (ANALYZE, COSTS OFF) DELETE FROM t WHERE a = 1", "EXPLAIN", WRITE),
                pg("explain (analyze on) write", "EXPLAIN (COSTS OFF, ANALYZE on) INSERT INTO t VALUES (1)", "EXPLAIN", WRITE),
                pg("explain analyse verbose write", "EXPLAIN ANALYSE VERBOSE MERGE INTO t USING s ON true WHEN MATCHED THEN DELETE", "EXPLAIN", WRITE),
                pg("prepare of a write", "PREPARE p (int) AS UPDATE t SET a = $1", "PREPARE", WRITE),
                pg("nextval", "SELECT nextval('s')", "SELECT", READ, WRITE),
                pg("lo_import", "SELECT lo_import('/tmp/x')", "SELECT", READ, WRITE, EXPORT), // reads a server file
                // DDL
                pg("create table", "CREATE TABLE t (a int, b varchar(10) DEFAULT 'x')", "CREATE", DDL),
                pg("create table as", "CREATE TABLE t AS SELECT * FROM s", "CREATE", DDL, WRITE),
                pg("create temp table as execute of a statement prepared elsewhere", "CREATE TEMP TABLE t AS EXECUTE q", "CREATE", DDL, WRITE, UNKNOWN),
                pg("create materialized view", "CREATE MATERIALIZED VIEW v AS SELECT 1", "CREATE", DDL, WRITE),
                pg("select into", "SELECT * INTO new_t FROM t", "SELECT", READ, DDL, WRITE),
                pg("alter table", "ALTER TABLE t ADD COLUMN c int", "ALTER", DDL),
                pg("drop table", "DROP TABLE IF EXISTS t CASCADE", "DROP", DDL),
                pg("truncate", "TRUNCATE t", "TRUNCATE", DDL, WRITE),
                pg("comment", "COMMENT ON TABLE t IS 'x'", "COMMENT", DDL),
                pg("create function with dollar body", "CREATE FUNCTION f() RETURNS int AS $$ DELETE FROM t; SELECT 1 $$ LANGUAGE sql", "CREATE", DDL),
                pg("create function begin atomic", "CREATE FUNCTION f() RETURNS int BEGIN ATOMIC DELETE FROM t; SELECT 1; END", "CREATE", DDL),
                pg("create or replace trigger", "CREATE OR REPLACE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()", "CREATE", DDL),
                pg("create extension", "CREATE EXTENSION IF NOT EXISTS pgcrypto", "CREATE", DDL),
                pg("create unique index", "CREATE UNIQUE INDEX i ON t (lower(a))", "CREATE", DDL),
                pg("reindex", "REINDEX TABLE t", "REINDEX", DDL),
                pg("cluster", "CLUSTER t USING i", "CLUSTER", DDL),
                pg("refresh", "REFRESH MATERIALIZED VIEW v", "REFRESH", DDL, WRITE),
                pg("alter system", "ALTER SYSTEM SET work_mem = '1GB'", "ALTER", DDL),
                pg("import foreign schema", "IMPORT FOREIGN SCHEMA s FROM SERVER x INTO public", "IMPORT", DDL),
                pg("create database", "CREATE DATABASE d", "CREATE", DDL),
                pg("create schema", "CREATE SCHEMA s", "CREATE", DDL),
                pg("create rule", "CREATE RULE r AS ON INSERT TO t DO INSTEAD (DELETE FROM a; DELETE FROM b)", "CREATE", DDL),
                pg("explain analyze create table as", "EXPLAIN (ANALYZE) CREATE TABLE t AS SELECT 1", "EXPLAIN", DDL, WRITE),
                // PRIVILEGE
                pg("grant", "GRANT SELECT ON t TO bob", "GRANT", PRIVILEGE),
                pg("revoke", "REVOKE GRANT OPTION FOR SELECT ON t FROM bob CASCADE", "REVOKE", PRIVILEGE),
                pg("grant role", "GRANT admin TO bob WITH ADMIN OPTION", "GRANT", PRIVILEGE),
                pg("create role", "CREATE ROLE bob LOGIN", "CREATE", PRIVILEGE),
                pg("create user", "CREATE USER bob", "CREATE", PRIVILEGE),
                pg("alter role set", "ALTER ROLE bob SET work_mem = '1MB'", "ALTER", PRIVILEGE),
                pg("alter group", "ALTER GROUP g ADD USER bob", "ALTER", PRIVILEGE),
                pg("drop role", "DROP ROLE IF EXISTS bob", "DROP", PRIVILEGE),
                pg("alter default privileges", "ALTER DEFAULT PRIVILEGES IN SCHEMA s GRANT SELECT ON TABLES TO bob", "ALTER", PRIVILEGE),
                pg("set role", "SET ROLE admin", "SET", PRIVILEGE),
                pg("set local role", "SET LOCAL role = 'admin'", "SET", PRIVILEGE),
                pg("set quoted role", "SET \"role\" TO admin", "SET", PRIVILEGE),
                pg("set U& role", "SET U&\"\\0072ole\" TO admin", "SET", PRIVILEGE),
                pg("set session authorization", "SET SESSION AUTHORIZATION bob", "SET", PRIVILEGE),
                pg("set local session authorization", "SET LOCAL SESSION AUTHORIZATION bob", "SET", PRIVILEGE),
                pg("reset role", "RESET ROLE", "RESET", PRIVILEGE),
                pg("set role default", "SET ROLE TO DEFAULT", "SET", PRIVILEGE),
                pg("set role quoted none is set role none", "SET ROLE 'none'", "SET", SESSION),
                pg("set role none is reset role", "SET ROLE NONE", "SET", SESSION),
                pg("reset session authorization", "RESET SESSION AUTHORIZATION", "RESET", PRIVILEGE),
                pg("owner to", "ALTER TABLE t ADD COLUMN c int, OWNER TO bob", "ALTER", DDL, PRIVILEGE),
                pg("owner to on a function", "ALTER FUNCTION f(int) OWNER TO bob", "ALTER", DDL, PRIVILEGE),
                pg("row level security", "ALTER TABLE t ENABLE ROW LEVEL SECURITY", "ALTER", DDL, PRIVILEGE),
                pg("no force row level security", "ALTER TABLE t NO FORCE ROW LEVEL SECURITY", "ALTER", DDL, PRIVILEGE),
                pg("create policy", "CREATE POLICY p ON t USING (true)", "CREATE", PRIVILEGE, DDL),
                pg("alter policy", "ALTER POLICY p ON t RENAME TO q", "ALTER", PRIVILEGE, DDL),
                pg("drop policy", "DROP POLICY p ON t", "DROP", PRIVILEGE, DDL),
                pg("reassign owned", "REASSIGN OWNED BY bob TO alice", "REASSIGN", PRIVILEGE),
                pg("drop owned", "DROP OWNED BY bob", "DROP", PRIVILEGE, DDL),
                pg("security label", "SECURITY LABEL FOR selinux ON TABLE t IS 'x'", "SECURITY", PRIVILEGE, DDL),
                pg("create schema authorization", "CREATE SCHEMA s AUTHORIZATION bob", "CREATE", DDL, PRIVILEGE),
                pg("create user mapping", "CREATE USER MAPPING FOR bob SERVER s", "CREATE", DDL, PRIVILEGE),
                pg("set_config role", "SELECT set_config('role', 'admin', false)", "SELECT", READ, PRIVILEGE),
                pg("set_config session_authorization in E string", "SELECT set_config(E'session_authorization', 'bob', true)", "SELECT", READ, PRIVILEGE),
                pg("set_config computed name", "SELECT set_config('ro' || 'le', 'admin', false)", "SELECT", READ, PRIVILEGE),
                // EXPORT
                pg("copy to stdout", "COPY t TO STDOUT WITH CSV", "COPY", EXPORT),
                pg("copy to file", "COPY t TO '/tmp/t.csv'", "COPY", EXPORT),
                pg("copy to program", "COPY (SELECT * FROM t) TO PROGRAM 'mail x'", "COPY", EXPORT, PROCEDURAL),
                pg("copy query with returning", "COPY (DELETE FROM t RETURNING *) TO STDOUT", "COPY", EXPORT, WRITE),
                pg("copy column list then to", "COPY t (a, b) TO STDOUT", "COPY", EXPORT),
                pg("pg_read_file", "SELECT pg_read_file('/etc/passwd')", "SELECT", READ, EXPORT),
                pg("qualified pg_read_binary_file", "SELECT pg_catalog.pg_read_binary_file('x')", "SELECT", READ, EXPORT),
                pg("quoted pg_ls_dir", "SELECT * FROM \"pg_ls_dir\"('.')", "SELECT", READ, EXPORT),
                pg("pg_stat_file in a join condition", "SELECT 1 FROM a JOIN b ON pg_stat_file('x') IS NOT NULL", "SELECT", READ, EXPORT),
                pg("lo_export", "SELECT lo_export(1234, '/tmp/x')", "SELECT", READ, EXPORT),
                pg("pg_read_file in a comment-separated call", "SELECT pg_read_file /* x */ ('/etc/passwd')", "SELECT", READ, EXPORT),
                // SESSION
                pg("begin", "BEGIN", "BEGIN", SESSION),
                pg("start transaction", "START TRANSACTION ISOLATION LEVEL SERIALIZABLE", "START", SESSION),
                pg("commit", "COMMIT", "COMMIT", SESSION),
                pg("end", "END", "END", SESSION),
                pg("rollback to savepoint", "ROLLBACK TO SAVEPOINT s", "ROLLBACK", SESSION),
                pg("savepoint", "SAVEPOINT s", "SAVEPOINT", SESSION),
                pg("release", "RELEASE SAVEPOINT s", "RELEASE", SESSION),
                pg("prepare transaction", "PREPARE TRANSACTION 'x'", "PREPARE", SESSION),
                pg("commit prepared", "COMMIT PREPARED 'x'", "COMMIT", SESSION),
                pg("set setting", "SET work_mem = '64MB'", "SET", SESSION),
                pg("set time zone", "SET TIME ZONE 'UTC'", "SET", SESSION),
                pg("set transaction", "SET TRANSACTION READ ONLY", "SET", SESSION),
                pg("set session characteristics", "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY", "SET", SESSION),
                pg("set search_path", "SET search_path TO s, public", "SET", SESSION),
                pg("set constraints", "SET CONSTRAINTS ALL DEFERRED", "SET", SESSION),
                pg("reset all", "RESET ALL", "RESET", SESSION),
                pg("listen", "LISTEN ch", "LISTEN", SESSION),
                pg("notify", "NOTIFY ch, 'x'", "NOTIFY", SESSION),
                pg("unlisten", "UNLISTEN *", "UNLISTEN", SESSION),
                pg("discard plans", "DISCARD PLANS", "DISCARD", SESSION),
                pg("discard all returns to the session user", "DISCARD ALL", "DISCARD", SESSION),
                pg("deallocate", "DEALLOCATE ALL", "DEALLOCATE", SESSION),
                pg("vacuum", "VACUUM (VERBOSE) t", "VACUUM", SESSION),
                pg("analyze", "ANALYZE t", "ANALYZE", SESSION),
                pg("checkpoint", "CHECKPOINT", "CHECKPOINT", SESSION),
                pg("load", "LOAD 'auto_explain'", "LOAD", PROCEDURAL), // runs a library's code in the server
                pg("lock", "LOCK TABLE t IN ACCESS EXCLUSIVE MODE", "LOCK", SESSION),
                pg("close", "CLOSE c", "CLOSE", SESSION),
                pg("advisory lock", "SELECT pg_advisory_lock(1)", "SELECT", READ, SESSION),
                pg("set_config other setting", "SELECT set_config('work_mem', '1MB', false)", "SELECT", READ, SESSION),
                // PROCEDURAL
                pg("do block: its statements count too", "DO $$ BEGIN DELETE FROM t; END $$", "DO", PROCEDURAL, WRITE),
                pg("do block with dynamic sql built at run time", "DO $$ BEGIN EXECUTE format('DELETE FROM %I', 't'); END $$", "DO", PROCEDURAL, READ),
                pg("call", "CALL p(1)", "CALL", PROCEDURAL),
                pg("dblink_exec", "SELECT dblink_exec('host=x', 'DROP TABLE t')", "SELECT", READ, PROCEDURAL),
                // UNKNOWN
                pg("execute of an unknown statement", "EXECUTE q(1)", "EXECUTE", UNKNOWN),
                pg("unrecognised verb", "FROBNICATE t", "FROBNICATE", UNKNOWN),
                pg("does not start with a keyword", "'x'", "UNKNOWN", UNKNOWN),
                pg("unterminated string", "SELECT 'x", "UNKNOWN", UNKNOWN),
                pg("unterminated nested comment", "SELECT 1 /* /* */", "UNKNOWN", UNKNOWN),
                pg("copy without direction", "COPY t", "COPY", UNKNOWN),
                pg("nesting beyond the bound", "EXPLAIN ANALYZE ".repeat(20) + "SELECT 1", "EXPLAIN", UNKNOWN),
                pg("mysql-only verb", "FLUSH PRIVILEGES", "FLUSH", UNKNOWN),
                pg("use is not a postgres statement", "USE db", "USE", UNKNOWN),
                pg("replace is not a postgres statement", "REPLACE INTO t VALUES (1)", "REPLACE", UNKNOWN),
                // attacker tricks
                pg("drop hidden in nested comment stays hidden", "SELECT 1 /* /* */ ; DROP TABLE t; */", "SELECT", READ),
                pg("standard string backslash does not hide the drop", "SELECT 'a\\'; DROP TABLE t; --'", "SELECT", READ, DDL),
                pg("E string backslash hides the quote", "SELECT E'a\\'; DROP TABLE t; --'", "SELECT", READ),
                pg("dollar quote hides the semicolon", "SELECT $x$; DROP TABLE t; $x$", "SELECT", READ));
    }

    static Stream<Arguments> mysql() {
        return Stream.of(
                my("select", "SELECT a FROM t", "SELECT", READ),
                my("show", "SHOW TABLES", "SHOW", READ),
                my("describe", "DESCRIBE t", "DESCRIBE", READ),
                my("explain table", "EXPLAIN t", "EXPLAIN", READ),
                my("explain format of a write", "EXPLAIN FORMAT=JSON DELETE FROM t", "EXPLAIN", READ),
                my("explain analyze", "EXPLAIN ANALYZE SELECT * FROM t", "EXPLAIN", READ),
                my("with select", "WITH x AS (SELECT 1) SELECT * FROM x", "SELECT", READ),
                my("select into variable", "SELECT a INTO @v FROM t LIMIT 1", "SELECT", READ, SESSION),
                my("insert", "INSERT INTO t VALUES (1)", "INSERT", WRITE),
                my("upsert", "INSERT INTO t VALUES (1) ON DUPLICATE KEY UPDATE a = 2", "INSERT", WRITE),
                my("replace", "REPLACE INTO t VALUES (1)", "REPLACE", WRITE),
                my("update", "UPDATE t SET a = 1 WHERE b = 2", "UPDATE", WRITE),
                my("multi-table delete", "DELETE t1 FROM t1 JOIN t2 ON t1.a = t2.a WHERE t2.b = 1", "DELETE", WRITE),
                my("with update", "WITH x AS (SELECT 1 AS a) UPDATE t, x SET t.a = x.a", "UPDATE", WRITE),
                my("load data", "LOAD DATA LOCAL INFILE '/tmp/x' INTO TABLE t", "LOAD", WRITE),
                my("create table", "CREATE TABLE t (a INT) ENGINE=InnoDB", "CREATE", DDL),
                my("create table select", "CREATE TABLE t SELECT * FROM s", "CREATE", DDL, WRITE),
                my("create definer view", "CREATE DEFINER=`root`@`localhost` SQL SECURITY DEFINER VIEW v AS SELECT 1", "CREATE", DDL),
                my("alter table", "ALTER TABLE t ADD COLUMN c INT", "ALTER", DDL),
                my("drop temporary table", "DROP TEMPORARY TABLE t", "DROP", DDL),
                my("rename table", "RENAME TABLE a TO b", "RENAME", DDL),
                my("truncate", "TRUNCATE TABLE t", "TRUNCATE", DDL, WRITE),
                my("create procedure", "CREATE PROCEDURE p() BEGIN DELETE FROM t; END", "CREATE", DDL),
                my("set global", "SET GLOBAL max_connections = 1000", "SET", SESSION, DDL),
                my("set @@global", "SET @@global.read_only = 0", "SET", SESSION, DDL),
                my("set persist after another", "SET a = 1, PERSIST b = 2", "SET", SESSION, DDL),
                my("set global then sql_log_bin", "SET GLOBAL max_connections = 151, sql_log_bin = 0", "SET", SESSION, DDL, PRIVILEGE),
                my("set global then names gbk", "SET GLOBAL max_connections = 151, NAMES gbk", "SET", SESSION, DDL, UNKNOWN),
                pg("update pg_settings is a setting change not read", "UPDATE pg_settings SET setting = 'x' WHERE name = 'role'", "UPDATE", WRITE, UNKNOWN),
                my("grant", "GRANT ALL ON db.* TO 'u'@'%'", "GRANT", PRIVILEGE),
                my("revoke", "REVOKE INSERT ON t FROM u", "REVOKE", PRIVILEGE),
                my("create user", "CREATE USER IF NOT EXISTS 'u'@'%' IDENTIFIED BY 'p'", "CREATE", PRIVILEGE),
                my("alter user", "ALTER USER 'u'@'%' IDENTIFIED BY 'p'", "ALTER", PRIVILEGE),
                my("drop user", "DROP USER 'u'@'%'", "DROP", PRIVILEGE),
                my("create role", "CREATE ROLE r", "CREATE", PRIVILEGE),
                my("set password", "SET PASSWORD FOR 'u'@'%' = 'x'", "SET", PRIVILEGE),
                my("set role", "SET ROLE ALL", "SET", PRIVILEGE),
                my("set default role", "SET DEFAULT ROLE r TO u", "SET", PRIVILEGE),
                my("rename user", "RENAME USER a TO b", "RENAME", PRIVILEGE),
                my("into outfile", "SELECT * FROM t INTO OUTFILE '/tmp/x'", "SELECT", READ, EXPORT),
                my("into dumpfile", "SELECT a FROM t LIMIT 1 INTO DUMPFILE '/tmp/x'", "SELECT", READ, EXPORT),
                my("load_file", "SELECT LOAD_FILE('/etc/passwd')", "SELECT", READ, EXPORT),
                my("load_file with a space before the parenthesis", "SELECT load_file ('/etc/passwd')", "SELECT", READ, EXPORT),
                my("begin", "BEGIN", "BEGIN", SESSION),
                my("start transaction", "START TRANSACTION", "START", SESSION),
                my("commit", "COMMIT", "COMMIT", SESSION),
                my("set names", "SET NAMES utf8mb4", "SET", SESSION),
                my("set names default takes the server's character set, unseen", "SET NAMES DEFAULT", "SET", SESSION, UNKNOWN),
                my("set session variable", "SET SESSION sql_mode = 'ANSI'", "SET", SESSION),
                my("set user variable", "SET @x = 1", "SET", SESSION),
                my("use", "USE db", "USE", SESSION),
                my("lock tables", "LOCK TABLES t WRITE", "LOCK", SESSION),
                my("unlock tables", "UNLOCK TABLES", "UNLOCK", SESSION),
                my("flush", "FLUSH TABLES", "FLUSH", SESSION),
                my("flush privileges reloads the grant tables", "FLUSH PRIVILEGES", "FLUSH", PRIVILEGE),
                my("get_lock", "SELECT GET_LOCK('x', 10)", "SELECT", READ, SESSION),
                my("call", "CALL p()", "CALL", PROCEDURAL),
                my("anonymous block", "BEGIN NOT ATOMIC DELETE FROM t; END", "BEGIN", PROCEDURAL),
                my("do evaluates expressions", "DO SLEEP(1)", "DO", READ),
                my("prepare from a literal write", "PREPARE s FROM 'DELETE FROM t'", "PREPARE", WRITE),
                my("prepare from a variable", "PREPARE s FROM @sql", "PREPARE", UNKNOWN),
                my("execute unknown", "EXECUTE s", "EXECUTE", UNKNOWN),
                my("execute immediate of a literal", "EXECUTE IMMEDIATE 'GRANT ALL ON *.* TO u'", "EXECUTE", PRIVILEGE),
                my("execute immediate of a variable", "EXECUTE IMMEDIATE @q", "EXECUTE", UNKNOWN),
                my("set statement for runs the statement", "SET STATEMENT max_statement_time = 1 FOR DELETE FROM t", "SET", SESSION, WRITE),
                my("analyze table", "ANALYZE TABLE t", "ANALYZE", SESSION),
                my("mariadb analyze runs the statement", "ANALYZE FORMAT=JSON DELETE FROM t WHERE a = 1", "ANALYZE", WRITE),
                my("mariadb next value for", "SELECT NEXT VALUE FOR s", "SELECT", READ, WRITE),
                my("drop prepare", "DROP PREPARE s", "DROP", SESSION),
                my("deallocate prepare", "DEALLOCATE PREPARE s", "DEALLOCATE", SESSION),
                my("unterminated backtick", "SELECT `a", "UNKNOWN", UNKNOWN),
                my("unrecognised verb", "FROBNICATE t", "FROBNICATE", UNKNOWN),
                my("postgres-only verb", "VACUUM t", "VACUUM", UNKNOWN),
                my("merge is not a mysql statement", "MERGE INTO t USING s ON true WHEN MATCHED THEN DELETE", "MERGE", UNKNOWN),
                // the mysql database's grant tables are privileges
                my("insert into mysql.user", "INSERT INTO mysql.user (Host, User) VALUES ('%', 'x')", "INSERT", WRITE, PRIVILEGE, DDL),
                my("update mysql.global_priv", "UPDATE mysql.global_priv SET Priv = '{}' WHERE User = 'x'", "UPDATE", WRITE, PRIVILEGE, DDL),
                my("delete from a quoted mysql.db", "DELETE FROM `mysql`.`DB` WHERE User = 'x'", "DELETE", WRITE, PRIVILEGE, DDL),
                my("replace into mysql.tables_priv", "REPLACE INTO mysql.tables_priv (Host, Db, User) VALUES ('%', 'd', 'x')",
                        "REPLACE", WRITE, PRIVILEGE, DDL),
                my("an unqualified grant table in the mysql database", "USE mysql; UPDATE roles_mapping SET Role = 'r' WHERE User = 'x'",
                        "USE", SESSION, WRITE, PRIVILEGE, DDL),
                my("load data into mysql.proxies_priv (not parsed, named)", "LOAD DATA LOCAL INFILE '/tmp/x' INTO TABLE mysql.proxies_priv",
                        "LOAD", WRITE, PRIVILEGE, DDL),
                my("truncate mysql.procs_priv", "TRUNCATE TABLE mysql.procs_priv", "TRUNCATE", DDL, WRITE, PRIVILEGE),
                my("drop mysql.columns_priv", "DROP TABLE mysql.columns_priv", "DROP", DDL, PRIVILEGE),
                my("reading a grant table is a read", "SELECT User FROM mysql.user", "SELECT", READ),
                my("a table called user elsewhere is an ordinary table", "UPDATE app.user SET a = 1 WHERE b = 2", "UPDATE", WRITE),
                my("drop database", "DROP DATABASE billing", "DROP", DDL),
                my("set a variable to a subquery", "SET @x = (SELECT ssn FROM users)", "SET", SESSION, READ),
                // attacker tricks
                my("executable comment holding a drop", "/*! DROP TABLE t */", "DROP", DDL),
                my("versioned executable comment holding a grant", "/*!50001 GRANT ALL ON *.* TO u */", "GRANT", PRIVILEGE),
                my("executable comment inside a select", "SELECT 1 /*! , LOAD_FILE('/etc/passwd') */", "SELECT", READ, EXPORT),
                my("optimizer hint is only a comment", "SELECT /*+ MAX_EXECUTION_TIME(1) */ 1", "SELECT", READ),
                my("dash dash digit is not a comment", "SELECT 1 --1\n", "SELECT", READ),
                my("backslash-escaped quote hides a drop that NO_BACKSLASH_ESCAPES would run", "SELECT 'a\\'; DROP TABLE t; #'", "SELECT", READ, DDL),
                my("backslash-escaped quote in an ordinary insert", "INSERT INTO t VALUES ('it\\'s', 'x')", "INSERT", WRITE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"postgres", "mysql"})
    void classifies(String name, Dialect dialect, String sql, String operation, Set<Kind> kinds) {
        List<StatementInfo> infos = new Analyzer(dialect, Catalog.EMPTY).analyze(sql, "public");
        EnumSet<Kind> all = EnumSet.noneOf(Kind.class);
        for (StatementInfo info : infos) {
            all.addAll(info.kinds());
        }
        assertEquals(kinds, all, () -> "kinds of " + sql + " notes " + infos.get(0).notes());
        assertEquals(operation, infos.get(0).operation(), "operation of " + sql);
    }
}
