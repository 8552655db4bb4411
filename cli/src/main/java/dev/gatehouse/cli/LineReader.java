package dev.gatehouse.cli;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads lines with a bound: of a line longer than the limit only the first {@code maxChars + 1} characters
 * are kept (so the caller can report it), never the whole line. Not thread-safe; one per input stream.
 */
final class LineReader {
    private final Reader reader;
    private final int maxChars;
    private boolean done;

    LineReader(Reader reader, int maxChars) {
        this.reader = reader;
        this.maxChars = maxChars;
    }

    /**
     * The next line without its terminator (a trailing {@code \r} is dropped too); a string of
     * {@code maxChars + 1} characters when the line was longer (its rest is discarded); null at the end.
     */
    String next() throws IOException {
        if (done) {
            return null;
        }
        StringBuilder line = new StringBuilder();
        boolean overflow = false;
        int c;
        while ((c = reader.read()) >= 0) {
            if (c == '\n') {
                return finish(line, overflow);
            }
            if (line.length() <= maxChars) {
                line.append((char) c);
            } else {
                overflow = true;
            }
        }
        done = true;
        return line.isEmpty() && !overflow ? null : finish(line, overflow);
    }

    private String finish(StringBuilder line, boolean overflow) {
        if (!overflow && !line.isEmpty() && line.charAt(line.length() - 1) == '\r') {
            line.setLength(line.length() - 1);
        }
        return line.toString();
    }
}
