package dev.gatehouse.proxy.protocol;

import dev.gatehouse.proxy.protocol.frontend.Bind;
import dev.gatehouse.proxy.protocol.frontend.Close;
import dev.gatehouse.proxy.protocol.frontend.CopyData;
import dev.gatehouse.proxy.protocol.frontend.CopyDone;
import dev.gatehouse.proxy.protocol.frontend.CopyFail;
import dev.gatehouse.proxy.protocol.frontend.Describe;
import dev.gatehouse.proxy.protocol.frontend.Execute;
import dev.gatehouse.proxy.protocol.frontend.Flush;
import dev.gatehouse.proxy.protocol.frontend.FrontendMessage;
import dev.gatehouse.proxy.protocol.frontend.FunctionCall;
import dev.gatehouse.proxy.protocol.frontend.ParameterValues;
import dev.gatehouse.proxy.protocol.frontend.Parse;
import dev.gatehouse.proxy.protocol.frontend.PasswordMessage;
import dev.gatehouse.proxy.protocol.frontend.Query;
import dev.gatehouse.proxy.protocol.frontend.Sync;
import dev.gatehouse.proxy.protocol.frontend.Terminate;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * The Java charset of a PostgreSQL {@code client_encoding}, as the server names it in ParameterStatus (its
 * canonical names; the server is the truth, the client's spelling at startup or in SET is not). Statement text
 * is read with it and the proxy's own messages are written with it; the bytes relayed are never re-encoded.
 * <p>
 * Only encodings in which every byte below 0x80 is that ASCII character are here; the ones where a quote or
 * backslash byte can end a multibyte character ({@link #hidesQuotes}) are refused at startup and end the
 * session when the server reports them. {@code SQL_ASCII} (the server converts nothing: bytes above 0x7F mean
 * whatever the client meant) and encodings Java cannot map (LATIN6, LATIN8, MULE_INTERNAL, EUC_JIS_2004, or
 * any name not known here) read ASCII only: {@code readsAll} is false and the session refuses text with
 * other bytes (fail closed). Immutable.
 *
 * @param name     the encoding's name as the server sent it
 * @param charset  for reading the client's text and writing the proxy's own messages (US-ASCII when only ASCII
 *                 can be read; characters the client's encoding lacks are written as '?')
 * @param readsAll false for SQL_ASCII and unmappable encodings: text with a byte above 0x7F cannot be read
 *                 truthfully
 */
public record ClientCharset(String name, Charset charset, boolean readsAll) {

    public static final ClientCharset UTF8 = new ClientCharset("UTF8", StandardCharsets.UTF_8, true);

    /** PostgreSQL's canonical client encoding names to Java's; absent: Java has no such charset here. */
    private static final Map<String, String> JAVA_NAMES = Map.ofEntries(
            Map.entry("UTF8", "UTF-8"),
            Map.entry("LATIN1", "ISO-8859-1"), Map.entry("LATIN2", "ISO-8859-2"), Map.entry("LATIN3", "ISO-8859-3"),
            Map.entry("LATIN4", "ISO-8859-4"), Map.entry("LATIN5", "ISO-8859-9"), Map.entry("LATIN6", "ISO-8859-10"),
            Map.entry("LATIN7", "ISO-8859-13"), Map.entry("LATIN8", "ISO-8859-14"), Map.entry("LATIN9", "ISO-8859-15"),
            Map.entry("LATIN10", "ISO-8859-16"),
            Map.entry("ISO_8859_5", "ISO-8859-5"), Map.entry("ISO_8859_6", "ISO-8859-6"),
            Map.entry("ISO_8859_7", "ISO-8859-7"), Map.entry("ISO_8859_8", "ISO-8859-8"),
            Map.entry("WIN1250", "windows-1250"), Map.entry("WIN1251", "windows-1251"),
            Map.entry("WIN1252", "windows-1252"), Map.entry("WIN1253", "windows-1253"),
            Map.entry("WIN1254", "windows-1254"), Map.entry("WIN1255", "windows-1255"),
            Map.entry("WIN1256", "windows-1256"), Map.entry("WIN1257", "windows-1257"),
            Map.entry("WIN1258", "windows-1258"), Map.entry("WIN866", "IBM866"), Map.entry("WIN874", "x-windows-874"),
            Map.entry("KOI8R", "KOI8-R"), Map.entry("KOI8U", "KOI8-U"),
            Map.entry("EUC_JP", "EUC-JP"), Map.entry("EUC_CN", "GB2312"), Map.entry("EUC_KR", "EUC-KR"),
            Map.entry("EUC_TW", "x-EUC-TW"));

    /** The charset for a name the server reported; never null, possibly ASCII-only. */
    public static ClientCharset of(String serverName) {
        if (serverName == null) {
            return UTF8;
        }
        String canonical = serverName.toUpperCase(Locale.ROOT);
        String javaName = JAVA_NAMES.get(canonical);
        if (javaName == null || !Charset.isSupported(javaName)) {
            return new ClientCharset(canonical, StandardCharsets.US_ASCII, false);
        }
        return new ClientCharset(canonical, Charset.forName(javaName), true);
    }

    /**
     * True when the message carries text (SQL, statement or portal names, text-format values) with a byte above
     * 0x7F: text whose reading depends on the encoding. Binary values and COPY data are not text the proxy reads.
     */
    /**
     * Hot path (only for messages sent while earlier answers are outstanding): whether the frame holds a byte
     * above 0x7F directly followed by a backslash. In each encoding the proxy refuses (SJIS, BIG5, GBK, UHC,
     * GB18030, JOHAB) such a pair can be one character, so a backslash that escapes a quote for Gatehouse is no
     * backslash for a server that switched to one of them in an answer not yet read (a function calling
     * set_config, an UPDATE of pg_settings). Quotes are never trail bytes there, so this pair is the one way
     * text can split differently.
     */
    public static boolean couldHideBackslash(Frame frame) {
        byte[] b = frame.body();
        for (int i = 1; i < b.length; i++) {
            if (b[i] == '\\' && b[i - 1] < 0) {
                return true;
            }
        }
        return false;
    }

    public static boolean carriesNonAscii(FrontendMessage message) {
        return switch (message) {
            case Query q -> nonAscii(q.sql());
            case Parse p -> nonAscii(p.statement()) || nonAscii(p.sql());
            case Bind b -> nonAscii(b.portal()) || nonAscii(b.statement()) || nonAsciiText(b.parameters());
            case FunctionCall f -> nonAsciiText(f.arguments());
            case Describe d -> nonAscii(d.name());
            case Execute e -> nonAscii(e.portal());
            case Close c -> nonAscii(c.name());
            case Sync s -> false;
            case Flush f -> false;
            case CopyData d -> false;
            case CopyDone d -> false;
            case CopyFail f -> false;
            case Terminate t -> false;
            case PasswordMessage p -> false;
        };
    }

    private static boolean nonAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7f) {
                return true;
            }
        }
        return false;
    }

    private static boolean nonAsciiText(ParameterValues values) {
        byte[][] raw = values.values();
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] != null && values.formatOf(i) == 0) {
                for (byte b : raw[i]) {
                    if (b < 0) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Client encodings whose multibyte characters can end in a quote or backslash byte: the server would split
     * strings where the proxy does not. Any spelling PostgreSQL accepts (it ignores case, '_' and '-').
     */
    public static boolean hidesQuotes(String encoding) {
        if (encoding == null) {
            return false;
        }
        String e = encoding.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
        return switch (e) {
            case "sjis", "shiftjis", "mskanji", "windows932", "shiftjis2004", "big5", "windows950", "gbk", "windows936",
                 "cp936", "uhc", "windows949", "gb18030", "johab" -> true;
            default -> false;
        };
    }
}
