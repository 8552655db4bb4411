package dev.gatehouse.approvals.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Display layout of SQL on the page: breaks before clauses, never inside quotes or comments. */
class SqlLayoutTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            clauses on their own lines        | select a from t where b = 1                 | select a\\nfrom t\\nwhere b = 1
            keyword inside a string untouched | select 'a from b' from t                    | select 'a from b'\\nfrom t
            keyword inside a comment          | select 1 /* from x */ from t                | select 1 /* from x */\\nfrom t
            left join stays one clause        | select * from a left join b on a.x = b.x    | select *\\nfrom a\\nleft join b\\n  on a.x = b.x
            positional parameter kept         | delete from t where id = $1                 | delete\\nfrom t\\nwhere id = $1
            dollar quoting left unchanged     | do $$ begin delete from t; end $$           | do $$ begin delete from t; end $$
            identifier with keyword inside    | select \"from\" from t                      | select \"from\"\\nfrom t
            """)
    void layout(String name, String sql, String expected) {
        assertEquals(expected.replace("\\n", "\n"), SqlLayout.layout(sql));
    }
}
