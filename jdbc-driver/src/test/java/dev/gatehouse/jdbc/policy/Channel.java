package dev.gatehouse.jdbc.policy;

import dev.gatehouse.jdbc.GatehouseDataSource;
import dev.gatehouse.proxy.ProxyFixture;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;

import static dev.gatehouse.jdbc.policy.ApprovalDesk.DESK;

/**
 * The two ways a tool reaches the real PostgreSQL through Gatehouse, both deciding by {@code examples/policy.yaml}
 * with holds answered at once (ZG001) instead of waiting for a vote: the driver URL, and pgjdbc through the wire
 * proxy ({@link ProxyFixture#underPolicy}, one for the test JVM).
 */
enum Channel {
    DRIVER {
        @Override
        DataSource dataSource() {
            GatehouseDataSource ds = new GatehouseDataSource();
            ds.setUrl(DESK.url(PolicyGuardTest.PG, ProxyFixture.EXAMPLE_POLICY, "gatehouse.review=fail"));
            return ds;
        }
    },
    PROXY {
        @Override
        DataSource dataSource() {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setURL("jdbc:postgresql://127.0.0.1:" + Proxy.FIXTURE.port() + "/test?sslmode=disable");
            ds.setUser("postgres");
            return ds;
        }
    };

    abstract DataSource dataSource();

    /** Started on first use of the proxy channel, for the rest of the test JVM. */
    private static final class Proxy {
        static final ProxyFixture FIXTURE = start();

        private static ProxyFixture start() {
            try {
                return ProxyFixture.underPolicy(ProxyFixture.EXAMPLE_POLICY);
            } catch (Exception e) {
                throw new IllegalStateException("could not start the proxy under the example policy", e);
            }
        }
    }
}
