package dev.gatehouse.jdbc.policy;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * What tools do on their own before and around an application's statements: pgjdbc's {@link DatabaseMetaData}
 * (what IDEs, schema browsers and ORMs call) and Hibernate's bookkeeping (schema validation, an insert, a query),
 * through the driver and through the proxy under {@code examples/policy.yaml}. None of it reads a column the
 * policy protects or changes the schema, so nothing may be held or denied, and metadata must read as it does
 * directly.
 */
class EverydayToolsTest {
    static final String SCHEMA = "gh_tools_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    @BeforeAll
    static void objects() throws SQLException {
        // Made directly: DDL through this policy is reviewed, by design.
        for (String sql : List.of(
                "CREATE SCHEMA " + SCHEMA,
                "CREATE TABLE " + SCHEMA + ".gh_owner (id int PRIMARY KEY, name text NOT NULL)",
                "CREATE TABLE " + SCHEMA + ".gh_item (id bigint PRIMARY KEY, owner_id int REFERENCES " + SCHEMA
                        + ".gh_owner, name varchar(80) NOT NULL)",
                "CREATE INDEX gh_item_name ON " + SCHEMA + ".gh_item (name)",
                "CREATE VIEW " + SCHEMA + ".gh_item_names AS SELECT id, name FROM " + SCHEMA + ".gh_item",
                "CREATE FUNCTION " + SCHEMA + ".gh_double(n int) RETURNS int LANGUAGE sql AS 'SELECT n * 2'",
                "CREATE PROCEDURE " + SCHEMA + ".gh_touch(n int) LANGUAGE sql AS 'SELECT n'",
                "CREATE DOMAIN " + SCHEMA + ".gh_positive AS int CHECK (VALUE > 0)",
                "INSERT INTO " + SCHEMA + ".gh_owner VALUES (1, 'alice')")) {
            PolicyGuardTest.exec(PolicyGuardTest.PG_RAW, sql);
        }
    }

    @AfterAll
    static void drop() throws SQLException {
        PolicyGuardTest.exec(PolicyGuardTest.PG_RAW, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }

    interface MetaCall {
        ResultSet call(DatabaseMetaData md) throws SQLException;
    }

    /** A named DatabaseMetaData call, on this test's schema where the call takes one. */
    record Meta(String name, MetaCall call) {
    }

    static final List<Meta> METADATA = List.of(
            new Meta("getTables", md -> md.getTables(null, SCHEMA, "%", new String[] {"TABLE", "VIEW"})),
            new Meta("getColumns", md -> md.getColumns(null, SCHEMA, "gh_item", "%")),
            new Meta("getPrimaryKeys", md -> md.getPrimaryKeys(null, SCHEMA, "gh_item")),
            new Meta("getImportedKeys", md -> md.getImportedKeys(null, SCHEMA, "gh_item")),
            new Meta("getExportedKeys", md -> md.getExportedKeys(null, SCHEMA, "gh_owner")),
            new Meta("getCrossReference", md -> md.getCrossReference(null, SCHEMA, "gh_owner", null, SCHEMA, "gh_item")),
            new Meta("getIndexInfo", md -> md.getIndexInfo(null, SCHEMA, "gh_item", false, true)),
            new Meta("getBestRowIdentifier", md -> md.getBestRowIdentifier(null, SCHEMA, "gh_item",
                    DatabaseMetaData.bestRowSession, true)),
            new Meta("getVersionColumns", md -> md.getVersionColumns(null, SCHEMA, "gh_item")),
            new Meta("getTablePrivileges", md -> md.getTablePrivileges(null, SCHEMA, "gh_%")),
            new Meta("getColumnPrivileges", md -> md.getColumnPrivileges(null, SCHEMA, "gh_item", "%")),
            new Meta("getProcedures", md -> md.getProcedures(null, SCHEMA, "%")),
            new Meta("getProcedureColumns", md -> md.getProcedureColumns(null, SCHEMA, "%", "%")),
            new Meta("getFunctions", md -> md.getFunctions(null, SCHEMA, "%")),
            new Meta("getFunctionColumns", md -> md.getFunctionColumns(null, SCHEMA, "%", "%")),
            new Meta("getSchemas (this one)", md -> md.getSchemas(null, SCHEMA)),
            new Meta("getSchemas (all)", DatabaseMetaData::getSchemas),
            new Meta("getCatalogs", DatabaseMetaData::getCatalogs),
            new Meta("getTableTypes", DatabaseMetaData::getTableTypes),
            new Meta("getTypeInfo", DatabaseMetaData::getTypeInfo),
            new Meta("getUDTs", md -> md.getUDTs(null, SCHEMA, "%", null)),
            new Meta("getClientInfoProperties", DatabaseMetaData::getClientInfoProperties));

    @TestFactory
    Stream<DynamicTest> metadataReadsAsItDoesDirectly() {
        return Arrays.stream(Channel.values()).flatMap(channel -> METADATA.stream().map(m ->
                DynamicTest.dynamicTest(channel + ": " + m.name(), () -> {
                    List<List<String>> direct = rows(PolicyGuardTest.PG_RAW, m.call());
                    List<List<String>> through;
                    try (Connection c = channel.dataSource().getConnection()) {
                        through = rows(m.call().call(c.getMetaData()));
                    }
                    // getSchemas (all) and getCatalogs list the whole server, which other tests change meanwhile.
                    if (!through.equals(direct)) {
                        assertEquals(rows(PolicyGuardTest.PG_RAW, m.call()), through, "not what pgjdbc reads directly");
                    }
                    assertFalse(through.isEmpty(), "the case reads nothing, so it shows nothing");
                })));
    }

    /** Hibernate's view of {@code gh_item}: validated against the table at start, then saved and queried. */
    @Entity(name = "Item")
    @Table(name = "gh_item")
    public static class Item {
        @Id
        Long id;
        @Column(name = "name", length = 80, nullable = false)
        String name;

        public Item() {
        }

        Item(long id, String name) {
            this.id = id;
            this.name = name;
        }
    }

    @ParameterizedTest(name = "{0}: Hibernate validates the schema, saves an entity and queries it")
    @EnumSource(Channel.class)
    void hibernateBookkeeping(Channel channel) throws Exception {
        long id = channel.ordinal() + 1;
        Configuration config = new Configuration().addAnnotatedClass(Item.class)
                .setProperty("hibernate.hbm2ddl.auto", "validate")
                .setProperty("hibernate.default_schema", SCHEMA);
        config.getProperties().put("hibernate.connection.datasource", channel.dataSource());
        try (SessionFactory sf = config.buildSessionFactory()) {
            sf.inTransaction(s -> s.persist(new Item(id, "widget " + channel)));
            List<Item> found = sf.fromTransaction(s -> s.createSelectionQuery("from Item where name = :n", Item.class)
                    .setParameter("n", "widget " + channel).getResultList());
            assertEquals(List.of(id), found.stream().map(i -> i.id).toList());
            assertEquals("widget " + channel, sf.fromTransaction(s -> s.find(Item.class, id)).name);
        }
        assertEquals(List.of(List.of("widget " + channel)),
                rows(PolicyGuardTest.PG_RAW, md -> md.getConnection().createStatement()
                        .executeQuery("SELECT name FROM " + SCHEMA + ".gh_item WHERE id = " + id)));
    }

    private static List<List<String>> rows(String url, MetaCall call) throws SQLException {
        try (Connection c = DriverManager.getConnection(url)) {
            return rows(call.call(c.getMetaData()));
        }
    }

    private static List<List<String>> rows(ResultSet rs) throws SQLException {
        try (rs) {
            List<List<String>> all = new ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getString(i));
                }
                all.add(row);
            }
            return all;
        }
    }
}
