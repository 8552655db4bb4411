package dev.gatehouse.approvals.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.gatehouse.sql.Dialect;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Redacted SQL keeps its shape, and no literal of any reading survives. */
class RedactionTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "string literal, postgres   | POSTGRES | select ssn from users where id = 'secret'          | select ssn from users where id = ?",
            "number literal, mysql      | MYSQL    | UPDATE t SET pin = 4242 WHERE id = 1                | update t set pin = ? where id = ?",
            "double quotes are strings in mysql | MYSQL | select \"secret\"                             | select ?",
            "dollar quotes in postgres  | POSTGRES | select $$secret$$                                   | select ?",
            "unterminated string        | POSTGRES | select 'secret                                      | [redacted: 14 characters]",
            "postgres nests comments    | POSTGRES | SELECT /* /* */ 'secret' */ 1 FROM T                | select ? from t",
            "escape string, postgres    | POSTGRES | select E'it\\'s secret'                              | select ?",
    })
    void knownDialect(String name, Dialect dialect, String sql, String expected) {
        String redacted = Redaction.literals(sql, dialect);
        assertEquals(expected, redacted);
        assertFalse(redacted.contains("secret") || redacted.contains("4242"), redacted);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "both dialects agree            | select ssn from users where id = 'secret' and n > 3 | select ssn from users where id = ? and n > ?",
            "double quotes: name or string  | select \"secret\" from t                          | [redacted: 22 characters]",
            "backslash ends a mysql string early | select 'a\\' , 'secret'                        | [redacted: 22 characters]",
            "unlexable in one dialect       | select $$secret$$                                   | [redacted: 17 characters]",
    })
    void unknownDialect(String name, String sql, String expected) {
        String redacted = Redaction.literalsInAnyDialect(sql);
        assertEquals(expected, redacted);
        assertFalse(redacted.contains("secret"), redacted);
    }
}
