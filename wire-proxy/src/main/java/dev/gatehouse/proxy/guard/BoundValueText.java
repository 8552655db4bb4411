package dev.gatehouse.proxy.guard;


import java.util.AbstractList;
import java.util.HexFormat;
import java.util.List;
import java.util.RandomAccess;

/**
 * The bound values of one execution as approvers see them, and as an approval's scope is hashed over: a value
 * bound as text is its text; a binary bool, int2, int4, int8 or oid (what drivers send binary most) is its decimal
 * text; any other binary value is {@code \x<hex>::oid=<type OID>} (approvers see the bytes and the declared
 * type; a type of 0 means the client left it to the server); SQL NULL stays null. A view rendered only when read, which the checkpoint does only for held, denied or
 * audited statements, so the allow path pays one small object and no rendering.
 *
 * <p>Threads: made and read on the session's client-reader thread; immutable.
 */
public final class BoundValueText extends AbstractList<String> implements RandomAccess {
    static final int BOOL = 16;
    static final int INT8 = 20;
    static final int INT2 = 21;
    static final int INT4 = 23;
    static final int OID = 26;

    private final List<BoundValue> values;

    public BoundValueText(List<BoundValue> values) {
        this.values = values;
    }

    /** The values as the client bound them. */
    public List<BoundValue> values() {
        return values;
    }

    @Override
    public String get(int index) {
        return render(values.get(index));
    }

    @Override
    public int size() {
        return values.size();
    }

    static String render(BoundValue v) {
        if (v.isNull()) {
            return null;
        }
        if (v.format() == BoundValue.TEXT) {
            return v.text();
        }
        byte[] b = v.value();
        switch (v.typeOid()) {
            case BOOL -> {
                if (b.length == 1) {
                    return b[0] != 0 ? "true" : "false";
                }
            }
            case INT2 -> {
                if (b.length == 2) {
                    return Short.toString((short) ((b[0] << 8) | (b[1] & 0xff)));
                }
            }
            case INT4 -> {
                if (b.length == 4) {
                    return Integer.toString(int4(b));
                }
            }
            case OID -> {
                if (b.length == 4) {
                    return Integer.toUnsignedString(int4(b));
                }
            }
            case INT8 -> {
                if (b.length == 8) {
                    return Long.toString(((long) int4(b) << 32) | (int4(b, 4) & 0xffffffffL));
                }
            }
            default -> {
                // rendered as bytes below
            }
        }
        return "\\x" + HexFormat.of().formatHex(v.value()) + "::oid=" + v.typeOid();
    }

    private static int int4(byte[] b) {
        return int4(b, 0);
    }

    private static int int4(byte[] b, int at) {
        return (b[at] << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }
}
