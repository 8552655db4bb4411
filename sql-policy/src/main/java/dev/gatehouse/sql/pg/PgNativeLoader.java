package dev.gatehouse.sql.pg;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

/**
 * Loads {@code libgatehouse_pgquery.so} once, lazily, on first use from any thread (class initialisation is the lock).
 *
 * <p>The library ships in the jar at {@code /native/linux-x86_64/}. It is written to
 * {@code java.io.tmpdir/gatehouse-native-<user>/libgatehouse_pgquery-<sha256>.so}: the directory must be ours and
 * closed to others (another user could otherwise plant a library there for us to load), and a file already there is
 * loaded only when its content hashes to the name. When that directory cannot be used, the library goes to a fresh
 * owner-only temporary file, loaded and then deleted (Linux keeps the mapping). The system property
 * {@code gatehouse.pgquery.library} names a library file to load instead (development).
 *
 * <p>Linux x86_64 only. Anywhere else, or when loading fails, {@link #ERROR} says why and nothing is loaded: there is
 * no other parser to fall back to, and callers fail closed.
 */
final class PgNativeLoader {
    static final String LIBRARY_PROPERTY = "gatehouse.pgquery.library";
    private static final String LIBRARY_NAME = "libgatehouse_pgquery";
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");

    /** Null when the library is loaded; otherwise why it is not. */
    static final String ERROR = load();

    private PgNativeLoader() {}

    static String platform() {
        return System.getProperty("os.name", "?") + "/" + System.getProperty("os.arch", "?");
    }

    private static String load() {
        String override = System.getProperty(LIBRARY_PROPERTY);
        if (override != null && !override.isBlank()) {
            try {
                System.load(Path.of(override).toAbsolutePath().toString());
                return null;
            } catch (LinkageError | RuntimeException e) {
                return "libpg_query could not be loaded on " + platform() + " from " + LIBRARY_PROPERTY + "=" + override
                        + ": " + e;
            }
        }
        try {
            String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
            if (!os.equals("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
                return "libpg_query is built for Linux x86_64 only; this is " + platform();
            }
            String resource = "/native/linux-x86_64/" + LIBRARY_NAME + ".so";
            byte[] library;
            try (InputStream in = PgNativeLoader.class.getResourceAsStream(resource)) {
                if (in == null) {
                    return "libpg_query (" + resource + ") is not in this build of Gatehouse on " + platform()
                            + ": it was built without libpg-query-dev and gcc";
                }
                library = in.readAllBytes();
            }
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(library));
            Path file = privateCopy(library, sha);
            if (file != null) {
                System.load(file.toString());
                return null;
            }
            Path temp = Files.createTempFile(LIBRARY_NAME + "-", ".so", PosixFilePermissions.asFileAttribute(OWNER_FILE));
            try {
                Files.write(temp, library, StandardOpenOption.TRUNCATE_EXISTING);
                System.load(temp.toString());
            } finally {
                Files.deleteIfExists(temp);
            }
            return null;
        } catch (LinkageError e) {
            return "libpg_query could not be loaded on " + platform() + ": " + e + " (a java.io.tmpdir mounted noexec"
                    + " prevents loading: point java.io.tmpdir elsewhere, or " + LIBRARY_PROPERTY + " at the library file)";
        } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
            return "libpg_query could not be loaded on " + platform() + ": " + e;
        }
    }

    /** The library in our private directory under its content hash, or null when that directory cannot be trusted. */
    private static Path privateCopy(byte[] library, String sha) throws NoSuchAlgorithmException {
        try {
            StringBuilder user = new StringBuilder();
            for (char c : System.getProperty("user.name", "user").toCharArray()) {
                user.append(Character.isLetterOrDigit(c) && c < 128 || c == '.' || c == '_' || c == '-' ? c : '_');
            }
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), "gatehouse-native-" + user);
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
            } catch (FileAlreadyExistsException e) {
                // someone's directory: used only if it is ours and closed to others
            }
            if (!ownedAndPrivate(dir, true)) return null;
            Path file = dir.resolve(LIBRARY_NAME + "-" + sha.substring(0, 32) + ".so");
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                if (ownedAndPrivate(file, false) && sha.equals(sha256(Files.readAllBytes(file)))) return file;
                Files.delete(file);  // a partial or foreign copy: replace it
            }
            Path temp = Files.createTempFile(dir, LIBRARY_NAME + "-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_FILE));
            try {
                Files.write(temp, library, StandardOpenOption.TRUNCATE_EXISTING);
                try {
                    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
            return ownedAndPrivate(file, false) && sha.equals(sha256(Files.readAllBytes(file))) ? file : null;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    private static boolean ownedAndPrivate(Path p, boolean directory) throws IOException {
        PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (directory ? !a.isDirectory() : !a.isRegularFile()) return false;
        String me = System.getProperty("user.name");
        if (me == null || !a.owner().getName().equals(me)) return false;
        for (PosixFilePermission perm : a.permissions()) {
            if (perm.name().startsWith("GROUP_") || perm.name().startsWith("OTHERS_")) return false;
        }
        return true;
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    static String utf8(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
