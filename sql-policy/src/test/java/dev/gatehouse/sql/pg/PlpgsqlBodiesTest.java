package dev.gatehouse.sql.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.sql.pg.PlpgsqlBodies.Result;
import dev.gatehouse.sql.pg.PlpgsqlBodies.Source;
import dev.gatehouse.sql.pg.PlpgsqlBodies.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** PL/pgSQL bodies read by libpg_query's PL/pgSQL parser: the real library, no stand-in. */
class PlpgsqlBodiesTest {
    private static final Source S = Source.STATEMENT;
    private static final Source E = Source.EXPRESSION;
    private static final Source X = Source.EXECUTED_LITERAL;

    @BeforeAll
    static void loaded() {
        assertTrue(PgQuery.available(), () -> "libpg_query not loaded: " + PgQuery.unavailableReason());
    }

    /** A DO statement or a CREATE FUNCTION/PROCEDURE statement, read the way the analyzer would hand it over. */
    static Result of(String sql, boolean scs) {
        PgTrees.Tree tree = PgTrees.parse(sql, scs);
        assertNull(tree.error(), sql);
        assertEquals(1, tree.statements().size(), sql);
        String type = PgNodes.type(tree.statements().get(0).stmt());
        return type.equals("DoStmt")
                ? PlpgsqlBodies.ofDo(tree.statements().get(0).stmt(), scs)
                : PlpgsqlBodies.ofCreateFunction(sql, scs);
    }

    static Text t(Source source, String sql) {
        return new Text(sql, source);
    }

    /** name, statement, the texts expected in order, dynamic expected. */
    static Stream<Arguments> reads() {
        return Stream.of(
                Arguments.of("DELETE inside DO",
                        "DO $$ BEGIN DELETE FROM billing.invoices; END $$",
                        List.of(t(S, "DELETE FROM billing.invoices")), false),
                Arguments.of("LANGUAGE plpgsql spelled out, in capitals (an identifier: folded)",
                        "DO LANGUAGE PLPGSQL $$ BEGIN DELETE FROM billing.invoices; END $$",
                        List.of(t(S, "DELETE FROM billing.invoices")), false),
                Arguments.of("DO body as a plain string",
                        "DO 'BEGIN DELETE FROM billing.invoices WHERE note = ''x''; END'",
                        List.of(t(S, "DELETE FROM billing.invoices WHERE note = 'x'")), false),
                Arguments.of("nested BEGIN blocks with an exception handler",
                        "DO $$ BEGIN BEGIN BEGIN UPDATE billing.invoices SET paid = true; END; "
                                + "EXCEPTION WHEN others THEN DELETE FROM billing.errors; END; "
                                + "INSERT INTO audit.log VALUES (1); END $$",
                        List.of(t(S, "UPDATE billing.invoices SET paid = true"), t(S, "DELETE FROM billing.errors"),
                                t(S, "INSERT INTO audit.log VALUES (1)")), false),
                Arguments.of("IF, ELSIF and ELSE: conditions as SELECT",
                        "DO $$ DECLARE n int; BEGIN IF (SELECT count(*) FROM billing.invoices) > 0 THEN DELETE FROM a; "
                                + "ELSIF n = 0 THEN DELETE FROM b; ELSE DELETE FROM c; END IF; END $$",
                        List.of(t(E, "SELECT (SELECT count(*) FROM billing.invoices) > 0"), t(S, "DELETE FROM a"),
                                t(E, "SELECT n = 0"), t(S, "DELETE FROM b"), t(S, "DELETE FROM c")), false),
                Arguments.of("LOOP with EXIT WHEN",
                        "DO $$ BEGIN LOOP EXIT WHEN (SELECT count(*) FROM q) = 0; "
                                + "DELETE FROM q WHERE id = (SELECT min(id) FROM q); END LOOP; END $$",
                        List.of(t(E, "SELECT (SELECT count(*) FROM q) = 0"),
                                t(S, "DELETE FROM q WHERE id = (SELECT min(id) FROM q)")), false),
                Arguments.of("WHILE loop",
                        "DO $$ BEGIN WHILE EXISTS (SELECT 1 FROM q) LOOP DELETE FROM q; END LOOP; END $$",
                        List.of(t(E, "SELECT EXISTS (SELECT 1 FROM q)"), t(S, "DELETE FROM q")), false),
                Arguments.of("FOR over a query",
                        "DO $$ DECLARE r record; BEGIN FOR r IN SELECT id FROM billing.invoices LOOP "
                                + "UPDATE billing.invoices SET paid = true WHERE id = r.id; END LOOP; END $$",
                        List.of(t(S, "UPDATE billing.invoices SET paid = true WHERE id = r.id"),
                                t(S, "SELECT id FROM billing.invoices")), false),
                Arguments.of("FOR over integers: bounds are expressions",
                        "DO $$ BEGIN FOR i IN 1..(SELECT max(id) FROM t) LOOP DELETE FROM t WHERE id = i; END LOOP; END $$",
                        List.of(t(E, "SELECT 1"), t(E, "SELECT (SELECT max(id) FROM t)"), t(S, "DELETE FROM t WHERE id = i")),
                        false),
                Arguments.of("PERFORM pg_read_file: PL/pgSQL runs it as SELECT",
                        "DO $$ BEGIN PERFORM pg_read_file('/etc/passwd'); END $$",
                        List.of(t(S, "SELECT pg_read_file('/etc/passwd')")), false),
                Arguments.of("assignments and a default: the value as SELECT",
                        "DO $$ DECLARE n int := 0; m int; BEGIN n := (SELECT count(*) FROM billing.invoices); "
                                + "m = amount FROM billing.invoices WHERE id = n; END $$",
                        List.of(t(E, "SELECT 0"), t(E, "SELECT (SELECT count(*) FROM billing.invoices)"),
                                t(E, "SELECT amount FROM billing.invoices WHERE id = n")), false),
                Arguments.of("assignment to a subscript: the subscript runs too",
                        "DO $$ DECLARE a int[]; BEGIN a[(SELECT max(id) FROM t)] := 1; END $$",
                        List.of(t(E, "SELECT a[(SELECT max(id) FROM t)]"), t(E, "SELECT 1")), false),
                Arguments.of("SELECT INTO a variable: PL/pgSQL blanks out the INTO",
                        "DO $$ DECLARE n int; BEGIN SELECT count(*) INTO n FROM billing.invoices; END $$",
                        List.of(t(S, "SELECT count(*) " + " ".repeat("INTO n".length()) + " FROM billing.invoices")), false),
                Arguments.of("RAISE, ASSERT and RETURN expressions",
                        "DO $$ BEGIN RAISE NOTICE '%', (SELECT secret FROM vault.keys); "
                                + "ASSERT (SELECT true), 'm' || pg_read_file('x'); RETURN; END $$",
                        List.of(t(E, "SELECT (SELECT secret FROM vault.keys)"), t(E, "SELECT (SELECT true)"),
                                t(E, "SELECT 'm' || pg_read_file('x')")), false),
                Arguments.of("DECLARE cursor FOR a query",
                        "DO $$ DECLARE c CURSOR FOR SELECT * FROM billing.invoices; BEGIN NULL; END $$",
                        List.of(t(E, "SELECT 'c'::pg_catalog.refcursor"), t(S, "SELECT * FROM billing.invoices")), false),
                Arguments.of("CALL and a nested DO are statements",
                        "DO $$ BEGIN CALL billing.purge(1); DO $i$ BEGIN DELETE FROM t; END $i$; END $$",
                        List.of(t(S, "CALL billing.purge(1)"), t(S, "DO $i$ BEGIN DELETE FROM t; END $i$")), false),
                Arguments.of("dynamic EXECUTE of a computed string",
                        "DO $$ DECLARE t text := 'billing.invoices'; BEGIN EXECUTE 'DELETE FROM ' || t; END $$",
                        List.of(t(E, "SELECT 'billing.invoices'"), t(E, "SELECT 'DELETE FROM ' || t")), true),
                Arguments.of("dynamic EXECUTE with USING",
                        "DO $$ BEGIN EXECUTE format('DELETE FROM %I WHERE id = $1', 't') USING (SELECT 1); END $$",
                        List.of(t(E, "SELECT format('DELETE FROM %I WHERE id = $1', 't')"), t(E, "SELECT (SELECT 1)")), true),
                Arguments.of("EXECUTE of a string literal: the literal's SQL",
                        "DO $$ BEGIN EXECUTE 'TRUNCATE billing.invoices; DELETE FROM t'; "
                                + "EXECUTE 'DELETE FROM u WHERE id = $1'::text USING 1; END $$",
                        List.of(t(X, "TRUNCATE billing.invoices; DELETE FROM t"), t(X, "DELETE FROM u WHERE id = $1"),
                                t(E, "SELECT 1")), false),
                Arguments.of("FOR IN EXECUTE",
                        "DO $$ DECLARE r record; BEGIN FOR r IN EXECUTE 'SELECT * FROM ' || 't' LOOP END LOOP; END $$",
                        List.of(t(E, "SELECT 'SELECT * FROM ' || 't'")), true),
                Arguments.of("RETURN QUERY in a function",
                        "CREATE FUNCTION billing.open_ids(a int) RETURNS SETOF int LANGUAGE plpgsql AS $$ BEGIN "
                                + "RETURN QUERY SELECT id FROM billing.invoices WHERE id > a; END $$",
                        List.of(t(S, "SELECT id FROM billing.invoices WHERE id > a")), false),
                Arguments.of("RETURN QUERY EXECUTE in a function",
                        "CREATE FUNCTION f(tab text) RETURNS SETOF record LANGUAGE plpgsql AS $$ BEGIN "
                                + "RETURN QUERY EXECUTE 'SELECT * FROM ' || tab; END $$",
                        List.of(t(E, "SELECT 'SELECT * FROM ' || tab")), true),
                Arguments.of("trigger function: NEW is known",
                        "CREATE OR REPLACE FUNCTION audit.trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                                + "INSERT INTO audit.log VALUES (NEW.id); RETURN NEW; END $$",
                        List.of(t(S, "INSERT INTO audit.log VALUES (NEW.id)"), t(E, "SELECT NEW")), false),
                Arguments.of("procedure with COMMIT",
                        "CREATE PROCEDURE billing.purge() LANGUAGE plpgsql AS $$ BEGIN DELETE FROM billing.invoices; "
                                + "COMMIT; END $$",
                        List.of(t(S, "DELETE FROM billing.invoices")), false),
                Arguments.of("body holding $$ inside a string",
                        "DO $b$ BEGIN PERFORM '$$ not the end $$'; DELETE FROM t; END $b$",
                        List.of(t(S, "SELECT '$$ not the end $$'"), t(S, "DELETE FROM t")), false),
                Arguments.of("body holding the $gatehouse$ tag and the next one",
                        "DO $b$ BEGIN PERFORM '$gatehouse$', '$gatehouse_1$'; DELETE FROM t; END $b$",
                        List.of(t(S, "SELECT '$gatehouse$', '$gatehouse_1$'"), t(S, "DELETE FROM t")), false),
                Arguments.of("body ending in the start of the tag",
                        "DO $b$ BEGIN DELETE FROM t; END; -- $gatehouse$b$",
                        List.of(t(S, "DELETE FROM t")), false),
                Arguments.of("labelled block: qualified assignment, searched CASE, EXIT WHEN",
                        "DO $$ <<lbl>> DECLARE x int; BEGIN lbl.x := 1; CASE WHEN x > 1 THEN DELETE FROM t; ELSE NULL; "
                                + "END CASE; END lbl $$",
                        List.of(t(E, "SELECT 1"), t(E, "SELECT x > 1"), t(S, "DELETE FROM t")), false),
                Arguments.of("FOREACH, RAISE USING and an exception handler",
                        "DO $$ DECLARE arr int[] := '{1}'; y int; BEGIN FOREACH y SLICE 1 IN ARRAY arr LOOP END LOOP; "
                                + "RAISE EXCEPTION 'x' USING ERRCODE = 'P0001'; EXCEPTION WHEN unique_violation THEN "
                                + "GET STACKED DIAGNOSTICS y = MESSAGE_TEXT; END $$",
                        List.of(t(E, "SELECT '{1}'"), t(E, "SELECT arr"), t(E, "SELECT 'P0001'")), false),
                Arguments.of("EXECUTE of a literal INTO STRICT with USING; SELECT INTO STRICT",
                        "DO $$ DECLARE y int; z int; BEGIN EXECUTE 'SELECT 1' INTO STRICT y USING z; "
                                + "SELECT 1 INTO STRICT y; END $$",
                        List.of(t(X, "SELECT 1"), t(E, "SELECT z"), t(S, "SELECT 1")), false),
                Arguments.of("quoted variable; a condition ending in a comment",
                        "DO $$ DECLARE \"My Var\" int; BEGIN \"My Var\" := 1; IF \"My Var\" -- c\n THEN NULL; END IF; END $$",
                        List.of(t(E, "SELECT 1"), t(E, "SELECT \"My Var\" -- c")), false),
                Arguments.of("OUT and INOUT parameters",
                        "CREATE FUNCTION f(OUT a int, INOUT b int) LANGUAGE plpgsql AS $$ BEGIN a := b; RETURN; END $$",
                        List.of(t(E, "SELECT b")), false),
                Arguments.of("body with a dollar-quoted string inside",
                        "DO $b$ BEGIN PERFORM $q$ it's $$ ; DELETE FROM x $q$; END $b$",
                        List.of(t(S, "SELECT $q$ it's $$ ; DELETE FROM x $q$")), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reads")
    void reads(String name, String sql, List<Text> texts, boolean dynamic) {
        Result r = of(sql, true);
        assertNull(r.error(), () -> name + ": " + r.error());
        assertEquals(texts, r.texts(), name);
        assertEquals(dynamic, r.dynamic(), name);
        for (Text text : r.texts()) {
            PgParse p = PgQuery.parse(text.sql(), true);
            assertTrue(p.ok(), () -> name + ": PostgreSQL's parser rejects " + text.sql() + ": " + p.error());
        }
    }

    /** name, statement, the start of the error expected. */
    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("syntax error", "DO $$ BEGIN DELET FROM t; END $$", "PL/pgSQL parser: syntax error"),
                Arguments.of("syntax error in a statement", "DO $$ BEGIN DELETE FROM WHERE; END $$",
                        "PL/pgSQL parser: syntax error"),
                Arguments.of("unknown variable assigned", "DO $$ BEGIN x := 1; END $$", "PL/pgSQL parser: \"x\" is not a known"),
                Arguments.of("other language", "DO LANGUAGE plpython3u $$ import os $$",
                        "language plpython3u is not read"),
                Arguments.of("language quoted in capitals: the server looks it up as written",
                        "DO LANGUAGE 'PLPGSQL' $$ BEGIN DELETE FROM t; END $$", "language PLPGSQL is not read"),
                Arguments.of("language given twice", "DO LANGUAGE plpgsql LANGUAGE plpgsql $$ BEGIN END $$",
                        "DO with a repeated"),
                Arguments.of("empty body", "DO $$ $$", "PL/pgSQL parser: syntax error"),
                Arguments.of("empty string body", "DO ''", "PL/pgSQL parser: syntax error"),
                Arguments.of("function in another language",
                        "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$", "language sql is not read"),
                Arguments.of("function with a BEGIN ATOMIC body",
                        "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END", "function with a BEGIN ATOMIC"),
                Arguments.of("C function: two body strings",
                        "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS 'lib', 'sym'", "function without exactly one body"),
                // libpg_query 15-4.0.0 gives every variable an unknown type, so its parser refuses cursor use: fail closed
                Arguments.of("OPEN cursor FOR query (refused by libpg_query 15-4.0.0)",
                        "DO $$ DECLARE c refcursor; BEGIN OPEN c FOR SELECT * FROM billing.invoices; END $$",
                        "PL/pgSQL parser: variable \"c\" must be of type cursor"),
                Arguments.of("OPEN cursor FOR EXECUTE (refused by libpg_query 15-4.0.0)",
                        "DO $$ DECLARE c refcursor; BEGIN OPEN c FOR EXECUTE 'SELECT 1'; END $$",
                        "PL/pgSQL parser: variable \"c\" must be of type cursor"),
                Arguments.of("FOR over a cursor (refused by libpg_query 15-4.0.0)",
                        "DO $$ DECLARE c CURSOR FOR SELECT 1; r record; BEGIN FOR r IN c LOOP END LOOP; END $$",
                        "PL/pgSQL parser: syntax error"),
                Arguments.of("record field assignment (refused by libpg_query 15-4.0.0)",
                        "DO $$ DECLARE r record; BEGIN SELECT * INTO r FROM t; r.a := 1; END $$",
                        "PL/pgSQL parser: \"r.a\" is not a known variable"),
                Arguments.of("RETURNS TABLE with a bare RETURN NEXT (refused by libpg_query 15-4.0.0)",
                        "CREATE FUNCTION f() RETURNS TABLE(id int) LANGUAGE plpgsql AS $$ BEGIN id := 1; RETURN NEXT; END $$",
                        "PL/pgSQL parser: missing expression"),
                Arguments.of("RETURN NEXT in a DO (the server refuses it too)", "DO $$ BEGIN RETURN NEXT 1; END $$",
                        "PL/pgSQL parser: cannot use RETURN NEXT in a non-SETOF function"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refuses(String name, String sql, String error) {
        Result r = of(sql, true);
        assertNotNull(r.error(), name);
        assertTrue(r.error().startsWith(error), () -> name + ": " + r.error());
        assertTrue(r.texts().isEmpty(), name);
        assertFalse(r.dynamic(), name);
        assertFalse(r.ok(), name);
    }

    @Test
    void doStatementText() {
        assertEquals(List.of(t(S, "DELETE FROM billing.invoices")),
                PlpgsqlBodies.ofDoStatement("DO $$ BEGIN DELETE FROM billing.invoices; END $$", true).texts());
        assertTrue(PlpgsqlBodies.ofDoStatement("DO $$ BEGIN END $$; SELECT 1", true).error().startsWith("text is not one DO"));
        assertTrue(PlpgsqlBodies.ofDoStatement("DO", true).error().startsWith("statement not readable"));
        // the DO's own '...' string is decoded by the session's setting before PL/pgSQL reads the body
        String sql = "DO 'BEGIN PERFORM ''a\\\\''; DELETE FROM t; END'";
        assertEquals(List.of(t(S, "SELECT 'a\\\\'"), t(S, "DELETE FROM t")), PlpgsqlBodies.ofDoStatement(sql, true).texts());
        // with it off the body is BEGIN PERFORM 'a\'; ..., whose string PL/pgSQL (reading with it off too) never ends
        Result off = PlpgsqlBodies.ofDoStatement(sql, false);
        assertTrue(off.error().startsWith("PL/pgSQL parser: unterminated quoted string"), off::error);
    }

    @Test
    void notOneCreateFunction() {
        assertTrue(PlpgsqlBodies.ofCreateFunction("SELECT 1", true).error().startsWith("text is not one CREATE FUNCTION"));
        assertTrue(PlpgsqlBodies.ofCreateFunction("CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN END $$; "
                + "SELECT 1", true).error().startsWith("text is not one CREATE FUNCTION"));
        assertTrue(PlpgsqlBodies.ofCreateFunction("CREATE FUNCTION", true).error().startsWith("statement not readable"));
    }

    /** The session's standard_conforming_strings decides where a '...' with a backslash ends inside the body too. */
    @Test
    void standardConformingStrings() {
        String body = "BEGIN PERFORM 'a\\'; DELETE FROM t; --'; END";
        Result off = PlpgsqlBodies.ofDoBody(body, "plpgsql", false);
        assertNull(off.error(), off::error);
        assertEquals(List.of(t(S, "SELECT 'a\\'; DELETE FROM t; --'")), off.texts());
        // with the setting on, the comment swallows the END
        Result on = PlpgsqlBodies.ofDoBody(body, "plpgsql", true);
        assertNotNull(on.error());

        String other = "BEGIN PERFORM 'a\\'; DELETE FROM t; PERFORM 'b'; END";
        assertEquals(List.of(t(S, "SELECT 'a\\'"), t(S, "DELETE FROM t"), t(S, "SELECT 'b'")),
                PlpgsqlBodies.ofDoBody(other, "plpgsql", true).texts());
        // read with the setting off the same text is one string up to the next quote, then a syntax error
        assertNotNull(PlpgsqlBodies.ofDoBody(other, "plpgsql", false).error());
    }

    /** The wrapper's dollar quote closes exactly where the body ends, whatever dollar signs the body holds. */
    @Test
    void wrapping() {
        List<String> bodies = List.of("x", "$", "$$", "a$gatehouse", "$gatehouse$", "$gatehouse", "x$gatehouse$y",
                "$gatehouse$$gatehouse_1$", "$gatehouse_1", "'$gatehouse$' $gatehouse_1$", "ends with $gatehouse_",
                "ends with $gatehouse_1");
        for (String body : bodies) {
            for (boolean scs : new boolean[] {true, false}) {
                String wrapped = PlpgsqlBodies.wrapDo(body, scs);
                assertNotNull(wrapped, body);
                PgTrees.Tree tree = PgTrees.parse(wrapped, scs);
                assertNull(tree.error(), wrapped);
                JsonArgs args = JsonArgs.of(tree);
                assertEquals(List.of("as"), args.names, wrapped);
                assertEquals(body, args.body, wrapped);
            }
        }
        // a body holding every tag tried: no wrapper, and reading it fails closed
        StringBuilder all = new StringBuilder("BEGIN PERFORM '");
        for (int i = 0; i < PlpgsqlBodies.MAX_TAG_TRIES; i++) {
            all.append(i == 0 ? "$gatehouse$" : "$gatehouse_" + i + "$");
        }
        all.append("'; END");
        assertNull(PlpgsqlBodies.wrapDo(all.toString(), true));
        assertTrue(PlpgsqlBodies.ofDoBody(all.toString(), "plpgsql", true).error().startsWith("no dollar-quote tag"));
    }

    private record JsonArgs(List<String> names, String body) {
        static JsonArgs of(PgTrees.Tree tree) {
            assertEquals(1, tree.statements().size());
            List<String> names = new ArrayList<>();
            String body = null;
            for (var arg : PgNodes.list(PgNodes.body(tree.statements().get(0).stmt()), "args")) {
                var d = PgNodes.body(arg);
                names.add(PgNodes.text(d, "defname"));
                body = PgNodes.sval(d.get("arg"));
            }
            return new JsonArgs(names, body);
        }
    }

    /** Declared names, so that a caller can tell a variable from a column in the texts. */
    @Test
    void variables() {
        assertEquals(Set.of("found", "n", "r", "c", "i"),
                of("DO $$ DECLARE n int := 0; r record; c CURSOR FOR SELECT 1; BEGIN "
                        + "BEGIN FOR i IN 1..2 LOOP NULL; END LOOP; END; END $$", true).variables());
        assertEquals(Set.of("found", "a", "new", "old"),
                of("CREATE FUNCTION f(a int) RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$", true)
                        .variables());
        assertEquals(Set.of(), of("DO $$ BEGIN DELET FROM t; END $$", true).variables());
    }

    /** A nested DO is a statement text; read in turn it gives the inner block's texts. */
    @Test
    void nestedDoReadInTurn() {
        Result outer = of("DO $$ BEGIN DO $i$ BEGIN DELETE FROM billing.invoices; END $i$; END $$", true);
        assertEquals(1, outer.texts().size());
        Result inner = of(outer.texts().get(0).sql(), true);
        assertEquals(List.of(t(S, "DELETE FROM billing.invoices")), inner.texts());
    }

    @Test
    void bounds() {
        String big = "BEGIN PERFORM '" + "x".repeat(PlpgsqlBodies.MAX_BODY_CHARS) + "'; END";
        assertTrue(PlpgsqlBodies.ofDoBody(big, "plpgsql", true).error().startsWith("body of "));

        Result fine = PlpgsqlBodies.ofDoBody(nested(320), "plpgsql", true);
        assertNull(fine.error(), fine::error);
        assertEquals(List.of(t(S, "DELETE FROM t")), fine.texts());
        Result deep = PlpgsqlBodies.ofDoBody(nested(340), "plpgsql", true);
        assertNotNull(deep.error());
        assertTrue(deep.error().contains("nested deeper than"), deep::error);

        StringBuilder many = new StringBuilder("BEGIN ");
        for (int i = 0; i <= PlpgsqlBodies.MAX_TEXTS; i++) {
            many.append("DELETE FROM t WHERE id = ").append(i).append("; ");
        }
        many.append("END");
        Result r = PlpgsqlBodies.ofDoBody(many.toString(), "plpgsql", true);
        assertTrue(r.error().startsWith("more than " + PlpgsqlBodies.MAX_TEXTS), r::error);
    }

    private static String nested(int depth) {
        return "BEGIN ".repeat(depth) + "DELETE FROM t; " + "END; ".repeat(depth - 1) + "END";
    }
}
