/**
 * Lineage of one SQL statement: which tables it touches and how, which columns' values it can observe or
 * change, which functions it calls, and whether an UPDATE/DELETE is unbounded, read from JSqlParser's tree and
 * resolved against a {@link dev.gatehouse.sql.catalog.Catalog}.
 *
 * <p>Decisions a policy author should know:
 * <ul>
 *   <li>Reads are every column whose value can leak: select list, WHERE, JOIN ON/USING, GROUP BY, HAVING,
 *       window clauses, ORDER BY, LIMIT/OFFSET subqueries, RETURNING, SET right-hand sides, INSERT ... SELECT
 *       sources, MERGE conditions. Views, CTEs and derived tables map their outputs to base-table columns; only
 *       outputs the statement uses count, while a view's or subquery's own WHERE/JOIN columns always do.</li>
 *   <li>DELETE, TRUNCATE, REPLACE and MERGE ... DELETE write every column of the table (the row vanishes);
 *       INSERT without a column list writes every column.</li>
 *   <li>Unqualified tables: PostgreSQL takes the first search-path schema whose catalog entry has the table,
 *       else {@code pg_catalog} for {@code pg_*} names, else the first path schema other than {@code $user},
 *       {@code pg_catalog}, {@code pg_temp}; MySQL takes the current database. View definitions resolve in the
 *       view's own schema first.</li>
 *   <li>{@code complete} is false whenever something was not resolved (a star or DELETE over a table the
 *       catalog does not know, an ambiguous or unknown column, a statement type not described); the parser
 *       failing gives {@link dev.gatehouse.sql.lineage.Lineage#unparsed}. Nothing here throws.</li>
 *   <li>A WHERE is unbounded when it is missing, or when its AND/OR/NOT structure evaluates to true with
 *       column predicates unknown; column-free parts that cannot be evaluated count as possibly true (MySQL:
 *       so do subqueries that do not refer to the statement's own rows).</li>
 *   <li>MySQL: JSqlParser reads text rebuilt from Gatehouse's lexer tokens ({@link dev.gatehouse.sql.lineage.MysqlParserText}),
 *       never the text as written, once per reading a session can give it (backslash escapes or not, ANSI_QUOTES);
 *       a reading the parser cannot read leaves the lineage incomplete. SET and SHOW TABLES read their
 *       subqueries; statistics tables and DROP/ALTER DATABASE ({@code s.*}) leave the lineage incomplete.</li>
 * </ul>
 * Parsing limits, by size and shape only, never by time (so a decision cannot depend on machine load): VALUES
 * rows that repeat the first row's shape with other literals are left out; then statements over 64 KiB,
 * parentheses nested over 64 deep, or subqueries nested too deep for their size are not parsed, each with a
 * fixed note; the complex grammar is only tried for statements up to 16 KiB and four levels of parentheses.
 */
package dev.gatehouse.sql.lineage;
