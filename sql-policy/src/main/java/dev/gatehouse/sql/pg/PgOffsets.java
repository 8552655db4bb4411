package dev.gatehouse.sql.pg;

import java.util.Arrays;

/**
 * Converts between libpg_query's UTF-8 byte offsets and Java char indexes of one text. Build it once per text when
 * converting many locations; ASCII text needs no table (byte offset = char index). Immutable; any thread.
 */
public final class PgOffsets {
    /** Byte offset at which each char starts, plus the total byte length at the end; null for ASCII text. Both chars
     *  of a surrogate pair start at the pair's first byte. */
    private final int[] byteOfChar;
    private final int length;
    private final int byteLength;

    private PgOffsets(int[] byteOfChar, int length, int byteLength) {
        this.byteOfChar = byteOfChar;
        this.length = length;
        this.byteLength = byteLength;
    }

    /** The offsets of {@code text} as UTF-8 (an unpaired surrogate counts as the 3 bytes Java would not write; such
     *  text never reaches libpg_query). */
    public static PgOffsets of(String text) {
        int n = text.length();
        int i = 0;
        while (i < n && text.charAt(i) < 0x80) i++;
        if (i == n) return new PgOffsets(null, n, n);
        int[] table = new int[n + 1];
        for (int k = 0; k < i; k++) table[k] = k;
        int b = i;
        for (; i < n; i++) {
            char c = text.charAt(i);
            table[i] = b;
            if (c < 0x80) b += 1;
            else if (c < 0x800) b += 2;
            else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                table[++i] = b;
                b += 4;
            } else b += 3;
        }
        table[n] = b;
        return new PgOffsets(table, n, b);
    }

    /** True when the text is ASCII, so byte offsets and char indexes coincide. */
    public boolean ascii() {
        return byteOfChar == null;
    }

    /** The text's length in UTF-8 bytes. */
    public int byteLength() {
        return byteLength;
    }

    /**
     * The char index of a byte offset (0..byteLength); an offset inside a character's bytes gives that character's
     * first char.
     */
    public int charIndex(int byteOffset) {
        if (byteOffset < 0 || byteOffset > byteLength) {
            throw new IndexOutOfBoundsException("byte offset " + byteOffset + " outside 0.." + byteLength);
        }
        if (byteOfChar == null) return byteOffset;
        int i = Arrays.binarySearch(byteOfChar, byteOffset);
        if (i < 0) i = -i - 2;  // inside a multi-byte character: the character it belongs to
        while (i > 0 && byteOfChar[i - 1] == byteOfChar[i]) i--;  // a surrogate pair: its first char
        return i;
    }

    /** The UTF-8 byte offset at which char index {@code charIndex} (0..length) starts. */
    public int byteOffset(int charIndex) {
        if (charIndex < 0 || charIndex > length) {
            throw new IndexOutOfBoundsException("char index " + charIndex + " outside 0.." + length);
        }
        return byteOfChar == null ? charIndex : byteOfChar[charIndex];
    }
}
