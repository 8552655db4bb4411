package dev.gatehouse.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.gatehouse.enforce.guard.Execution;
import dev.gatehouse.policy.ReviewSpec.HoldMode;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The driver under real tools: a HikariCP pool over its DataSource, and a Flyway migration whose DDL is held. */
class PoolAndMigrationTest {

    @Test
    void hikariPoolsGuardedConnections() throws Exception {
        String table = Databases.uniqueTable("gh_pool");
        Scenario s = new Scenario().deny("pool_forbidden", "no-pool");
        HikariConfig config = new HikariConfig();
        config.setDataSourceClassName(GatehouseDataSource.class.getName());
        config.addDataSourceProperty("url", s.url(Databases.PG));
        config.setMaximumPoolSize(3);
        config.setAutoCommit(false);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE " + table + " (id int)");
                c.commit();
            }
            List<CompletableFuture<Void>> work = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int id = t;
                work.add(CompletableFuture.runAsync(() -> {
                    try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
                        st.executeUpdate("INSERT INTO " + table + " VALUES (" + id + ")");
                        // A denial inside the pooled transaction aborts it; the pool's rollback on return cleans up.
                        assertThrows(SQLException.class, () -> st.execute("SELECT 1 /* pool_forbidden */"));
                        c.commit();
                    } catch (SQLException e) {
                        throw new AssertionError(e);
                    }
                }, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()));
            }
            CompletableFuture.allOf(work.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
            assertEquals(0, Databases.count(Databases.PG, table), "every transaction held a denial: none committed");
            try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO " + table + " VALUES (100)");
                c.commit();
            }
            assertEquals(1, Databases.count(Databases.PG, table), "pooled connections work after the aborts");
            assertTrue(s.contexts.size() <= 3, "the pool holds at most 3 connections, got " + s.contexts.size());
            assertEquals(8, s.checked.stream().filter(e -> e.sql().contains("pool_forbidden")).count());
        } finally {
            Databases.drop(Databases.PG, table);
        }
    }

    @Test
    void flywayMigrationRunsThroughTheDriverWithItsDdlHeldForReview(@TempDir Path migrations) throws Exception {
        String schema = Databases.uniqueTable("gh_fly");
        Files.writeString(migrations.resolve("V1__accounts.sql"), """
                CREATE TABLE accounts (id int PRIMARY KEY, owner text NOT NULL);
                INSERT INTO accounts VALUES (1, 'alice');
                """);
        Files.writeString(migrations.resolve("V2__index.sql"), "CREATE INDEX accounts_owner ON accounts (owner);\n");
        // Creating the application tables and their index waits for a DBA; Flyway's own bookkeeping does not.
        Scenario s = new Scenario()
                .review("CREATE TABLE accounts", "ddl-review", HoldMode.WAIT)
                .review("CREATE INDEX accounts_owner", "ddl-review", HoldMode.WAIT);
        GatehouseDataSource ds = new GatehouseDataSource();
        ds.setUrl(s.url(Databases.PG));
        AtomicBoolean done = new AtomicBoolean();
        List<String> approved = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread dba = Thread.ofVirtual().start(() -> {
            while (!done.get()) {
                for (Scenario.Request r : s.requests) {
                    if (r.state() == Scenario.State.PENDING) {
                        approved.add(r.execution.sql());
                        r.approve();
                    }
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            MigrateResult result = Flyway.configure()
                    .dataSource(ds)
                    .schemas(schema)
                    .createSchemas(true)
                    .locations("filesystem:" + migrations)
                    .load()
                    .migrate();
            assertEquals(2, result.migrationsExecuted);
            assertEquals(2, approved.size(), "both DDL statements waited for an approval: " + approved);
            assertTrue(approved.get(0).startsWith("CREATE TABLE accounts"), approved.get(0));
            assertTrue(approved.get(1).startsWith("CREATE INDEX"), approved.get(1));
            boolean sawSchemaDdl = false;
            for (Execution e : s.checked) {
                sawSchemaDdl |= e.sql().contains("CREATE SCHEMA");
            }
            assertTrue(sawSchemaDdl, "Flyway's own DDL reached the guard too");
            assertEquals(1, Databases.count(Databases.PG, schema + ".accounts"));
        } finally {
            done.set(true);
            dba.join();
            Databases.exec(Databases.PG, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
