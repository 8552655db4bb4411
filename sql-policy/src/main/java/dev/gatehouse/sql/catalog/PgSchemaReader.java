package dev.gatehouse.sql.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.analysis.TableName;
import dev.gatehouse.sql.lineage.Identifiers;
import dev.gatehouse.sql.pg.PgOffsets;
import dev.gatehouse.sql.pg.PgParse;
import dev.gatehouse.sql.pg.PgQuery;
import dev.gatehouse.sql.pg.PgScan;
import dev.gatehouse.sql.pg.PgToken;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a PostgreSQL schema file with PostgreSQL's own parser (libpg_query): everything {@code pg_dump
 * --schema-only} writes, and hand-written files. psql meta-command lines ({@code \restrict KEY}, {@code \connect db})
 * are skipped; {@code SET standard_conforming_strings} changes how the rest of the file is read, as it would in psql.
 * What shapes relations is applied in order: CREATE SCHEMA, CREATE TABLE (columns, LIKE, INHERITS, PARTITION OF,
 * OF type), CREATE FOREIGN TABLE, CREATE TYPE AS (for typed tables), CREATE [MATERIALIZED] VIEW, CREATE TABLE AS,
 * ALTER TABLE ADD / DROP COLUMN, RENAME (table, column, schema), SET SCHEMA, DROP, SET search_path and
 * {@code set_config('search_path', ...)}; everything else (sequences, functions, indexes, grants, comments...) is
 * read by the parser and otherwise ignored. A statement the parser rejects, or a relation whose columns cannot be
 * known, is an error naming the statement: a catalog missing a table would make lineage wrong without anyone
 * noticing. Mutable, single-threaded, used once per file.
 */
final class PgSchemaReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    final Map<TableName, Relation> relations = new LinkedHashMap<>();
    final Set<String> schemas = new HashSet<>();
    /** Composite types (CREATE TYPE ... AS (...)) by name: the columns of a typed table (CREATE TABLE ... OF type). */
    private final Map<TableName, List<String>> types = new HashMap<>();
    private final List<String> initialPath;
    List<String> path;
    private boolean standardConformingStrings = true;
    /** Statements read so far (1-based numbering of the next one is this + 1). */
    private int statements;

    PgSchemaReader(List<String> path) {
        this.initialPath = List.copyOf(path);
        this.path = this.initialPath;
        schemas.addAll(path);
    }

    /** One statement (or several) given on its own, numbered by the caller; psql meta-commands are not expected here. */
    void readStatement(String sql, int number) {
        statements = number - 1;
        readText(sql, false);
    }

    /** A whole schema file. */
    void readFile(String text) {
        readText(text, true);
    }

    /**
     * Reads the text in chunks, each read under one standard_conforming_strings: a chunk ends after the first
     * statement that sets it (its effect on the rest is only known once it is applied). Within a chunk, psql
     * meta-command lines are blanked out, then the chunk is parsed as a whole.
     */
    private void readText(String text, boolean file) {
        int from = 0;
        int firstNumber = statements + 1;
        while (from < text.length()) {
            char[] chars = text.substring(from).toCharArray();
            int[] tokens;
            int chunkEnd;
            while (true) {
                PgScan scan = PgQuery.scan(new String(chars), standardConformingStrings);
                if (scan.ok()) {
                    tokens = file ? withoutMetaCommands(scan, chars) : scan.tokens();
                    int cut = afterStandardConformingStringsSet(tokens, chars);
                    chunkEnd = cut >= 0 ? cut : chars.length;
                    break;
                }
                // The text does not scan to its end under the current setting: read what does, if that is
                // a meta-command line to skip or a statement changing the setting.
                int at = Math.max(scan.errorCharIndex(), 0);
                PgScan prefix = PgQuery.scan(new String(chars, 0, at), standardConformingStrings);
                if (!prefix.ok()) {
                    throw error(statements + 1, text, from + at, scan.error(), file);
                }
                if (file && blankMetaCommandAround(prefix, chars, at)) {
                    continue;
                }
                tokens = file ? withoutMetaCommands(prefix, chars) : prefix.tokens();
                int cut = afterStandardConformingStringsSet(tokens, chars);
                if (cut < 0) {
                    throw error(statements + 1 + semicolonsBefore(tokens, at), text, from + at, scan.error(), file);
                }
                chunkEnd = cut;
                break;
            }
            String sql = new String(chars, 0, chunkEnd);
            int resumeAt = readChunk(sql, tokens, text, from, file);
            from += resumeAt;
        }
        if (!file && statements < firstNumber) {
            statements = firstNumber;  // an empty statement (only a comment) still counts as the caller's one
        }
    }

    /** Parses and applies one chunk; returns where the next chunk starts (relative to the chunk). */
    private int readChunk(String sql, int[] tokens, String text, int from, boolean file) {
        PgParse parse = PgQuery.parse(sql, standardConformingStrings);
        if (!parse.ok()) {
            int at = Math.max(parse.errorCharIndex(), 0);
            throw error(statements + 1 + semicolonsBefore(tokens, at), text, from + at, parse.error(), file);
        }
        JsonNode stmts;
        try {
            stmts = JSON.readTree(parse.json()).path("stmts");
        } catch (JsonProcessingException e) {
            throw new SchemaFileException(statements + 1, "libpg_query's tree could not be read: " + e.getMessage());
        }
        PgOffsets offsets = PgOffsets.of(sql);
        for (JsonNode raw : stmts) {
            int location = raw.path("stmt_location").asInt(0);
            int len = raw.path("stmt_len").asInt(0);
            int start = offsets.charIndex(location);
            int end = len == 0 ? sql.length() : offsets.charIndex(location + len);
            statements++;
            boolean scs = standardConformingStrings;
            try {
                apply(raw.path("stmt"), new Text(sql, tokens, offsets, start, end));
            } catch (SchemaFileException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new SchemaFileException(statements, describe(sql, start, end) + ": " + e.getMessage());
            }
            if (scs != standardConformingStrings) {
                return end;  // set by other means (set_config): the rest reads differently now
            }
        }
        return Math.max(sql.length(), 1);
    }

    /**
     * Where the first statement that sets standard_conforming_strings ends (after its semicolon), or -1:
     * {@code SET [SESSION | LOCAL] standard_conforming_strings ...}, {@code RESET standard_conforming_strings},
     * {@code RESET ALL}, at the start of a statement.
     */
    private static int afterStandardConformingStringsSet(int[] tokens, char[] chars) {
        int n = tokens.length / 4;
        boolean statementStart = true;
        for (int i = 0; i < n; i++) {
            int t = tokens[4 * i + 2];
            if (t == PgToken.SQL_COMMENT || t == PgToken.C_COMMENT) {
                continue;
            }
            if (statementStart && (t == PgToken.SET || t == PgToken.RESET)) {
                int j = i + 1;
                if (t == PgToken.SET && j < n && (tokens[4 * j + 2] == PgToken.SESSION || tokens[4 * j + 2] == PgToken.LOCAL)) {
                    j++;
                }
                boolean all = t == PgToken.RESET && j < n && tokens[4 * j + 2] == PgToken.ALL;
                if (all || j < n && isName(tokens, j, chars, "standard_conforming_strings")) {
                    for (int k = j; k < n; k++) {
                        if (tokens[4 * k + 2] == PgToken.ASCII_59) {
                            return tokens[4 * k + 1];
                        }
                    }
                    return chars.length;
                }
            }
            statementStart = t == PgToken.ASCII_59;
        }
        return -1;
    }

    private static boolean isName(int[] tokens, int i, char[] chars, String name) {
        int t = tokens[4 * i + 2];
        if (t != PgToken.IDENT) {
            return false;
        }
        String text = new String(chars, tokens[4 * i], tokens[4 * i + 1] - tokens[4 * i]);
        if (text.length() >= 2 && text.charAt(0) == '"') {
            return text.substring(1, text.length() - 1).equals(name);
        }
        return text.toLowerCase(Locale.ROOT).equals(name);
    }

    /**
     * A scan error inside a psql meta-command line (its arguments follow psql's rules, not SQL's: pg_dump's
     * {@code \restrict} key may start with a digit): blanks that line and says so.
     */
    private static boolean blankMetaCommandAround(PgScan prefix, char[] chars, int errorAt) {
        for (int i = prefix.count() - 1; i >= 0; i--) {
            int start = prefix.start(i);
            if (prefix.token(i) == PgToken.ASCII_92 && firstOnLine(chars, start)) {
                for (int k = start; k < errorAt; k++) {
                    if (chars[k] == '\n') {
                        return false;
                    }
                }
                for (int k = start; k < chars.length && chars[k] != '\n'; k++) {
                    chars[k] = ' ';
                }
                return true;
            }
            if (prefix.start(i) < errorAt && lineBreakBetween(chars, start, errorAt)) {
                return false;
            }
        }
        return false;
    }

    private static boolean lineBreakBetween(char[] chars, int from, int to) {
        for (int k = from; k < to; k++) {
            if (chars[k] == '\n') {
                return true;
            }
        }
        return false;
    }

    /**
     * psql reads a backslash outside quotes and comments as a meta-command running to the end of the line; pg_dump
     * writes such lines ({@code \restrict}, {@code \connect}) between statements. Each one that
     * begins its line is blanked out (same length, so positions keep their meaning) and its tokens are dropped.
     * A backslash elsewhere stays and the parser rejects it.
     */
    private static int[] withoutMetaCommands(PgScan scan, char[] chars) {
        int[] t = scan.tokens();
        int[] kept = new int[t.length];
        int k = 0;
        int blankedTo = -1;
        for (int i = 0; i < scan.count(); i++) {
            int start = scan.start(i);
            if (start < blankedTo) {
                continue;
            }
            if (scan.token(i) == PgToken.ASCII_92 && firstOnLine(chars, start)) {
                int end = start;
                while (end < chars.length && chars[end] != '\n') {
                    chars[end++] = ' ';
                }
                blankedTo = end;
                continue;
            }
            System.arraycopy(t, 4 * i, kept, k, 4);
            k += 4;
        }
        return java.util.Arrays.copyOf(kept, k);
    }

    private static boolean firstOnLine(char[] chars, int at) {
        for (int i = at - 1; i >= 0 && chars[i] != '\n'; i--) {
            if (chars[i] != ' ' && chars[i] != '\t' && chars[i] != '\r') {
                return false;
            }
        }
        return true;
    }

    private static int semicolonsBefore(int[] tokens, int at) {
        int n = 0;
        for (int i = 0; i < tokens.length; i += 4) {
            if (tokens[i] >= at) {
                break;
            }
            if (tokens[i + 2] == PgToken.ASCII_59) {
                n++;
            }
        }
        return n;
    }

    private SchemaFileException error(int number, String text, int at, String message, boolean file) {
        if (!file) {
            int end = text.length();
            return new SchemaFileException(number, describe(text, 0, end) + ": " + message);
        }
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < at && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new SchemaFileException(number, "line " + line + ", column " + (at - lineStart + 1) + ": " + message);
    }

    /** The statement's first words, to name it in an error. */
    private static String describe(String sql, int start, int end) {
        PgScan scan = PgQuery.scan(sql.substring(start, end), true);
        StringBuilder sb = new StringBuilder();
        int words = 0;
        for (int i = 0; scan.ok() && i < scan.count() && words < 4; i++) {
            int t = scan.token(i);
            if (t == PgToken.SQL_COMMENT || t == PgToken.C_COMMENT) {
                continue;
            }
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(sql, start + scan.start(i), start + scan.end(i));
            words++;
        }
        return sb.append("...").toString();
    }

    /** One statement: its text span and the tokens of the text it is in. */
    private record Text(String sql, int[] tokens, PgOffsets offsets, int start, int end) {
        /** The index of the statement's first token (tokens are sorted by position). */
        int first() {
            return firstAtOrAfter(start);
        }

        /** The index of the statement's last token. */
        int last() {
            return firstAtOrAfter(end) - 1;
        }

        int firstAtOrAfter(int position) {
            int lo = 0;
            int hi = tokens.length / 4;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (tokens[4 * mid] < position) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        int token(int i) {
            return tokens[4 * i + 2];
        }
    }

    // ---------------------------------------------------------------- statements

    private void apply(JsonNode stmt, Text text) {
        Iterator<Map.Entry<String, JsonNode>> it = stmt.fields();
        if (!it.hasNext()) {
            return;
        }
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode n = e.getValue();
        switch (e.getKey()) {
            case "VariableSetStmt" -> set(n);
            case "SelectStmt" -> setConfig(n);
            case "CreateSchemaStmt" -> createSchema(n, text);
            case "CreateStmt" -> createTable(n, false);
            case "CreateForeignTableStmt" -> createTable(n.path("base"), true);
            case "CompositeTypeStmt" -> types.put(name(n.path("typevar")), columnDefs(n.path("coldeflist")));
            case "ViewStmt" -> createView(n, text);
            case "CreateTableAsStmt" -> createTableAs(n, text);
            case "AlterTableStmt" -> alterTable(n);
            case "RenameStmt" -> rename(n);
            case "AlterObjectSchemaStmt" -> setSchema(n);
            case "DropStmt" -> drop(n);
            default -> {
                // sequences, functions, types, indexes, grants, comments, data...: nothing a relation's shape needs
            }
        }
    }

    private void set(JsonNode n) {
        String name = n.path("name").asText("");
        String kind = n.path("kind").asText("");
        boolean reset = kind.equals("VAR_SET_DEFAULT") || kind.equals("VAR_RESET");
        if (name.equals("search_path")) {
            if (reset) {
                path = initialPath;
            } else if (kind.equals("VAR_SET_VALUE")) {
                // Each value is a name as written (an unquoted one already folded by the parser).
                List<String> next = new ArrayList<>();
                for (JsonNode a : n.path("args")) {
                    String v = a.path("A_Const").path("sval").path("sval").asText(null);
                    if (v == null) {
                        throw new IllegalArgumentException("search_path value is not a name");
                    }
                    next.add(v);
                }
                setPath(next);
            }
        } else if (name.equals("standard_conforming_strings")) {
            if (reset) {
                standardConformingStrings = true;
            } else if (kind.equals("VAR_SET_VALUE")) {
                JsonNode c = n.path("args").path(0).path("A_Const");
                String v = c.has("ival") ? String.valueOf(c.path("ival").path("ival").asInt(0))
                        : c.path("sval").path("sval").asText(null);
                Boolean b = v == null ? null : bool(v);
                if (b == null) {
                    throw new IllegalArgumentException("standard_conforming_strings value " + v + " is not a boolean");
                }
                standardConformingStrings = b;
            }
        }
    }

    /** PostgreSQL's parse_bool: true/false, yes/no, on/off, 1/0 and unambiguous prefixes, any case. */
    static Boolean bool(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.isEmpty()) {
            return null;
        }
        if ("true".startsWith(v) || "yes".startsWith(v) || v.equals("1") || v.length() >= 2 && "on".startsWith(v)) {
            return true;
        }
        if ("false".startsWith(v) || "no".startsWith(v) || v.equals("0") || v.length() >= 2 && "off".startsWith(v)) {
            return false;
        }
        return null;
    }

    /** pg_dump's {@code SELECT pg_catalog.set_config('search_path', '', false);}. */
    private void setConfig(JsonNode select) {
        JsonNode targets = select.path("targetList");
        if (targets.size() != 1) {
            return;
        }
        JsonNode f = targets.path(0).path("ResTarget").path("val").path("FuncCall");
        List<String> fn = strings(f.path("funcname"));
        if (fn.isEmpty() || !fn.get(fn.size() - 1).equals("set_config")
                || fn.size() == 2 && !fn.get(0).equals("pg_catalog") || fn.size() > 2) {
            return;
        }
        JsonNode args = f.path("args");
        String setting = args.path(0).path("A_Const").path("sval").path("sval").asText(null);
        String value = args.path(1).path("A_Const").path("sval").path("sval").asText(null);
        if (setting == null || !setting.equalsIgnoreCase("search_path")) {
            return;
        }
        if (value == null) {
            throw new IllegalArgumentException("set_config('search_path', ...) with a value that is not a constant");
        }
        setPath(searchPathList(value));
    }

    /** A search_path setting's text: comma-separated names, each unquoted one folded, quoted ones kept. */
    static List<String> searchPathList(String value) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = value.length();
        while (i < n) {
            while (i < n && (value.charAt(i) == ',' || Character.isWhitespace(value.charAt(i)))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            StringBuilder name = new StringBuilder();
            if (value.charAt(i) == '"') {
                i++;
                while (i < n) {
                    char c = value.charAt(i++);
                    if (c == '"') {
                        if (i < n && value.charAt(i) == '"') {
                            name.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        name.append(c);
                    }
                }
                out.add(name.toString());
            } else {
                while (i < n && value.charAt(i) != ',' && !Character.isWhitespace(value.charAt(i))) {
                    name.append(value.charAt(i++));
                }
                out.add(Identifiers.fold(name.toString(), Dialect.POSTGRES));
            }
            while (i < n && value.charAt(i) != ',') {
                i++;
            }
        }
        return out;
    }

    private void setPath(List<String> next) {
        path = List.copyOf(next);
        for (String s : next) {
            if (!s.equals("$user")) {
                schemas.add(s);
            }
        }
    }

    private void createSchema(JsonNode n, Text text) {
        String name = n.path("schemaname").asText(null);
        if (name == null) {
            name = n.path("authrole").path("rolename").asText(null);  // CREATE SCHEMA AUTHORIZATION role: named after it
        }
        if (name == null) {
            return;
        }
        schemas.add(name);
        // CREATE SCHEMA s CREATE TABLE t ...: the elements are created in s
        List<String> saved = path;
        path = List.of(name);
        try {
            for (JsonNode element : n.path("schemaElts")) {
                apply(element, text);
            }
        } finally {
            path = saved;
        }
    }

    private void createTable(JsonNode n, boolean foreign) {
        TableName name = name(n.path("relation"));
        List<String> columns = new ArrayList<>();
        for (JsonNode parent : n.path("inhRelations")) {
            JsonNode rv = parent.path("RangeVar");
            Relation p = find(rv);
            if (p == null) {
                throw new IllegalArgumentException((n.has("partbound") ? "PARTITION OF " : "INHERITS ")
                        + display(rv) + ": no such table defined earlier");
            }
            addAll(columns, p.columns());
        }
        if (n.has("ofTypename")) {
            List<String> typeName = strings(n.path("ofTypename").path("names"));
            List<String> typeColumns = findType(typeName);
            if (typeColumns == null) {
                throw new IllegalArgumentException("OF " + String.join(".", typeName)
                        + ": no such composite type defined earlier");
            }
            addAll(columns, typeColumns);
        }
        for (JsonNode element : n.path("tableElts")) {
            if (element.has("ColumnDef")) {
                add(columns, element.path("ColumnDef").path("colname").asText());
            } else if (element.has("TableLikeClause")) {
                JsonNode rv = element.path("TableLikeClause").path("relation");
                Relation like = find(rv);
                if (like == null) {
                    throw new IllegalArgumentException("LIKE " + display(rv) + ": no such table defined earlier");
                }
                addAll(columns, like.columns());
            }
            // table constraints: no column of their own
        }
        put(new Relation(name, columns, null, foreign), n.path("if_not_exists").asBoolean(false));
    }

    private void createView(JsonNode n, Text text) {
        TableName name = name(n.path("view"));
        List<String> columns = renamed(outputColumns(n.path("query"), Map.of()), strings(n.path("aliases")), name);
        put(new Relation(name, columns, definition(text, n.path("view"))), false);
    }

    private void createTableAs(JsonNode n, Text text) {
        JsonNode into = n.path("into");
        TableName name = name(into.path("rel"));
        if (!n.path("query").has("SelectStmt")) {
            throw new IllegalArgumentException("the columns of CREATE TABLE AS EXECUTE cannot be known from the file");
        }
        List<String> columns = renamed(outputColumns(n.path("query"), Map.of()), strings(into.path("colNames")), name);
        boolean view = n.path("objtype").asText("").equals("OBJECT_MATVIEW");
        put(new Relation(name, columns, view ? definition(text, into.path("rel")) : null),
                n.path("if_not_exists").asBoolean(false));
    }

    /** A column list renames the first columns, as in PostgreSQL; the rest keep their names. */
    private static List<String> renamed(List<String> columns, List<String> aliases, TableName name) {
        if (aliases.size() > columns.size()) {
            throw new IllegalArgumentException(name + ": more column names (" + aliases.size() + ") than the query has columns");
        }
        List<String> out = new ArrayList<>(columns);
        for (int i = 0; i < aliases.size(); i++) {
            out.set(i, aliases.get(i));
        }
        return out;
    }

    /**
     * The query's text as written: from the token after the first top-level AS following the relation's name (the
     * AS before the query in CREATE [MATERIALIZED] VIEW and CREATE TABLE AS) to the statement's end, or to the next
     * element of a CREATE SCHEMA (a top-level CREATE or GRANT, which no query holds), without a trailing
     * {@code WITH [CASCADED | LOCAL] CHECK OPTION} or {@code WITH [NO] DATA}.
     */
    private static String definition(Text text, JsonNode relation) {
        int nameAt = text.offsets().charIndex(relation.path("location").asInt(0));
        int first = Math.max(text.first(), text.firstAtOrAfter(nameAt));
        int last = text.last();
        int depth = 0;
        int as = -1;
        for (int i = first; i <= last; i++) {
            int t = text.token(i);
            if (t == PgToken.ASCII_40 || t == PgToken.ASCII_91) {
                depth++;
            } else if (t == PgToken.ASCII_41 || t == PgToken.ASCII_93) {
                depth--;
            } else if (depth == 0 && t == PgToken.AS) {
                as = i;
                break;
            }
        }
        if (as < 0) {
            throw new IllegalArgumentException("no AS before the query");
        }
        depth = 0;
        for (int i = as + 1; i <= last; i++) {
            int t = text.token(i);
            if (t == PgToken.ASCII_40 || t == PgToken.ASCII_91) {
                depth++;
            } else if (t == PgToken.ASCII_41 || t == PgToken.ASCII_93) {
                depth--;
            } else if (depth == 0 && (t == PgToken.CREATE || t == PgToken.GRANT)) {
                last = i - 1;
                break;
            }
        }
        int from = as + 1;
        while (from <= last && isComment(text.token(from))) {
            from++;
        }
        while (last > from && isComment(text.token(last))) {
            last--;
        }
        if (last - 1 > from && text.token(last) == PgToken.OPTION && text.token(last - 1) == PgToken.CHECK) {
            int w = last - 2;
            if (text.token(w) == PgToken.CASCADED || text.token(w) == PgToken.LOCAL) {
                w--;
            }
            if (w > from && (text.token(w) == PgToken.WITH || text.token(w) == PgToken.WITH_LA)) {
                last = w - 1;
            }
        } else if (last - 1 > from && text.token(last) == PgToken.DATA_P) {
            int w = last - 1;
            if (text.token(w) == PgToken.NO) {
                w--;
            }
            if (w > from && (text.token(w) == PgToken.WITH || text.token(w) == PgToken.WITH_LA)) {
                last = w - 1;
            }
        }
        while (last > from && isComment(text.token(last))) {
            last--;
        }
        if (from > last) {
            throw new IllegalArgumentException("no query after AS");
        }
        return text.sql().substring(text.tokens()[4 * from], text.tokens()[4 * last + 1]);
    }

    private static boolean isComment(int token) {
        return token == PgToken.SQL_COMMENT || token == PgToken.C_COMMENT;
    }

    private void alterTable(JsonNode n) {
        TableName name = resolve(n.path("relation"));
        Relation relation = name == null ? null : relations.get(name);
        if (relation == null) {
            return;  // ALTER of something the catalog does not hold (a sequence's owner, an index...)
        }
        List<String> columns = new ArrayList<>(relation.columns());
        for (JsonNode c : n.path("cmds")) {
            JsonNode cmd = c.path("AlterTableCmd");
            switch (cmd.path("subtype").asText("")) {
                case "AT_AddColumn", "AT_AddColumnToView" -> add(columns, cmd.path("def").path("ColumnDef").path("colname").asText());
                case "AT_DropColumn" -> columns.remove(cmd.path("name").asText());
                default -> {
                    // constraints, defaults, owners, partitions attached, storage: the columns stay
                }
            }
        }
        relations.put(name, relation.withColumns(columns));
    }

    private void rename(JsonNode n) {
        String type = n.path("renameType").asText("");
        String newName = n.path("newname").asText();
        switch (type) {
            case "OBJECT_TABLE", "OBJECT_VIEW", "OBJECT_MATVIEW", "OBJECT_FOREIGN_TABLE" -> {
                TableName name = resolve(n.path("relation"));
                Relation r = name == null ? null : relations.remove(name);
                if (r != null) {
                    TableName to = new TableName(name.schema(), newName);
                    relations.put(to, r.named(to));
                }
            }
            case "OBJECT_COLUMN" -> {
                TableName name = resolve(n.path("relation"));
                Relation r = name == null ? null : relations.get(name);
                if (r != null) {
                    List<String> columns = new ArrayList<>(r.columns());
                    int i = columns.indexOf(n.path("subname").asText());
                    if (i >= 0) {
                        columns.set(i, newName);
                    }
                    relations.put(name, r.withColumns(columns));
                }
            }
            case "OBJECT_SCHEMA" -> {
                String old = n.path("subname").asText();
                if (schemas.remove(old)) {
                    schemas.add(newName);
                }
                for (Relation r : List.copyOf(relations.values())) {
                    if (r.name().schema().equals(old)) {
                        move(r, newName);
                    }
                }
            }
            default -> {
                // other objects' names: no relation's shape changes
            }
        }
    }

    private void setSchema(JsonNode n) {
        String type = n.path("objectType").asText("");
        if (!List.of("OBJECT_TABLE", "OBJECT_VIEW", "OBJECT_MATVIEW", "OBJECT_FOREIGN_TABLE").contains(type)) {
            return;
        }
        TableName name = resolve(n.path("relation"));
        Relation r = name == null ? null : relations.get(name);
        if (r != null) {
            move(r, n.path("newschema").asText());
        }
    }

    private void move(Relation r, String schema) {
        relations.remove(r.name());
        TableName to = new TableName(schema, r.name().name());
        relations.put(to, r.named(to));
        schemas.add(schema);
    }

    private void drop(JsonNode n) {
        String type = n.path("removeType").asText("");
        switch (type) {
            case "OBJECT_TABLE", "OBJECT_VIEW", "OBJECT_MATVIEW", "OBJECT_FOREIGN_TABLE" -> {
                for (JsonNode o : n.path("objects")) {
                    List<String> parts = strings(o.path("List").path("items"));
                    TableName name = parts.size() >= 2
                            ? new TableName(parts.get(parts.size() - 2), parts.get(parts.size() - 1))
                            : parts.size() == 1 ? lookup(null, parts.get(0)) : null;
                    if (name != null) {
                        relations.remove(name);
                    }
                }
            }
            case "OBJECT_SCHEMA" -> {
                for (JsonNode o : n.path("objects")) {
                    String schema = o.path("String").path("sval").asText(null);
                    if (schema != null) {
                        schemas.remove(schema);
                        relations.keySet().removeIf(t -> t.schema().equals(schema));
                    }
                }
            }
            default -> {
                // indexes, functions, types...
            }
        }
    }

    // ---------------------------------------------------------------- names

    /** Where a CREATE puts a relation: its schema, or the first schema of the search path. */
    private TableName name(JsonNode rangeVar) {
        String schema = rangeVar.path("schemaname").asText(null);
        String rel = rangeVar.path("relname").asText();
        return new TableName(schema != null ? schema : creationSchema(), rel);
    }

    /** PostgreSQL creates in the first schema of the path (the session user's schema is unknown, so skipped). */
    private String creationSchema() {
        for (String s : path) {
            if (!s.equals("$user")) {
                return s;
            }
        }
        return "public";
    }

    /** An existing relation a RangeVar names: qualified, or the first schema of the path that has it. */
    private TableName resolve(JsonNode rangeVar) {
        return lookup(rangeVar.path("schemaname").asText(null), rangeVar.path("relname").asText());
    }

    private TableName lookup(String schema, String name) {
        if (schema != null) {
            return new TableName(schema, name);
        }
        for (String s : path) {
            TableName t = new TableName(s, name);
            if (relations.containsKey(t)) {
                return t;
            }
        }
        return null;
    }

    private Relation find(JsonNode rangeVar) {
        TableName t = resolve(rangeVar);
        return t == null ? null : relations.get(t);
    }

    private List<String> findType(List<String> names) {
        if (names.size() >= 2) {
            return types.get(new TableName(names.get(names.size() - 2), names.get(names.size() - 1)));
        }
        for (String s : path) {
            List<String> c = types.get(new TableName(s, names.get(0)));
            if (c != null) {
                return c;
            }
        }
        return null;
    }

    private static String display(JsonNode rangeVar) {
        String schema = rangeVar.path("schemaname").asText(null);
        return (schema != null ? schema + "." : "") + rangeVar.path("relname").asText();
    }

    private void put(Relation relation, boolean ifNotExists) {
        if (ifNotExists && relations.containsKey(relation.name())) {
            return;
        }
        relations.put(relation.name(), relation);
        schemas.add(relation.name().schema());
    }

    private static List<String> columnDefs(JsonNode list) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : list) {
            if (e.has("ColumnDef")) {
                add(out, e.path("ColumnDef").path("colname").asText());
            }
        }
        return out;
    }

    /** The svals of a list of String nodes. */
    private static List<String> strings(JsonNode list) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : list) {
            String s = e.path("String").path("sval").asText(null);
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    private static void add(List<String> columns, String column) {
        if (!columns.contains(column)) {
            columns.add(column);
        }
    }

    private static void addAll(List<String> columns, List<String> more) {
        for (String c : more) {
            add(columns, c);
        }
    }

    // ---------------------------------------------------------------- output columns of a query

    /** What a FROM clause offers: each range's reference name and columns, and what an unqualified * gives. */
    private record Scope(List<Range> ranges, List<String> star) {
    }

    private record Range(String name, List<String> columns) {
    }

    /**
     * The output column names of a query (a {@code SelectStmt} wrapper node), named as PostgreSQL names a view's
     * columns: the target's alias, else the column of a plain column reference, else the function's name (and
     * the other rules of PostgreSQL's FigureColname), else {@code ?column?}; {@code *} expands over the FROM clause.
     */
    private List<String> outputColumns(JsonNode query, Map<String, List<String>> outerCtes) {
        JsonNode s = query.path("SelectStmt");
        if (s.isMissingNode()) {
            throw new IllegalArgumentException("the query is not a SELECT");
        }
        Map<String, List<String>> ctes = new HashMap<>(outerCtes);
        for (JsonNode c : s.path("withClause").path("ctes")) {
            JsonNode cte = c.path("CommonTableExpr");
            String cteName = cte.path("ctename").asText();
            List<String> aliases = strings(cte.path("aliascolnames"));
            JsonNode q = cte.path("ctequery");
            List<String> cols;
            if (q.has("SelectStmt")) {
                boolean recursive = s.path("withClause").path("recursive").asBoolean(false);
                JsonNode body = recursive && !q.path("SelectStmt").path("op").asText("SETOP_NONE").equals("SETOP_NONE")
                        ? q.path("SelectStmt").path("larg") : q;  // a recursive CTE's shape is its first branch's
                cols = renamed(outputColumns(wrap(body), ctes), aliases, new TableName("", cteName));
            } else if (!aliases.isEmpty()) {
                cols = aliases;
            } else {
                cols = returningColumns(q);
            }
            ctes.put(cteName, cols);
        }
        String op = s.path("op").asText("SETOP_NONE");
        if (!op.equals("SETOP_NONE")) {
            return outputColumns(wrap(s.path("larg")), ctes);
        }
        if (s.has("valuesLists")) {
            int n = s.path("valuesLists").path(0).path("List").path("items").size();
            List<String> out = new ArrayList<>(n);
            for (int i = 1; i <= n; i++) {
                out.add("column" + i);
            }
            return out;
        }
        Scope scope = null;
        List<String> out = new ArrayList<>();
        for (JsonNode t : s.path("targetList")) {
            JsonNode target = t.path("ResTarget");
            if (target.has("name")) {
                out.add(target.path("name").asText());
                continue;
            }
            JsonNode val = target.path("val");
            JsonNode fields = val.path("ColumnRef").path("fields");
            if (fields.size() > 0 && fields.path(fields.size() - 1).has("A_Star")) {
                if (scope == null) {
                    scope = scope(s.path("fromClause"), ctes);
                }
                out.addAll(star(scope, strings(fields)));
                continue;
            }
            String name = figureName(val);
            out.add(name != null ? name : "?column?");
        }
        return out;
    }

    /** A SelectStmt's larg/rarg is the statement itself, not wrapped: wrap it as a query node. */
    private static JsonNode wrap(JsonNode selectStmtOrWrapped) {
        if (selectStmtOrWrapped.has("SelectStmt")) {
            return selectStmtOrWrapped;
        }
        return JSON.createObjectNode().set("SelectStmt", selectStmtOrWrapped);
    }

    /** A data-modifying CTE's columns: its RETURNING list. */
    private List<String> returningColumns(JsonNode q) {
        Iterator<JsonNode> it = q.elements();
        JsonNode stmt = it.hasNext() ? it.next() : JSON.missingNode();
        List<String> out = new ArrayList<>();
        for (JsonNode t : stmt.path("returningList")) {
            JsonNode target = t.path("ResTarget");
            if (target.has("name")) {
                out.add(target.path("name").asText());
            } else {
                JsonNode fields = target.path("val").path("ColumnRef").path("fields");
                if (fields.size() > 0 && fields.path(fields.size() - 1).has("A_Star")) {
                    throw new IllegalArgumentException("cannot expand RETURNING * of a data-modifying WITH query");
                }
                String name = figureName(target.path("val"));
                out.add(name != null ? name : "?column?");
            }
        }
        return out;
    }

    private static List<String> star(Scope scope, List<String> qualifier) {
        if (qualifier.isEmpty()) {
            return scope.star();
        }
        String ref = qualifier.get(qualifier.size() - 1);
        for (Range r : scope.ranges()) {
            if (r.name().equals(ref)) {
                return r.columns();
            }
        }
        throw new IllegalArgumentException("cannot expand " + String.join(".", qualifier) + ".*: no such range in FROM");
    }

    private Scope scope(JsonNode fromClause, Map<String, List<String>> ctes) {
        List<Range> ranges = new ArrayList<>();
        List<String> star = new ArrayList<>();
        for (JsonNode item : fromClause) {
            Scope s = fromItem(item, ctes);
            ranges.addAll(s.ranges());
            star.addAll(s.star());
        }
        return new Scope(ranges, star);
    }

    private Scope fromItem(JsonNode item, Map<String, List<String>> ctes) {
        if (item.has("RangeVar")) {
            JsonNode rv = item.path("RangeVar");
            String rel = rv.path("relname").asText();
            List<String> columns;
            if (!rv.has("schemaname") && ctes.containsKey(rel)) {
                columns = ctes.get(rel);
            } else {
                Relation r = find(rv);
                if (r == null) {
                    throw new IllegalArgumentException("cannot expand * over " + display(rv) + ": not defined earlier");
                }
                columns = r.columns();
            }
            return aliased(rv.path("alias"), rel, columns);
        }
        if (item.has("RangeSubselect")) {
            JsonNode sub = item.path("RangeSubselect");
            return aliased(sub.path("alias"), null, outputColumns(sub.path("subquery"), ctes));
        }
        if (item.has("RangeTableSample")) {
            return fromItem(item.path("RangeTableSample").path("relation"), ctes);
        }
        if (item.has("JoinExpr")) {
            return join(item.path("JoinExpr"), ctes);
        }
        if (item.has("RangeFunction")) {
            // a function's result columns are not in a schema file unless the FROM item lists them
            JsonNode alias = item.path("RangeFunction").path("alias");
            if (alias.path("colnames").size() > 0) {
                return aliased(alias, null, strings(alias.path("colnames")));
            }
            throw new IllegalArgumentException("cannot expand * over a function in FROM without a column list");
        }
        throw new IllegalArgumentException("cannot expand * over " + item.fieldNames().next());
    }

    /** An alias renames a range (and, with a column list, its first columns). */
    private static Scope aliased(JsonNode alias, String defaultName, List<String> columns) {
        String name = alias.path("aliasname").asText(defaultName);
        List<String> cols = new ArrayList<>(columns);
        List<String> renames = strings(alias.path("colnames"));
        for (int i = 0; i < renames.size() && i < cols.size(); i++) {
            cols.set(i, renames.get(i));
        }
        List<Range> ranges = name == null ? List.of() : List.of(new Range(name, cols));
        return new Scope(ranges, cols);
    }

    /** JOIN ... USING / NATURAL JOIN: * gives the merged columns once, first, then the rest of each side. */
    private Scope join(JsonNode j, Map<String, List<String>> ctes) {
        Scope left = fromItem(j.path("larg"), ctes);
        Scope right = fromItem(j.path("rarg"), ctes);
        List<String> using = strings(j.path("usingClause"));
        if (j.path("isNatural").asBoolean(false)) {
            using = new ArrayList<>();
            for (String c : left.star()) {
                if (right.star().contains(c)) {
                    using.add(c);
                }
            }
        }
        List<String> star = new ArrayList<>(using);
        for (String c : left.star()) {
            if (!using.contains(c)) {
                star.add(c);
            }
        }
        for (String c : right.star()) {
            if (!using.contains(c)) {
                star.add(c);
            }
        }
        List<Range> ranges = new ArrayList<>(left.ranges());
        ranges.addAll(right.ranges());
        JsonNode alias = j.path("alias");
        if (alias.has("aliasname")) {
            // a join with an alias hides the ranges inside it
            return aliased(alias, null, star);
        }
        if (j.path("join_using_alias").has("aliasname")) {
            ranges.add(new Range(j.path("join_using_alias").path("aliasname").asText(), using));
        }
        return new Scope(ranges, star);
    }

    /** PostgreSQL's FigureColnameInternal, for the node kinds a view's select list has; null: "?column?". */
    private static String figureName(JsonNode node) {
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        if (!it.hasNext()) {
            return null;
        }
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode n = e.getValue();
        return switch (e.getKey()) {
            case "ColumnRef" -> {
                List<String> fields = strings(n.path("fields"));
                yield fields.isEmpty() ? null : fields.get(fields.size() - 1);
            }
            case "A_Indirection" -> {
                JsonNode ind = n.path("indirection");
                String last = ind.size() > 0 ? ind.path(ind.size() - 1).path("String").path("sval").asText(null) : null;
                yield last != null ? last : figureName(n.path("arg"));
            }
            case "FuncCall" -> {
                List<String> fn = strings(n.path("funcname"));
                yield fn.isEmpty() ? null : fn.get(fn.size() - 1);
            }
            case "A_Expr" -> n.path("kind").asText("").equals("AEXPR_NULLIF") ? "nullif" : null;
            case "TypeCast" -> {
                String inner = figureName(n.path("arg"));
                if (inner != null) {
                    yield inner;
                }
                List<String> type = strings(n.path("typeName").path("names"));
                yield type.isEmpty() ? null : type.get(type.size() - 1);
            }
            case "CollateClause" -> figureName(n.path("arg"));
            case "GroupingFunc" -> "grouping";
            case "SubLink" -> switch (n.path("subLinkType").asText("")) {
                case "EXISTS_SUBLINK" -> "exists";
                case "ARRAY_SUBLINK" -> "array";
                case "EXPR_SUBLINK" -> {
                    JsonNode first = n.path("subselect").path("SelectStmt").path("targetList").path(0).path("ResTarget");
                    yield first.path("name").asText(null);
                }
                default -> null;
            };
            case "CaseExpr" -> "case";
            case "A_ArrayExpr" -> "array";
            case "RowExpr" -> "row";
            case "CoalesceExpr" -> "coalesce";
            case "MinMaxExpr" -> n.path("op").asText("").equals("IS_GREATEST") ? "greatest" : "least";
            case "SQLValueFunction" -> sqlValueFunction(n.path("op").asText(""));
            case "XmlExpr" -> switch (n.path("op").asText("")) {
                case "IS_XMLCONCAT" -> "xmlconcat";
                case "IS_XMLELEMENT" -> "xmlelement";
                case "IS_XMLFOREST" -> "xmlforest";
                case "IS_XMLPARSE" -> "xmlparse";
                case "IS_XMLPI" -> "xmlpi";
                case "IS_XMLROOT" -> "xmlroot";
                case "IS_XMLSERIALIZE" -> "xmlserialize";
                default -> null;
            };
            case "XmlSerialize" -> "xmlserialize";
            default -> null;
        };
    }

    private static String sqlValueFunction(String op) {
        return switch (op) {
            case "SVFOP_CURRENT_DATE" -> "current_date";
            case "SVFOP_CURRENT_TIME", "SVFOP_CURRENT_TIME_N" -> "current_time";
            case "SVFOP_CURRENT_TIMESTAMP", "SVFOP_CURRENT_TIMESTAMP_N" -> "current_timestamp";
            case "SVFOP_LOCALTIME", "SVFOP_LOCALTIME_N" -> "localtime";
            case "SVFOP_LOCALTIMESTAMP", "SVFOP_LOCALTIMESTAMP_N" -> "localtimestamp";
            case "SVFOP_CURRENT_ROLE" -> "current_role";
            case "SVFOP_CURRENT_USER" -> "current_user";
            case "SVFOP_USER" -> "user";
            case "SVFOP_SESSION_USER" -> "session_user";
            case "SVFOP_CURRENT_CATALOG" -> "current_catalog";
            case "SVFOP_CURRENT_SCHEMA" -> "current_schema";
            default -> null;
        };
    }
}
