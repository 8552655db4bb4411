package dev.gatehouse.bench;

import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.analysis.Analyzer;
import dev.gatehouse.sql.analysis.StatementInfo;
import dev.gatehouse.sql.catalog.SchemaCatalog;
import dev.gatehouse.sql.lex.LexException;
import dev.gatehouse.sql.lex.Splitter;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.StringProvider;
import net.sf.jsqlparser.statement.Statement;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A cold (uncached) analysis: lex, split, classify, parse and resolve lineage against a schema catalog,
 * as every first sight of a statement costs. {@code jsqlparserOnly} is the baseline of the same run: the
 * bare parser (JSqlParser, which MySQL text still goes through), driven directly, on the one-line statement.
 * Targets (issue 2): one-line OLTP under 50 µs, three-table join under 300 µs, lineage through a view under
 * 200 µs. {@code join12} is the long end (issue 11). {@code benchmarks/reader-bench.sh} runs this against an
 * older checkout in the same run.
 * Run: {@code java -jar benchmarks/target/benchmarks.jar AnalysisBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:-DontCompileHugeMethods", "-Xmx1g"})
public class AnalysisBenchmark {

    static final String SCHEMA = """
            CREATE TABLE users (id bigint primary key, name text, email text, ssn text, created_at timestamptz);
            CREATE TABLE orders (id bigint primary key, user_id bigint, total numeric(12,2), status text, placed_at timestamptz);
            CREATE TABLE order_items (id bigint primary key, order_id bigint, sku text, qty int, price numeric(12,2));
            CREATE TABLE products (id bigint primary key, sku text, name text, category_id bigint, supplier_id bigint,
              unit_weight_g int, list_price numeric(12,2), active boolean);
            CREATE TABLE categories (id bigint primary key, parent_id bigint, name text, slug text);
            CREATE TABLE suppliers (id bigint primary key, name text, country_code text, contact_email text);
            CREATE TABLE warehouses (id bigint primary key, code text, name text, region text, timezone text);
            CREATE TABLE inventory (product_id bigint, warehouse_id bigint, on_hand int, reserved int, reorder_point int,
              updated_at timestamptz, primary key (product_id, warehouse_id));
            CREATE TABLE shipments (id bigint primary key, order_id bigint, warehouse_id bigint, carrier_id bigint,
              tracking_number text, shipped_at timestamptz, delivered_at timestamptz, status text);
            CREATE TABLE carriers (id bigint primary key, name text, service_level text, sla_days int);
            CREATE TABLE addresses (id bigint primary key, user_id bigint, kind text, line1 text, city text, postal_code text,
              country_code text);
            CREATE TABLE payments (id bigint primary key, order_id bigint, method text, amount numeric(12,2), currency text,
              captured_at timestamptz, status text);
            CREATE VIEW customer_totals AS
              SELECT u.id, u.name, sum(o.total) AS spent FROM users u JOIN orders o ON o.user_id = u.id GROUP BY u.id, u.name;
            """;

    static final String POINT_SELECT = "SELECT id, name, email FROM users WHERE id = 42";
    static final String JOIN3 = "SELECT u.name, o.id, i.sku, i.qty FROM users u JOIN orders o ON o.user_id = u.id "
            + "JOIN order_items i ON i.order_id = o.id WHERE u.id = 7 AND o.status = 'open' ORDER BY o.placed_at DESC";
    static final String VIEW = "SELECT name, spent FROM customer_totals WHERE spent > 1000 ORDER BY spent DESC LIMIT 10";

    /**
     * A reporting query of the kind a back office runs (3 KB, 12 tables with one joined twice, aggregates, FILTER,
     * CASE, functions): where the reader's cost grows with the text rather than with a fixed per-statement toll.
     */
    static final String JOIN12 = """
            SELECT o.id AS order_id,
                   o.placed_at,
                   date_trunc('day', o.placed_at) AS order_day,
                   o.status AS order_status,
                   u.id AS customer_id,
                   coalesce(u.name, 'anonymous') AS customer_name,
                   lower(u.email) AS customer_email,
                   a.city AS ship_city,
                   a.postal_code AS ship_postal_code,
                   upper(a.country_code) AS ship_country,
                   pc.name AS parent_category,
                   c.name AS category,
                   s.name AS supplier,
                   s.country_code AS supplier_country,
                   w.code AS warehouse_code,
                   w.region AS warehouse_region,
                   ca.name AS carrier,
                   ca.service_level,
                   sh.tracking_number,
                   count(DISTINCT i.id) AS line_count,
                   sum(i.qty) AS units,
                   count(DISTINCT p.supplier_id) AS supplier_count,
                   round(sum(i.qty * i.price), 2) AS goods_value,
                   round(sum(i.qty * p.unit_weight_g) / 1000.0, 3) AS weight_kg,
                   sum(CASE WHEN inv.on_hand - inv.reserved < i.qty THEN 1 ELSE 0 END) AS short_lines,
                   min(inv.on_hand - inv.reserved) AS tightest_stock,
                   max(pay.captured_at) AS last_capture,
                   coalesce(sum(pay.amount) FILTER (WHERE pay.status = 'captured'), 0) AS captured_amount,
                   o.total - coalesce(sum(pay.amount) FILTER (WHERE pay.status = 'captured'), 0) AS outstanding,
                   extract(epoch FROM (coalesce(sh.delivered_at, now()) - sh.shipped_at)) / 3600 AS hours_in_transit,
                   CASE
                     WHEN sh.delivered_at IS NOT NULL THEN 'delivered'
                     WHEN sh.shipped_at < now() - make_interval(days => ca.sla_days) THEN 'late'
                     WHEN sh.shipped_at IS NOT NULL THEN 'in transit'
                     ELSE 'not shipped'
                   END AS delivery_state
            FROM orders o
            JOIN users u ON u.id = o.user_id
            JOIN order_items i ON i.order_id = o.id
            JOIN products p ON p.sku = i.sku
            JOIN categories c ON c.id = p.category_id
            LEFT JOIN categories pc ON pc.id = c.parent_id
            JOIN suppliers s ON s.id = p.supplier_id
            LEFT JOIN shipments sh ON sh.order_id = o.id
            LEFT JOIN warehouses w ON w.id = sh.warehouse_id
            LEFT JOIN inventory inv ON inv.product_id = p.id AND inv.warehouse_id = w.id
            LEFT JOIN carriers ca ON ca.id = sh.carrier_id
            LEFT JOIN addresses a ON a.user_id = u.id AND a.kind = 'shipping'
            LEFT JOIN payments pay ON pay.order_id = o.id AND pay.currency = 'EUR'
            WHERE o.placed_at >= '2026-10-01'
              AND o.placed_at < '2026-11-01'
              AND o.status IN ('paid', 'packed', 'shipped', 'delivered')
              AND o.total BETWEEN 1.00 AND 250000.00
              AND p.active
              AND coalesce(c.slug, '') NOT IN ('gift-cards', 'internal')
              AND s.country_code <> 'XX'
              AND (w.region IS NULL OR w.region IN ('eu-west', 'eu-central'))
              AND lower(u.email) NOT LIKE '%@example.test'
            GROUP BY o.id, o.placed_at, o.status, o.total, u.id, u.name, u.email, a.city, a.postal_code, a.country_code,
                     pc.name, c.name, s.name, s.country_code, w.code, w.region, ca.name, ca.service_level, ca.sla_days,
                     sh.tracking_number, sh.shipped_at, sh.delivered_at
            HAVING sum(i.qty) > 0
            ORDER BY order_day DESC, goods_value DESC, o.id
            LIMIT 500
            """;

    private Analyzer analyzer;

    @Setup
    public void setUp() throws LexException {
        analyzer = new Analyzer(Dialect.POSTGRES,
                SchemaCatalog.fromStatements(Splitter.split(SCHEMA, Dialect.POSTGRES), Dialect.POSTGRES, "public"));
        // A statement the reader fails on costs a fallback, not a reading: refuse to time that. A few tries,
        // because in a fresh JVM the first, interpreted reads may run out of a parse budget (JSqlParser's
        // 250 ms in 5173f85) that warm code stays far below.
        for (String sql : List.of(POINT_SELECT, JOIN3, VIEW, JOIN12)) {
            List<StatementInfo> read = analyzer.analyze(sql, "public");
            for (int i = 0; i < 20 && !fullyRead(read); i++) {
                read = analyzer.analyze(sql, "public");
            }
            if (!fullyRead(read)) {
                throw new IllegalStateException("not fully read, so not a cold-read benchmark: " + read);
            }
        }
    }

    private static boolean fullyRead(List<StatementInfo> read) {
        return read.size() == 1 && !read.get(0).isUnknown() && read.get(0).lineageComplete();
    }

    @Benchmark
    public Statement jsqlparserOnly() throws Exception {
        return new CCJSqlParser(new StringProvider(POINT_SELECT)).Statement();
    }

    @Benchmark
    public List<StatementInfo> pointSelect() {
        return analyzer.analyze(POINT_SELECT, "public");
    }

    @Benchmark
    public List<StatementInfo> threeTableJoin() {
        return analyzer.analyze(JOIN3, "public");
    }

    @Benchmark
    public List<StatementInfo> join12() {
        return analyzer.analyze(JOIN12, "public");
    }

    @Benchmark
    public List<StatementInfo> viewLineage() {
        return analyzer.analyze(VIEW, "public");
    }
}
