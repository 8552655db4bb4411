package dev.gatehouse.policy;

import dev.gatehouse.sql.analysis.ColumnName;
import dev.gatehouse.sql.analysis.TableName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Names that stand for many: every table of a schema (DROP SCHEMA), every column of a table whose columns are not known. */
class NamePatternTest {
    private static final TableName INVOICES = new TableName("billing", "invoices");
    private static final TableName BILLING = TableName.everyTableOf("billing");

    static Stream<Arguments> tables() {
        return Stream.of(
                arguments("schema glob matches the schema's every table", "billing.*", BILLING, true),
                arguments("one table of the schema matches its every table", "billing.invoices", BILLING, true),
                arguments("a bare table name matches any schema's every table", "invoices", BILLING, true),
                arguments("another schema does not", "public.invoices", BILLING, false),
                arguments("a plain table still needs its name", "billing.orders", INVOICES, false),
                arguments("a plain table matches itself", "billing.invoices", INVOICES, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tables")
    void tables(String name, String pattern, TableName table, boolean expected) {
        assertEquals(expected, NamePattern.parse(pattern).matches(table));
    }

    static Stream<Arguments> columns() {
        ColumnName every = ColumnName.everyColumnOf(new TableName("public", "users"));
        return Stream.of(
                arguments("a column of that table may be any of them", "*.users.ssn", every, true),
                arguments("table.column pattern", "users.ssn", every, true),
                arguments("bare column pattern", "ssn", every, true),
                arguments("schema, table and column", "public.users.ssn", every, true),
                arguments("another table's column cannot be one of them", "*.orders.ssn", every, false),
                arguments("another schema's table neither", "hr.users.ssn", every, false),
                arguments("every column of every table of a schema", "billing.invoices.amount",
                        ColumnName.everyColumnOf(TableName.everyTableOf("billing")), true),
                arguments("a named column is still compared by name", "users.ssn",
                        new ColumnName(new TableName("public", "users"), "email"), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("columns")
    void columns(String name, String pattern, ColumnName column, boolean expected) {
        assertEquals(expected, NamePattern.parse(pattern).matches(column));
    }
}
