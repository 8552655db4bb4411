package dev.gatehouse.sql.lineage;

import dev.gatehouse.sql.Dialect;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Identifier folding as each dialect compares names. */
class IdentifiersTest {

    @ParameterizedTest(name = "{0}: {1} {2} -> {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "unquoted folds to lower case       | POSTGRES | Users        | users",
            "quoted keeps case                  | POSTGRES | \"Users\"   | Users",
            "quoted doubled quote unescapes     | POSTGRES | \"a\"\"b\"   | a\"b",
            "already lower stays                | POSTGRES | orders       | orders",
            "non-ASCII is not folded            | POSTGRES | ÄBC          | Äbc",
            "backticks stripped, lower-cased    | MYSQL    | `Users`      | users",
            "doubled backtick unescapes         | MYSQL    | `a``B`       | a`b",
            "unquoted lower-cased               | MYSQL    | CUSTOMERS    | customers",
            "double quotes lower-cased in MySQL | MYSQL    | \"Name\"     | name"})
    void folds(String name, Dialect dialect, String raw, String expected) {
        assertEquals(expected, Identifiers.fold(raw, dialect));
    }
}
