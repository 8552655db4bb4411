package dev.gatehouse.sql.catalog;

import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.analysis.TableName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/** The schema-file catalog: what it understands, what it ignores, and how it reports what it cannot read. */
class SchemaCatalogTest {

    /** A named schema file and the columns (or absence) expected for one relation in it. */
    record Shape(String name, Dialect dialect, String defaultSchema, List<String> statements, String relation,
                 List<String> columns, boolean view) {
    }

    static Shape pg(String name, String relation, List<String> columns, String... statements) {
        return new Shape(name, Dialect.POSTGRES, "public", List.of(statements), relation, columns, false);
    }

    static Shape pgView(String name, String relation, List<String> columns, String... statements) {
        return new Shape(name, Dialect.POSTGRES, "public", List.of(statements), relation, columns, true);
    }

    static Shape my(String name, String relation, List<String> columns, String... statements) {
        return new Shape(name, Dialect.MYSQL, null, List.of(statements), relation, columns, false);
    }

    static Stream<Shape> shapes() {
        return Stream.of(
                pg("table columns in declaration order, constraints skipped", "public.t", List.of("a", "b"),
                        "CREATE TABLE t (a int PRIMARY KEY, b text NOT NULL, CONSTRAINT c UNIQUE (b))"),
                pg("unquoted names fold, quoted names keep case", "public.Mixed", List.of("Id", "name"),
                        "CREATE TABLE \"Mixed\" (\"Id\" int, NAME text)"),
                pg("schema-qualified table", "billing.inv", List.of("id"),
                        "CREATE SCHEMA billing", "CREATE TABLE billing.inv (id int)"),
                pg("SET search_path changes where unqualified tables go", "app.t", List.of("x"),
                        "CREATE SCHEMA app", "SET search_path TO app, public", "CREATE TABLE t (x int)"),
                pg("SET search_path = with $user first", "app.t", List.of("x"),
                        "SET search_path = \"$user\", app", "CREATE TABLE t (x int)"),
                pg("comments before the statement", "public.t", List.of("a"),
                        "-- the users table\n/* plain comment */ CREATE TABLE t (a int)"),
                pg("IF NOT EXISTS keeps the first definition", "public.t", List.of("a"),
                        "CREATE TABLE t (a int)", "CREATE TABLE IF NOT EXISTS t (b int)"),
                pg("CREATE TABLE AS takes the query's output names", "public.c", List.of("id", "mail"),
                        "CREATE TABLE u (id int, email text)", "CREATE TABLE c AS SELECT id, email AS mail FROM u"),
                pg("INHERITS puts parent columns first", "public.child", List.of("id", "extra"),
                        "CREATE TABLE parent (id int)", "CREATE TABLE child (extra text) INHERITS (parent)"),
                pg("ALTER TABLE ADD, DROP and RENAME COLUMN", "public.t", List.of("b2", "c"),
                        "CREATE TABLE t (a int, b int)", "ALTER TABLE t ADD COLUMN c text",
                        "ALTER TABLE t DROP COLUMN a", "ALTER TABLE t RENAME COLUMN b TO b2"),
                pg("ALTER TABLE RENAME TO", "public.u", List.of("a"),
                        "CREATE TABLE t (a int)", "ALTER TABLE t RENAME TO u"),
                pg("DROP TABLE removes it", "public.t", null,
                        "CREATE TABLE t (a int)", "DROP TABLE t"),
                pg("statements that define no relation are ignored", "public.t", List.of("a"),
                        "CREATE TABLE t (a int)", "CREATE INDEX i ON t (a)", "GRANT SELECT ON t TO bob",
                        "INSERT INTO t VALUES (1)", "COMMENT ON TABLE t IS 'x'",
                        "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$",
                        "ALTER TABLE ONLY t OWNER TO bob", "-- just a comment"),
                pg("partitioned table (PARTITION BY)", "public.m", List.of("id", "at"),
                        "CREATE TABLE m (id int, at date) PARTITION BY RANGE (at)"),
                pg("partition of a parent takes its columns", "public.m_2024", List.of("id", "at"),
                        "CREATE TABLE m (id int, at date) PARTITION BY RANGE (at)",
                        "CREATE TABLE public.m_2024 PARTITION OF public.m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')"),
                pgView("view columns from its select list", "public.v", List.of("a", "n"),
                        "CREATE TABLE t (a int, b text)", "CREATE VIEW v AS SELECT a, upper(b) AS n FROM t"),
                pgView("view star expands through earlier tables", "public.v", List.of("a", "b"),
                        "CREATE TABLE t (a int, b text)", "CREATE OR REPLACE VIEW v AS SELECT * FROM t"),
                pgView("view column list renames", "public.v", List.of("x", "y"),
                        "CREATE TABLE t (a int, b text)", "CREATE VIEW v (x, y) AS SELECT a, b FROM t"),
                pgView("materialized view", "public.mv", List.of("a"),
                        "CREATE TABLE t (a int)", "CREATE MATERIALIZED VIEW mv AS SELECT a FROM t"),
                my("USE sets the database for later tables", "shop.customers", List.of("id", "name"),
                        "CREATE DATABASE shop", "USE shop", "CREATE TABLE customers (id int, NAME varchar(5))"),
                my("backticks stripped and lower-cased", "shop.products", List.of("id", "title"),
                        "USE `Shop`", "CREATE TABLE `Products` (`Id` int, `Title` text) ENGINE=InnoDB"),
                new Shape("MySQL view with algorithm and definer (mysqldump)", Dialect.MYSQL, null, List.of("USE shop",
                        "CREATE TABLE t (id int)",
                        "CREATE ALGORITHM=UNDEFINED DEFINER=`root`@`localhost` SQL SECURITY DEFINER VIEW v AS SELECT id FROM t"),
                        "shop.v", List.of("id"), true),
                my("mysqldump table options", "shop.t", List.of("id", "n"), "USE shop",
                        "CREATE TABLE `t` (`id` int NOT NULL AUTO_INCREMENT, `n` varchar(5) DEFAULT NULL, PRIMARY KEY (`id`), "
                                + "KEY `k` (`n`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"),
                my("CREATE TABLE LIKE copies columns", "shop.c", List.of("a", "b"), "USE shop",
                        "CREATE TABLE p (a int, b int)", "CREATE TABLE c LIKE p"),
                // statements read by the MySQL lexer, as the server reads them
                my("a -- comment ended by \\r", "shop.t", List.of("a"), "-- dumped\rUSE shop", "CREATE TABLE t (a int)"),
                my("a doubled backtick in a database name", "my`db.t", List.of("a"), "USE `my``db`",
                        "CREATE TABLE t (a int)"));
    }

    @TestFactory
    Stream<DynamicTest> relationShapes() {
        return shapes().map(s -> dynamicTest(s.name(), () -> {
            SchemaCatalog catalog = SchemaCatalog.fromStatements(s.statements(), s.dialect(), s.defaultSchema());
            int dot = s.relation().indexOf('.');
            TableName name = new TableName(s.relation().substring(0, dot), s.relation().substring(dot + 1));
            Relation relation = catalog.find(name).orElse(null);
            if (s.columns() == null) {
                assertNull(relation, "relation should be absent");
                return;
            }
            assertTrue(relation != null, "missing " + name + " among " + catalog.relations());
            assertEquals(s.columns(), relation.columns());
            assertEquals(s.view(), relation.isView(), "view?");
            assertTrue(catalog.hasSchema(name.schema()), "schema known");
        }));
    }

    /** A schema file that must be rejected, and text the error must contain. */
    record Rejected(String name, Dialect dialect, List<String> statements, int statementNumber, String mentions) {
    }

    static Stream<Rejected> rejected() {
        return Stream.of(
                new Rejected("unparseable CREATE TABLE names its statement", Dialect.POSTGRES,
                        List.of("CREATE TABLE ok (a int)", "CREATE TABLE broken (a int,, b)"), 2, "CREATE TABLE broken"),
                new Rejected("unparseable CREATE VIEW names its statement", Dialect.POSTGRES,
                        List.of("CREATE TABLE t (a int)", "GRANT SELECT ON t TO x", "CREATE VIEW v AS SELECT FROM WHERE"), 3,
                        "CREATE VIEW v"),
                new Rejected("partition of an unknown parent", Dialect.POSTGRES,
                        List.of("CREATE TABLE p PARTITION OF nowhere FOR VALUES IN (1)"), 1, "nowhere"),
                new Rejected("LIKE of an unknown table", Dialect.MYSQL,
                        List.of("USE shop", "CREATE TABLE c LIKE nothing_here"), 2, "nothing_here"),
                new Rejected("MySQL unparseable table", Dialect.MYSQL,
                        List.of("CREATE TABLE `t` (a int"), 1, "CREATE TABLE"));
    }

    @TestFactory
    Stream<DynamicTest> badInputGivesAClearError() {
        return rejected().map(r -> dynamicTest(r.name(), () -> {
            SchemaFileException e = assertThrows(SchemaFileException.class,
                    () -> SchemaCatalog.fromStatements(r.statements(), r.dialect(), null));
            assertEquals(r.statementNumber(), e.statementNumber());
            assertTrue(e.getMessage().startsWith("schema statement " + r.statementNumber() + ": "), e.getMessage());
            assertTrue(e.getMessage().contains(r.mentions()), e.getMessage());
        }));
    }

    @Test
    void defaultSchemaFollowsUseAndSearchPath() {
        assertEquals("shop", SchemaCatalog.fromStatements(List.of("USE shop"), Dialect.MYSQL, null).defaultSchema());
        assertNull(SchemaCatalog.fromStatements(List.of("CREATE TABLE t (a int)"), Dialect.MYSQL, null).defaultSchema());
        assertEquals("app", SchemaCatalog.fromStatements(List.of("SET search_path TO \"$user\", app"), Dialect.POSTGRES,
                "public").defaultSchema());
        assertEquals(List.of("$user", "app"), SchemaCatalog.fromStatements(List.of("SET search_path TO \"$user\", app"),
                Dialect.POSTGRES, "public").searchPath());
        assertEquals("public", SchemaCatalog.fromStatements(List.of(), Dialect.POSTGRES, null).defaultSchema());
    }

    @Test
    void versionIsAContentHash() {
        SchemaCatalog a = SchemaCatalog.fromStatements(List.of("CREATE TABLE t (a int)"), Dialect.POSTGRES, "public");
        SchemaCatalog same = SchemaCatalog.fromStatements(List.of("create table T (A int)"), Dialect.POSTGRES, "public");
        SchemaCatalog otherColumn = SchemaCatalog.fromStatements(List.of("CREATE TABLE t (b int)"), Dialect.POSTGRES, "public");
        SchemaCatalog otherSchema = SchemaCatalog.fromStatements(List.of("CREATE TABLE t (a int)"), Dialect.POSTGRES, "app");
        SchemaCatalog view = SchemaCatalog.fromStatements(List.of("CREATE TABLE u (a int)", "CREATE VIEW t AS SELECT a FROM u"),
                Dialect.POSTGRES, "public");
        assertEquals(a.version(), same.version());
        assertNotEquals(a.version(), otherColumn.version());
        assertNotEquals(a.version(), otherSchema.version());
        assertNotEquals(a.version(), view.version());
        assertNotEquals(Catalog.EMPTY.version(), a.version());
        assertNotEquals(0L, SchemaCatalog.fromStatements(List.of(), Dialect.POSTGRES, null).version());
    }

    @Test
    void unknownSchemaIsNotKnown() {
        SchemaCatalog catalog = SchemaCatalog.fromStatements(List.of("CREATE SCHEMA IF NOT EXISTS billing"),
                Dialect.POSTGRES, "public");
        assertTrue(catalog.hasSchema("billing"));
        assertTrue(catalog.hasSchema("public"));
        assertFalse(catalog.hasSchema("nope"));
    }
}
