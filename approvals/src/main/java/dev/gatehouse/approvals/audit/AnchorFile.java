package dev.gatehouse.approvals.audit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The append-only anchor file: one {@link Anchor} JSON line per head the publisher saw move, each forced to disk
 * before the next. Reading is strict (a blank, over-long or unparsable line is an error naming its line) and
 * bounded ({@link #MAX_LINE_CHARS}, {@link #MAX_ANCHORS}). Stateless; runs on the caller's thread (the CLI's
 * main thread, or the anchor publisher's).
 */
public final class AnchorFile {
    /** A well-formed anchor line is about 110 characters; anything far longer is not one. */
    public static final int MAX_LINE_CHARS = 512;
    /** 40 bytes each in memory: one a minute for almost two years. Verify a recent part of a bigger file. */
    public static final int MAX_ANCHORS = 1_000_000;
    /** How far back from the end {@link #last} looks for the last line. */
    private static final int TAIL_BYTES = 2 * MAX_LINE_CHARS;

    private AnchorFile() {
    }

    /** A line that is not an anchor, or a file too big to verify at once. */
    public static final class BadAnchorFile extends Exception {
        private final long line;

        BadAnchorFile(Path file, long line, String what) {
            super(file + ":" + line + ": " + what);
            this.line = line;
        }

        public long line() {
            return line;
        }
    }

    /**
     * The anchors of a file in file order, held compactly (sequence numbers and raw hash bytes; the times are
     * not needed to verify). Anchor {@code i} is on line {@code i + 1}, as blank lines are refused.
     */
    public static final class Anchors {
        private long[] seqs = new long[64];
        private byte[] hashes = new byte[64 * 32];
        private int size;

        private void add(Anchor a) {
            if (size == seqs.length) {
                seqs = Arrays.copyOf(seqs, size * 2);
                hashes = Arrays.copyOf(hashes, size * 2 * 32);
            }
            seqs[size] = a.seq();
            System.arraycopy(HexFormat.of().parseHex(a.hash()), 0, hashes, size * 32, 32);
            size++;
        }

        public int size() {
            return size;
        }

        public long seq(int i) {
            return seqs[i];
        }

        public String hash(int i) {
            return HexFormat.of().formatHex(hashes, i * 32, i * 32 + 32);
        }

        public int line(int i) {
            return i + 1;
        }
    }

    /**
     * Reads and checks every line of {@code file}.
     *
     * @throws BadAnchorFile naming the first bad line
     * @throws IOException   when the file cannot be read
     */
    public static Anchors read(Path file) throws IOException, BadAnchorFile {
        Anchors out = new Anchors();
        // InputStreamReader replaces bytes that are not UTF-8, so such a line fails to parse and is named
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
            StringBuilder line = new StringBuilder(MAX_LINE_CHARS);
            long number = 0;
            while (nextLine(in, line, file, number + 1)) {
                number++;
                if (number > MAX_ANCHORS) {
                    throw new BadAnchorFile(file, number, "more than " + MAX_ANCHORS
                            + " anchors: verify a recent part of the file (e.g. tail -n " + MAX_ANCHORS + ")");
                }
                if (line.isEmpty()) {
                    throw new BadAnchorFile(file, number, "blank line (every line is one anchor)");
                }
                try {
                    out.add(Anchor.parse(line.toString()));
                } catch (IllegalArgumentException e) {
                    throw new BadAnchorFile(file, number, "not an anchor: " + e.getMessage());
                }
            }
        }
        if (out.size() == 0) {
            // Checking against nothing would pass whatever was done to the chain: say so rather than "0 hold".
            throw new BadAnchorFile(file, 1, "no anchors in the file: nothing to check the chain against");
        }
        return out;
    }

    /** Reads one line into {@code line} without ever holding more than {@link #MAX_LINE_CHARS}; false at the end. */
    private static boolean nextLine(Reader in, StringBuilder line, Path file, long number) throws IOException, BadAnchorFile {
        line.setLength(0);
        int c = in.read();
        if (c < 0) {
            return false;
        }
        while (c >= 0 && c != '\n') {
            if (line.length() == MAX_LINE_CHARS) {
                throw new BadAnchorFile(file, number, "longer than " + MAX_LINE_CHARS + " characters");
            }
            line.append((char) c);
            c = in.read();
        }
        if (c < 0) {
            // Every anchor is written with its newline in one write: a last line without one was torn.
            throw new BadAnchorFile(file, number, "incomplete last line (no newline: a write was cut short)");
        }
        return true;
    }

    /**
     * The file's last complete anchor, so a restarted publisher does not repeat it; empty when the file does not
     * exist, is empty, or ends in a torn line.
     *
     * @throws IllegalArgumentException when the last line is not an anchor
     */
    public static Optional<Anchor> last(Path file) throws IOException {
        byte[] tail;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            int n = (int) Math.min(size, TAIL_BYTES);
            ByteBuffer buf = ByteBuffer.allocate(n);
            while (buf.hasRemaining() && ch.read(buf, size - n + buf.position()) >= 0) {
                // positional reads until the tail is in
            }
            tail = buf.array();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (tail.length == 0 || tail[tail.length - 1] != '\n') {
            return Optional.empty();
        }
        int start = tail.length - 1;
        while (start > 0 && tail[start - 1] != '\n') {
            start--;
        }
        return Optional.of(Anchor.parse(new String(tail, start, tail.length - 1 - start, StandardCharsets.UTF_8)));
    }

    /**
     * Appends {@code a} as one line and forces it to disk before returning. A torn last line (a crash in an
     * earlier write) is ended first, so this anchor stays readable; verify still reports the torn one.
     */
    public static void append(Path file, Anchor a) throws IOException {
        boolean torn = false;
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            if (in.size() > 0) {
                ByteBuffer lastByte = ByteBuffer.allocate(1);
                in.read(lastByte, in.size() - 1);
                torn = lastByte.get(0) != '\n';
            }
        } catch (NoSuchFileException e) {
            // created below
        }
        // O_APPEND: each line lands at the end even if something else appends too
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer line = ByteBuffer.wrap(((torn ? "\n" : "") + a.toJson() + "\n").getBytes(StandardCharsets.UTF_8));
            while (line.hasRemaining()) {
                ch.write(line);
            }
            ch.force(true);
        }
    }
}
