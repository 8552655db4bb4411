package dev.gatehouse.jdbc.policy;

import dev.gatehouse.jdbc.GatehouseDataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.MigrationInfoService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.gatehouse.jdbc.policy.ApprovalDesk.DESK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Flyway migration through the production guard: every DDL statement (Flyway's own schema and history
 * table included) is held for review and released by a DBA approving it through the HTTP API; and Flyway's
 * own bookkeeping, around a migration that only changes data, is never held.
 */
class PolicyMigrationTest {

    @Test
    void flywayDdlIsHeldAndApprovedThroughTheApi(@TempDir Path migrations) throws Exception {
        String schema = "gh_polfly_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Files.writeString(migrations.resolve("V1__accounts.sql"), """
                CREATE TABLE accounts (id int PRIMARY KEY, owner text NOT NULL);
                INSERT INTO accounts VALUES (1, 'alice');
                """);
        Files.writeString(migrations.resolve("V2__index.sql"), "CREATE INDEX accounts_owner ON accounts (owner);\n");
        GatehouseDataSource ds = new GatehouseDataSource();
        ds.setUrl(DESK.url(PolicyGuardTest.PG, "gatehouse.max-wait=60"));
        AtomicBoolean done = new AtomicBoolean();
        List<String> approved = new CopyOnWriteArrayList<>();
        Thread dba = Thread.ofVirtual().start(() -> {
            while (!done.get()) {
                try {
                    // Only this migration's requests: the schema name is in every statement Flyway sends for it.
                    for (String id : DESK.pending("")) {
                        if (DESK.approve(id) == 200) {
                            approved.add(id);
                        }
                    }
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        try {
            MigrateResult result = Flyway.configure().dataSource(ds).schemas(schema).createSchemas(true)
                    .locations("filesystem:" + migrations).load().migrate();
            assertEquals(2, result.migrationsExecuted);
            // CREATE SCHEMA, the history table, CREATE TABLE accounts, CREATE INDEX: each held, each approved.
            assertTrue(approved.size() >= 4, "DDL was held and approved through the API: " + approved.size());
            assertEquals(List.of(1), PolicyGuardTest.ids(PolicyGuardTest.PG_RAW, schema + ".accounts"));
        } finally {
            done.set(true);
            dba.join();
            PolicyGuardTest.exec(PolicyGuardTest.PG_RAW, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    /**
     * Under {@code examples/policy.yaml}, through the driver and through the proxy: with the schema, its table and
     * Flyway's history table in place (made directly: that policy reviews all DDL, by design), a migration that
     * only inserts a row, and {@code info}, hold nothing. What remains is Flyway's bookkeeping: reading the
     * history, its advisory lock, search_path changes and the {@code SET ROLE} back to the role it found.
     */
    @ParameterizedTest(name = "{0}: Flyway migrate and info of a data migration under the example policy")
    @EnumSource(Channel.class)
    void flywayBookkeepingIsNeverHeld(Channel channel, @TempDir Path migrations) throws Exception {
        String schema = "gh_evfly_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        PolicyGuardTest.exec(PolicyGuardTest.PG_RAW, "CREATE SCHEMA " + schema);
        PolicyGuardTest.exec(PolicyGuardTest.PG_RAW, "CREATE TABLE " + schema + ".accounts (id int PRIMARY KEY, owner text NOT NULL)");
        Flyway.configure().dataSource(PolicyGuardTest.PG_RAW, null, null).schemas(schema).baselineVersion("1")
                .load().baseline();
        Files.writeString(migrations.resolve("V2__alice.sql"), "INSERT INTO accounts (id, owner) VALUES (1, 'alice');\n");
        try {
            Flyway flyway = Flyway.configure().dataSource(channel.dataSource()).schemas(schema)
                    .locations("filesystem:" + migrations).load();
            assertEquals(1, flyway.migrate().migrationsExecuted);
            MigrationInfoService info = flyway.info();
            assertEquals("2", info.current().getVersion().getVersion());
            assertEquals(0, info.pending().length);
            assertEquals(List.of(1), PolicyGuardTest.ids(PolicyGuardTest.PG_RAW, schema + ".accounts"));
        } finally {
            PolicyGuardTest.exec(PolicyGuardTest.PG_RAW, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
