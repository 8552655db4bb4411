package dev.gatehouse.proxy.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every client encoding PostgreSQL reports (its canonical names, from the server's ParameterStatus) maps to the
 * Java charset that reads it, or to ASCII only; and in every charset that reads text, ASCII bytes are ASCII (what
 * statement boundaries depend on).
 */
class ClientCharsetTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            UTF8          | UTF-8        | é
            LATIN1        | ISO-8859-1   | é
            LATIN2        | ISO-8859-2   | ł
            LATIN3        | ISO-8859-3   | ĝ
            LATIN4        | ISO-8859-4   | ā
            LATIN5        | ISO-8859-9   | ş
            LATIN7        | ISO-8859-13  | ų
            LATIN9        | ISO-8859-15  | €
            LATIN10       | ISO-8859-16  | ș
            ISO_8859_5    | ISO-8859-5   | ж
            ISO_8859_6    | ISO-8859-6   | ع
            ISO_8859_7    | ISO-8859-7   | λ
            ISO_8859_8    | ISO-8859-8   | ש
            WIN866        | IBM866       | ж
            WIN874        | x-windows-874 | ก
            WIN1250       | windows-1250 | č
            WIN1251       | windows-1251 | ж
            WIN1252       | windows-1252 | €
            WIN1253       | windows-1253 | λ
            WIN1254       | windows-1254 | ş
            WIN1255       | windows-1255 | ש
            WIN1256       | windows-1256 | ع
            WIN1257       | windows-1257 | ų
            WIN1258       | windows-1258 | ₫
            KOI8R         | KOI8-R       | ж
            KOI8U         | KOI8-U       | ї
            EUC_JP        | EUC-JP       | 日
            EUC_CN        | GB2312       | 中
            EUC_KR        | EUC-KR       | 한
            EUC_TW        | x-EUC-TW     | 中
            """)
    void readableEncodings(String name, String javaName, String sample) {
        ClientCharset cs = ClientCharset.of(name);
        assertTrue(cs.readsAll(), name);
        assertEquals(Charset.forName(javaName), cs.charset());
        assertEquals(sample, new String(sample.getBytes(cs.charset()), cs.charset()), "a character only " + name + " has");
        byte[] ascii = new byte[127];
        for (int b = 1; b < 128; b++) {
            ascii[b - 1] = (byte) b;
        }
        assertEquals(new String(ascii, StandardCharsets.US_ASCII), new String(ascii, cs.charset()),
                "ASCII bytes are ASCII in " + name);
    }

    /** The server converts nothing (SQL_ASCII), or Java has no charset: only ASCII text can be read. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"SQL_ASCII", "LATIN6", "LATIN8", "MULE_INTERNAL", "EUC_JIS_2004", "NOT_AN_ENCODING"})
    void asciiOnlyEncodings(String name) {
        ClientCharset cs = ClientCharset.of(name);
        assertFalse(cs.readsAll(), name);
        assertEquals(StandardCharsets.US_ASCII, cs.charset());
        assertEquals(name, cs.name());
    }

    /** Refused outright: a quote or backslash byte can be the second byte of a character. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"SJIS, true", "Shift_JIS_2004, true", "BIG5, true", "gbk, true", "UHC, true", "GB18030, true",
            "JOHAB, true", "WIN1252, false", "EUC_JP, false", "SQL_ASCII, false"})
    void hidesQuotes(String name, boolean hides) {
        assertEquals(hides, ClientCharset.hidesQuotes(name));
    }
}
