package dev.gatehouse.sql.lineage;

import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.catalog.Catalog;
import dev.gatehouse.sql.catalog.SchemaCatalog;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * Whether a statement is parsed depends on its size and shape only, never on time: each case is analysed
 * three times and must give the same lineage each time, parsed or refused with its fixed note.
 */
class ParseBoundsTest {
    private static final List<String> MY_SCHEMA = List.of("CREATE DATABASE shop", "USE shop",
            "CREATE TABLE t (a int, b varchar(20), c datetime)", "CREATE TABLE users (id int, ssn varchar(11))");
    private static final List<String> PG_SCHEMA = List.of("CREATE TABLE t (a int, b text, c timestamp)",
            "CREATE TABLE users (id int, ssn text)");

    private record Case(String name, Dialect dialect, String sql, boolean parsed, String note) {
    }

    /** {@code INSERT INTO t (a, b, c) VALUES row, row, ...} of at least {@code chars} characters. */
    static String insert(int chars, String row) {
        StringBuilder sb = new StringBuilder(chars + 64).append("INSERT INTO t (a, b, c) VALUES ");
        for (int i = 0; sb.length() < chars; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(row.replace("#", Integer.toString(i)));
        }
        return sb.toString();
    }

    /** {@code depth} subqueries, each in the IN list of the one around it. */
    static String nestedIn(int depth) {
        return "SELECT id FROM users WHERE id IN " + "(SELECT id FROM users WHERE id IN ".repeat(depth) + "(1)"
                + ")".repeat(depth);
    }

    static Stream<Case> cases() {
        int mib = 1 << 20;
        return Stream.of(
                new Case("mysql 16 MiB of literal rows is read", Dialect.MYSQL, insert(16 * mib, "(#, 'name #', NULL)"), true, null),
                new Case("mysql 1 MiB of rows calling a function is read", Dialect.MYSQL, insert(mib, "(#, 'n#', now())"), true, null),
                new Case("mysql rows with comments and escapes between them are read", Dialect.MYSQL,
                        insert(256 * 1024, "(#, 'its -- #', /* x */ now()) -- y\n"), true, null),
                new Case("mysql rows of many shapes past the size bound are refused", Dialect.MYSQL,
                        insert(mib, "(#, 'n', f#())"), false, "statement longer than 65536 characters is not parsed"),
                new Case("pg 16 MiB of literal rows is read", Dialect.POSTGRES, insert(16 * mib, "(#, E'name\\\\#', NULL)"), true, null),
                new Case("pg 1 MiB of rows with casts, escapes and comments is read", Dialect.POSTGRES,
                        insert(mib, "(#, 'x''#'::text, /* ( */ now()) -- )\n"), true, null),
                new Case("pg rows of many shapes past the size bound are refused", Dialect.POSTGRES,
                        insert(mib, "(#, 'n', f#())"), false, "statement longer than 65536 characters is not parsed"),
                new Case("subqueries nested eight deep are read", Dialect.MYSQL, nestedIn(8), true, null),
                new Case("subqueries nested thirteen deep are refused (about 2 s of parsing)", Dialect.MYSQL, nestedIn(13),
                        false, "subqueries nested too deeply for their size are not parsed"),
                new Case("pg subqueries nested thirteen deep are refused", Dialect.POSTGRES, nestedIn(13),
                        false, "subqueries nested too deeply for their size are not parsed"),
                new Case("parentheses nested past the bound are refused", Dialect.MYSQL,
                        "SELECT " + "(".repeat(65) + "1" + ")".repeat(65), false, "parentheses nested deeper than 64 are not parsed"));
    }

    @TestFactory
    Stream<DynamicTest> sameAnswerEveryTime() {
        LineageAnalyzer my = new LineageAnalyzer(Dialect.MYSQL, SchemaCatalog.fromStatements(MY_SCHEMA, Dialect.MYSQL, null));
        LineageAnalyzer pg = new LineageAnalyzer(Dialect.POSTGRES, SchemaCatalog.fromStatements(PG_SCHEMA, Dialect.POSTGRES, "public"));
        return cases().map(c -> dynamicTest(c.name, () -> {
            LineageAnalyzer analyzer = c.dialect == Dialect.MYSQL ? my : pg;
            List<String> path = List.of(c.dialect == Dialect.MYSQL ? "shop" : "public");
            Lineage first = analyzer.analyze(c.sql, path);
            assertEquals(c.parsed, first.parsed(), () -> "parsed, notes " + first.notes());
            if (c.note != null) {
                assertTrue(first.notes().get(0).contains(c.note), () -> "notes " + first.notes());
            } else {
                assertTrue(first.complete(), () -> "complete, notes " + first.notes());
            }
            for (int run = 0; run < 2; run++) {
                assertEquals(first, analyzer.analyze(c.sql, path), "the same lineage on every run");
            }
        }));
    }
}
