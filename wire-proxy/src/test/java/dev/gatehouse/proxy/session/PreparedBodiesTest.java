package dev.gatehouse.proxy.session;

import dev.gatehouse.enforce.session.SqlScan;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The body the guard is shown for each {@code EXECUTE name} of a text, with {@code p} held as
 * {@code SELECT 1}: the body a PREPARE before that EXECUTE in the same text gives (the server runs the text's
 * statements in order), else the session's; "null" for a name neither knows (the guard then denies it).
 */
class PreparedBodiesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            EXECUTE p                                          | SELECT 1
            EXECUTE q                                          | null
            PREPARE q AS SELECT 2; EXECUTE q                   | SELECT 2
            EXECUTE p; PREPARE p AS SELECT 9                   | SELECT 1
            EXECUTE p; DEALLOCATE p; PREPARE p AS SELECT 9     | SELECT 1
            DEALLOCATE p; PREPARE p AS SELECT 1; EXECUTE p     | SELECT 1
            DEALLOCATE ALL; EXECUTE p                          | SELECT 1
            DISCARD ALL; PREPARE p AS SELECT 9; EXECUTE p      | SELECT 9
            PREPARE q AS SELECT 2; DEALLOCATE q; PREPARE q AS SELECT 3; EXECUTE q | SELECT 3
            EXECUTE P                                          | SELECT 1
            EXECUTE "P"                                        | null
            """)
    void bodyOfEachExecute(String text, String body) {
        PreparedStatements prepared = new PreparedStatements(10, new Portals(10));
        prepared.run(SqlScan.of("PREPARE p AS SELECT 1"), 0);
        assertEquals(Arrays.asList(body), prepared.bodies(SqlScan.of(text)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a second Parse of a held name is expected to fail | p | true
            a Parse of a new name creates it                  | q | false
            the unnamed statement is replaced                 | '' | false
            """)
    void parseOfAName(String name, String statement, boolean expectedToFail) {
        PreparedStatements prepared = new PreparedStatements(10, new Portals(10));
        prepared.run(SqlScan.of("PREPARE p AS SELECT 1"), 0);
        prepared.parse("", "SELECT 0", null, 0);
        NamespaceChange change = prepared.parse(statement, "SELECT 2", null, 1);
        assertEquals(expectedToFail, change.expectedToFail());
        assertEquals(expectedToFail ? "SELECT 1" : "SELECT 2", prepared.get(statement).sql);
        assertEquals(List.of(), prepared.run(SqlScan.of("SELECT 1"), 1));
    }
}
