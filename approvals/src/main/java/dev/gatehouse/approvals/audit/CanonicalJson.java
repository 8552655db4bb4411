package dev.gatehouse.approvals.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.HexFormat;
import java.util.Map;

/**
 * The one canonical JSON form the audit chain hashes: object keys sorted by their UTF-16 code units (Java's
 * String order), no white space, strings escaped as Jackson writes them (quote, backslash and the control
 * characters U+0000-U+001F as escapes, so NUL and friends are plain ASCII in the record), numbers as integers,
 * and an unpaired surrogate, which has no UTF-8 form, written as its JSON escape (backslash, u, four upper-case
 * hex digits). The record is then well-formed text that every store keeps and every writer encodes as it is
 * (before, drivers stored a '?' for it, and a strict UTF-8 writer stopped the export there), and it reads back
 * to the same string. Values are maps, lists, strings, booleans, integers and null only, so the same record
 * always yields the same text. Stateless and thread-safe (Jackson's mapper is); runs on the caller's thread.
 */
public final class CanonicalJson {
    // Records written before statements were bounded in them can hold one of any size: read them all the same.
    private static final ObjectMapper MAPPER = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
                    .maxStringLength(Integer.MAX_VALUE).build())
            .build())
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .configure(SerializationFeature.INDENT_OUTPUT, false);

    private CanonicalJson() {
    }

    public static String write(Map<String, ?> value) {
        return escapeUnpairedSurrogates(jackson(value));
    }

    /** A list (of the same kinds of values) in the same form. */
    public static String write(java.util.List<?> value) {
        return escapeUnpairedSurrogates(jackson(value));
    }

    private static String jackson(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit record is not JSON-able: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Replaces each unpaired surrogate by its six-character JSON escape. Valid here because Jackson writes every
     * character other than quote, backslash and controls as itself, so a surrogate in its output is inside a
     * string literal; a paired surrogate stays as it is (the form of every record written before).
     */
    static String escapeUnpairedSurrogates(String json) {
        StringBuilder out = null;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < json.length() && Character.isLowSurrogate(json.charAt(i + 1))) {
                if (out != null) {
                    out.append(c).append(json.charAt(i + 1));
                }
                i++;
                continue;
            }
            if (Character.isSurrogate(c)) {
                if (out == null) {
                    out = new StringBuilder(json.length() + 16).append(json, 0, i);
                }
                out.append("\\u").append(HexFormat.of().withUpperCase().toHexDigits(c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? json : out.toString();
    }

    /** Whether {@code s} holds an unpaired surrogate (text no record written by this version holds raw). */
    static boolean hasUnpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> read(String json) {
        try {
            Map<String, Object> m = MAPPER.readValue(json, Map.class);
            if (m == null) {
                throw new IllegalArgumentException("not a JSON object: null");
            }
            return m;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON object: " + e.getOriginalMessage(), e);
        }
    }
}
