package dev.gatehouse.proxy.catalog;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * When the server's answers make a session's database's catalog be read again: scripted CommandComplete tags and
 * ReadyForQuery statuses, in the server's order, and the refreshes they cause.
 */
class SchemaWatchTest {

    /** {@code answers}: tags, and "Z:" with a ReadyForQuery status; {@code refreshedAt}: the answers read again at. */
    static Stream<Arguments> cases() {
        return Stream.of(
                arguments("DDL outside a block: read again at its ReadyForQuery", List.of("ALTER TABLE", "Z:I"), List.of(1)),
                arguments("every kind of definition", List.of("CREATE TABLE", "Z:I", "CREATE VIEW", "Z:I", "DROP TABLE",
                        "Z:I", "ALTER VIEW", "Z:I", "IMPORT FOREIGN SCHEMA", "Z:I", "DO", "Z:I", "CALL", "Z:I",
                        "CREATE SCHEMA", "Z:I"), List.of(1, 3, 5, 7, 9, 11, 13, 15)),
                arguments("statements that define nothing", List.of("SELECT 3", "Z:I", "INSERT 0 1", "Z:I", "UPDATE 2",
                        "DELETE 1", "COPY 5", "COMMIT", "CLOSE CURSOR", "DECLARE CURSOR", "DEALLOCATE", "DISCARD ALL",
                        "ANALYZE", "Z:I"), List.of()),
                arguments("a tag that only starts like one", List.of("DONE", "CALLED", "ALTERED", "Z:I"), List.of()),
                arguments("DDL in a block: read again once the block ended, not before",
                        List.of("BEGIN", "Z:T", "ALTER TABLE", "Z:T", "SELECT 1", "Z:T", "COMMIT", "Z:I"), List.of(7)),
                arguments("a failed block's rollback reads again too (harmless)",
                        List.of("BEGIN", "Z:T", "DROP TABLE", "Z:T", "Z:E", "ROLLBACK", "Z:I"), List.of(6)),
                arguments("several in one text: one read", List.of("CREATE TABLE", "ALTER TABLE", "DROP VIEW", "Z:I"),
                        List.of(3)),
                arguments("only once per change", List.of("ALTER TABLE", "Z:I", "Z:I", "SELECT 1", "Z:I"), List.of(1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refreshes(String name, List<String> answers, List<Integer> refreshedAt) {
        List<String> changed = new ArrayList<>();
        SchemaWatch watch = new SchemaWatch(changed::add);
        byte[] buffer = new byte[64]; // as the relay's: a tag is read into it, over what the last one left
        java.util.Arrays.fill(buffer, (byte) 'X');
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < answers.size(); i++) {
            String answer = answers.get(i);
            int before = changed.size();
            if (answer.startsWith("Z:")) {
                watch.ready((byte) answer.charAt(2), "shop");
            } else {
                byte[] tag = (answer + "\0").getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(tag, 0, buffer, 0, tag.length);
                watch.completed(buffer, tag.length);
            }
            if (changed.size() > before) {
                at.add(i);
            }
        }
        assertEquals(refreshedAt, at);
        changed.forEach(database -> assertEquals("shop", database));
    }
}
