package dev.gatehouse.bench;

import dev.gatehouse.sql.pg.PgParse;
import dev.gatehouse.sql.pg.PgQuery;
import dev.gatehouse.sql.pg.PgScan;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * libpg_query through JNI: parse to the JSON tree (as a Java String) and scan, per statement. Sampled, so the
 * report has the median (p0.50) as well as the mean. A text whose stack bound does not fit the calling thread's
 * stack is parsed on a stack of its own (see gatehouse_pgquery.c); run with {@code -jvmArgs -Xss16m} to see the
 * cost of that (about 5% for the 3 KB join, measured).
 * Run: {@code java -jar benchmarks/target/benchmarks.jar PgQueryBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PgQueryBenchmark {
    @Param({"point", "join12"})
    public String statement;

    private String sql;

    @Setup
    public void setUp() {
        if (!PgQuery.available()) throw new IllegalStateException(PgQuery.unavailableReason());
        sql = switch (statement) {
            case "point" -> "SELECT id, name FROM users WHERE id = 42";
            case "join12" -> join12();
            default -> throw new IllegalArgumentException(statement);
        };
    }

    /** A reporting query of about 3 KB: twelve joins, filters, grouping, ordering. */
    static String join12() {
        StringBuilder sb = new StringBuilder("SELECT o.id AS order_id, o.created_at, c.name AS customer_name, c.email");
        for (int i = 1; i <= 12; i++) {
            sb.append(", t").append(i).append(".label AS label_").append(i)
              .append(", coalesce(t").append(i).append(".amount, 0) * 1.19 AS gross_").append(i);
        }
        sb.append(" FROM orders o JOIN customers c ON c.id = o.customer_id");
        for (int i = 1; i <= 12; i++) {
            sb.append(i % 3 == 0 ? " LEFT JOIN" : " JOIN").append(" schema_").append(i).append(".table_").append(i)
              .append(" t").append(i).append(" ON t").append(i).append(".order_id = o.id AND t").append(i)
              .append(".tenant_id = o.tenant_id AND t").append(i).append(".deleted_at IS NULL AND t").append(i)
              .append(".valid_from <= o.created_at");
        }
        sb.append(" WHERE o.created_at >= DATE '2024-01-01' AND o.status IN ('paid', 'shipped', 'delivered')")
          .append(" AND c.country = 'DE' AND o.total BETWEEN 10 AND 10000")
          .append(" GROUP BY o.id, o.created_at, c.name, c.email");
        for (int i = 1; i <= 12; i++) sb.append(", t").append(i).append(".label, t").append(i).append(".amount");
        sb.append(" HAVING count(*) > 0 ORDER BY o.created_at DESC, o.id LIMIT 100 OFFSET 0");
        return sb.toString();
    }

    @Benchmark
    public PgParse parse() {
        return PgQuery.parse(sql, true);
    }

    @Benchmark
    public PgScan scan() {
        return PgQuery.scan(sql, true);
    }
}
