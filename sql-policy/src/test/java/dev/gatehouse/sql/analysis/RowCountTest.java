package dev.gatehouse.sql.analysis;

import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.catalog.Catalog;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static dev.gatehouse.sql.Dialect.MYSQL;
import static dev.gatehouse.sql.Dialect.POSTGRES;
import static dev.gatehouse.sql.analysis.RowCount.COUNTED;
import static dev.gatehouse.sql.analysis.RowCount.LISTED;
import static dev.gatehouse.sql.analysis.RowCount.NONE;
import static dev.gatehouse.sql.analysis.RowCount.UNCOUNTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * What the server's row count tells of each statement's writes (a max_rows limit counts on it), both dialects,
 * through the Analyzer. The last statement of the text is the one judged (earlier ones prepare it).
 */
class RowCountTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                // the statements: the count is every row they touch
                arguments("pg delete where id = id", POSTGRES, "DELETE FROM orders WHERE id = id", COUNTED),
                arguments("pg delete where not null", POSTGRES, "DELETE FROM orders WHERE id IS NOT NULL", COUNTED),
                arguments("pg delete in subquery", POSTGRES, "DELETE FROM orders WHERE id IN (SELECT id FROM orders)", COUNTED),
                arguments("pg merge", POSTGRES, "MERGE INTO orders o USING orders s ON o.id = s.id WHEN MATCHED THEN UPDATE SET note = 'x'", COUNTED),
                arguments("pg insert select on conflict", POSTGRES, "INSERT INTO orders SELECT * FROM orders ON CONFLICT (id) DO UPDATE SET note = 'x'", COUNTED),
                arguments("pg update returning", POSTGRES, "UPDATE orders SET note = 'x' RETURNING id", COUNTED),
                arguments("pg insert from a query", POSTGRES, "INSERT INTO orders SELECT 1", COUNTED),
                arguments("pg insert values on conflict do nothing", POSTGRES, "INSERT INTO orders VALUES (1) ON CONFLICT DO NOTHING", COUNTED),
                arguments("pg insert from with values", POSTGRES, "INSERT INTO orders WITH v AS (SELECT 1) VALUES (1)", COUNTED),
                // adds what it lists
                arguments("pg insert values", POSTGRES, "INSERT INTO orders VALUES (1), (2)", LISTED),
                arguments("pg insert default values", POSTGRES, "INSERT INTO orders DEFAULT VALUES", LISTED),
                // writes the count leaves out
                arguments("pg data-modifying with under a delete", POSTGRES,
                        "WITH d AS (DELETE FROM orders RETURNING id) DELETE FROM orders WHERE false", UNCOUNTED),
                arguments("pg data-modifying with under a select", POSTGRES,
                        "WITH d AS (DELETE FROM orders RETURNING id) SELECT count(*) FROM d", UNCOUNTED),
                arguments("pg data-modifying with under an insert's query", POSTGRES,
                        "WITH d AS (UPDATE orders SET note = 'x' RETURNING *) INSERT INTO archive SELECT * FROM d", UNCOUNTED),
                arguments("pg copy from", POSTGRES, "COPY orders FROM STDIN", UNCOUNTED),
                arguments("pg truncate", POSTGRES, "TRUNCATE orders", UNCOUNTED),
                arguments("pg create table as", POSTGRES, "CREATE TABLE x AS SELECT * FROM orders", UNCOUNTED),
                arguments("pg do block", POSTGRES, "DO $$BEGIN DELETE FROM orders; END$$", UNCOUNTED),
                arguments("pg explain analyze runs it", POSTGRES, "EXPLAIN ANALYZE DELETE FROM orders", UNCOUNTED),
                arguments("pg execute of a prepared write", POSTGRES, "PREPARE p AS DELETE FROM orders; EXECUTE p", UNCOUNTED),
                // no row of a table written
                arguments("pg select", POSTGRES, "SELECT * FROM orders", NONE),
                arguments("pg select for update", POSTGRES, "SELECT * FROM orders FOR UPDATE", NONE),
                arguments("pg nextval", POSTGRES, "SELECT nextval('orders_id_seq')", NONE),
                arguments("pg explain runs nothing", POSTGRES, "EXPLAIN DELETE FROM orders", NONE),
                arguments("pg prepare runs nothing", POSTGRES, "PREPARE p AS DELETE FROM orders", NONE),
                arguments("pg execute of a prepared read", POSTGRES, "PREPARE p AS SELECT 1; EXECUTE p", NONE),
                arguments("pg drop table", POSTGRES, "DROP TABLE orders", NONE),
                // MySQL and MariaDB
                arguments("mysql delete where id = id", MYSQL, "DELETE FROM orders WHERE id = id", COUNTED),
                arguments("mysql multi-table delete", MYSQL, "DELETE o, i FROM orders o JOIN items i ON i.order_id = o.id", COUNTED),
                arguments("mysql update", MYSQL, "UPDATE orders SET note = 'x' WHERE id IS NOT NULL", COUNTED),
                arguments("mysql replace values", MYSQL, "REPLACE INTO orders VALUES (1, 'x')", COUNTED),
                arguments("mysql replace select", MYSQL, "REPLACE INTO orders SELECT * FROM orders", COUNTED),
                arguments("mysql on duplicate key", MYSQL, "INSERT INTO orders SELECT * FROM orders ON DUPLICATE KEY UPDATE note = 'x'", COUNTED),
                arguments("mysql values on duplicate key", MYSQL, "INSERT INTO orders VALUES (1, 'x') ON DUPLICATE KEY UPDATE note = 'x'", COUNTED),
                arguments("mysql insert select", MYSQL, "INSERT INTO orders SELECT * FROM orders", COUNTED),
                arguments("mysql insert values", MYSQL, "INSERT INTO orders VALUES (1, 'x')", LISTED),
                arguments("mysql insert set", MYSQL, "INSERT INTO orders SET id = 1", LISTED),
                arguments("mysql load data", MYSQL, "LOAD DATA INFILE '/tmp/x' INTO TABLE orders", UNCOUNTED),
                arguments("mysql mariadb analyze runs it", MYSQL, "ANALYZE DELETE FROM orders", UNCOUNTED),
                arguments("mysql execute of a prepared write", MYSQL, "PREPARE s FROM 'DELETE FROM orders'; EXECUTE s", UNCOUNTED),
                arguments("mysql create table select", MYSQL, "CREATE TABLE x AS SELECT * FROM orders", UNCOUNTED),
                arguments("mysql select", MYSQL, "SELECT * FROM orders", NONE),
                arguments("mysql explain", MYSQL, "EXPLAIN DELETE FROM orders", NONE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rowCount(String name, Dialect dialect, String sql, RowCount expected) {
        List<StatementInfo> statements = new Analyzer(dialect, Catalog.EMPTY).analyze(sql, dialect == POSTGRES ? "public" : "shop");
        assertEquals(expected, statements.get(statements.size() - 1).rowCount(), sql);
    }
}
