package dev.gatehouse.sql.classify;

import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.analysis.Kind;
import dev.gatehouse.sql.lex.LexException;
import dev.gatehouse.sql.lex.Lexer;
import dev.gatehouse.sql.lex.Splitter;
import dev.gatehouse.sql.lex.Tokens;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static dev.gatehouse.sql.Dialect.MYSQL;
import static dev.gatehouse.sql.Dialect.POSTGRES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** What a statement tells the analysis of the statements after it in the same submission. */
class SessionChangeTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                arguments("pg set search_path to a list", POSTGRES, "SET search_path TO a, \"B\", public",
                        new SessionChange.SearchPath(List.of("a", "B", "public"))),
                arguments("pg set search_path from a quoted list", POSTGRES, "SET search_path = 'x, \"Y\"'",
                        new SessionChange.SearchPath(List.of("x", "Y"))),
                arguments("pg set local search_path", POSTGRES, "SET LOCAL search_path TO s",
                        new SessionChange.SearchPath(List.of("s"))),
                arguments("pg set schema", POSTGRES, "SET SCHEMA 'app'", new SessionChange.SearchPath(List.of("app"))),
                arguments("pg search_path to default", POSTGRES, "SET search_path TO DEFAULT", new SessionChange.ResetSearchPath()),
                arguments("pg reset search_path", POSTGRES, "RESET search_path", new SessionChange.ResetSearchPath()),
                arguments("pg reset all", POSTGRES, "RESET ALL", new SessionChange.ResetSearchPath()),
                arguments("pg other setting", POSTGRES, "SET work_mem = '1MB'", SessionChange.NONE),
                arguments("pg prepare", POSTGRES, "PREPARE ins (int) AS INSERT INTO t VALUES ($1)",
                        new SessionChange.Prepare("ins", Set.of(Kind.WRITE))),
                arguments("pg prepare of an export", POSTGRES, "PREPARE rd AS SELECT pg_read_file('/etc/passwd')",
                        new SessionChange.Prepare("rd", Set.of(Kind.READ, Kind.EXPORT))),
                arguments("mysql use", MYSQL, "USE shop", new SessionChange.SearchPath(List.of("shop"))),
                arguments("mysql use backticks", MYSQL, "USE `Shop`", new SessionChange.SearchPath(List.of("shop"))),
                arguments("mysql prepare from text", MYSQL, "PREPARE s FROM 'UPDATE t SET a = 1'",
                        new SessionChange.Prepare("s", Set.of(Kind.WRITE))),
                arguments("mysql prepare from a variable", MYSQL, "PREPARE s FROM @q",
                        new SessionChange.Prepare("s", Set.of(Kind.UNKNOWN))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsTheChange(String name, Dialect dialect, String sql, SessionChange expected) throws LexException {
        Tokens tokens = Lexer.lex(sql, dialect);
        Classification c = new Classifier(dialect).classify(tokens, Splitter.spans(tokens).get(0), Map.of());
        assertEquals(expected, c.change());
    }
}
