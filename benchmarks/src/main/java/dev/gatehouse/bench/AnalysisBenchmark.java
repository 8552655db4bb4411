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
 * bare parser, driven directly, on the one-line statement. Targets (issue 2): one-line OLTP under 50 µs,
 * three-table join under 300 µs, lineage through a view under 200 µs.
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
            CREATE VIEW customer_totals AS
              SELECT u.id, u.name, sum(o.total) AS spent FROM users u JOIN orders o ON o.user_id = u.id GROUP BY u.id, u.name;
            """;

    static final String POINT_SELECT = "SELECT id, name, email FROM users WHERE id = 42";
    static final String JOIN3 = "SELECT u.name, o.id, i.sku, i.qty FROM users u JOIN orders o ON o.user_id = u.id "
            + "JOIN order_items i ON i.order_id = o.id WHERE u.id = 7 AND o.status = 'open' ORDER BY o.placed_at DESC";
    static final String VIEW = "SELECT name, spent FROM customer_totals WHERE spent > 1000 ORDER BY spent DESC LIMIT 10";

    private Analyzer analyzer;

    @Setup
    public void setUp() throws LexException {
        analyzer = new Analyzer(Dialect.POSTGRES,
                SchemaCatalog.fromStatements(Splitter.split(SCHEMA, Dialect.POSTGRES), Dialect.POSTGRES, "public"));
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
    public List<StatementInfo> viewLineage() {
        return analyzer.analyze(VIEW, "public");
    }
}
