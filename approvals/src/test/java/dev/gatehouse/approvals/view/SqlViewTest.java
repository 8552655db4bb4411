package dev.gatehouse.approvals.view;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gatehouse.sql.Dialect;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The approver's view of a text, without a browser: where each reader cuts statements and reads comments, that every
 * character is shown once and in order, and the plain-text form the CLI and Slack print. The page's rendering of the
 * same view is tested in a real browser ({@code http.PageBrowserTest}).
 */
class SqlViewTest {

    /** Each statement as shown, comments in {@code [ ]}, marks and placeholders as {@link SqlText} writes them. */
    private static List<String> shown(SqlView v) {
        List<String> out = new ArrayList<>();
        for (SqlView.Statement s : v.statements()) {
            StringBuilder b = new StringBuilder();
            boolean open = false;
            for (SqlView.Piece p : s.pieces()) {
                boolean comment = switch (p) {
                    case SqlView.Piece.Text t -> t.comment();
                    case SqlView.Piece.Break br -> br.comment();
                    case SqlView.Piece.Mark m -> m.comment();
                    case SqlView.Piece.Param pa -> false;
                };
                if (comment != open) {
                    b.append(comment ? '[' : ']');
                    open = comment;
                }
                switch (p) {
                    case SqlView.Piece.Text t -> b.append(t.text());
                    case SqlView.Piece.Break br -> b.append(br.raw().equals("\r") ? "<CR>" : "<LF>");
                    case SqlView.Piece.Mark m -> b.append(SqlText.mark(m.codePoint()));
                    case SqlView.Piece.Param pa -> b.append(pa.text()).append(SqlText.annotation(pa));
                }
            }
            out.add(b.append(open ? "]" : "").toString());
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> eachReaderCutsAndCommentsAsItsServer() {
        record Case(String name, Dialect dialect, String sql, List<String> values, List<String> shown) {
        }
        return Stream.of(
                new Case("PostgreSQL: a -- comment ends at the line break", Dialect.POSTGRES,
                        "select 1 -- note\n; drop table t", List.of(), List.of("select 1 [-- note]<LF>; ", "drop table t")),
                new Case("PostgreSQL: U+2028 does not end it", Dialect.POSTGRES,
                        "select 1 -- a\u2028; drop table t", List.of(),
                        List.of("select 1 [-- a⟨U+2028 LINE SEPARATOR⟩; drop table t]")),
                new Case("PostgreSQL: nested block comments", Dialect.POSTGRES,
                        "select 1 /* a /* b */ ; drop */; select 2", List.of(),
                        List.of("select 1 [/* a /* b */ ; drop */]; ", "select 2")),
                new Case("PostgreSQL: BEGIN ATOMIC keeps its semicolons", Dialect.POSTGRES,
                        "create function f() returns int begin atomic select 1; select 2; end; grant all on t to u",
                        List.of(), List.of("create function f() returns int begin atomic select 1; select 2; end; ", "grant all on t to u")),
                new Case("PostgreSQL: values beside their placeholders, a NULL and one missing", Dialect.POSTGRES,
                        "select $1, $2, $3", java.util.Arrays.asList("a\nb", null),
                        List.of("select $1⟨= 'a⟨U+000A LINE FEED (LF)⟩b'⟩, $2⟨= NULL⟩, $3⟨no value bound⟩")),
                new Case("PostgreSQL: a mark cannot be faked", Dialect.POSTGRES,
                        "select '⟨U+2028 LINE SEPARATOR⟩'", List.of(),
                        List.of("select '⟨U+27E8 MATHEMATICAL LEFT ANGLE BRACKET⟩U+2028 LINE SEPARATOR⟨U+27E9 MATHEMATICAL RIGHT ANGLE BRACKET⟩'")),
                new Case("PostgreSQL: text its parser rejects is one block", Dialect.POSTGRES,
                        "selec 1; drop table t -- x", List.of(), List.of("selec 1; drop table t [-- x]")),
                new Case("MySQL: --1 is no comment", Dialect.MYSQL,
                        "SELECT id --1, ssn FROM users", List.of(), List.of("SELECT id --1, ssn FROM users")),
                new Case("MySQL: # comments and ? placeholders", Dialect.MYSQL,
                        "SELECT ? # note\n; DELETE FROM t WHERE id = ?", List.of("1", "2"),
                        List.of("SELECT ?⟨= '1'⟩ [# note]<LF>; ", "DELETE FROM t WHERE id = ?⟨= '2'⟩")),
                new Case("MySQL: an executable comment runs", Dialect.MYSQL,
                        "SELECT 1 /*!50000 , LOAD_FILE('/etc/passwd') */", List.of(),
                        List.of("SELECT 1 [/*!50000] , LOAD_FILE('/etc/passwd') [*/]")))
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
                    SqlView v = SqlView.of(c.sql(), c.dialect(), c.values(), true);
                    assertEquals(c.shown(), shown(v));
                    StringBuilder all = new StringBuilder();
                    for (SqlView.Statement s : v.statements()) {
                        all.append(c.sql(), s.from(), s.to());
                    }
                    assertEquals(c.sql(), all.toString(), "every character once, in order");
                }));
    }

    @Test
    void plainTextNumbersLinesUnderlinesCommentsAndHidesValuesFromThoseWhoMayNotSeeThem() {
        SqlView v = SqlView.of("select ssn -- why\nfrom users where id = $1;\rdelete from t", Dialect.POSTGRES,
                List.of("7"), false);
        assertEquals("""
                statement 1 of 2
                1 │ select ssn -- why
                  ┆            ~~~~~~ comment
                2 │ from users where id = $1⟨value hidden⟩;⟨U+000D CARRIAGE RETURN (CR)⟩
                statement 2 of 2
                3 │ delete from t
                """, SqlText.render(v, SqlText.Comments.UNDERLINE));
        assertEquals("select ssn ⟪-- why⟫ (2 statements) (+2 more lines)", SqlText.firstLine(v, 100));
    }
}
