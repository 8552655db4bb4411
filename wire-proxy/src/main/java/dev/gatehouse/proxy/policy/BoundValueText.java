package dev.gatehouse.proxy.policy;

import dev.gatehouse.proxy.guard.BoundValue;

import java.util.AbstractList;
import java.util.HexFormat;
import java.util.List;
import java.util.RandomAccess;

/**
 * The bound values of one execution as approvers see them, and as an approval's scope is hashed over: a value
 * bound as text is its text; a binary value is {@code \x<hex>::oid=<type OID>} (the proxy does not decode binary
 * formats, so approvers see the bytes and the declared type; a type of 0 means the client left it to the server);
 * SQL NULL stays null. A view rendered only when read, which the checkpoint does only for held, denied or
 * audited statements, so the allow path pays one small object and no rendering.
 *
 * <p>Threads: made and read on the session's client-reader thread; immutable.
 */
final class BoundValueText extends AbstractList<String> implements RandomAccess {
    private final List<BoundValue> values;

    BoundValueText(List<BoundValue> values) {
        this.values = values;
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
        return "\\x" + HexFormat.of().formatHex(v.value()) + "::oid=" + v.typeOid();
    }
}
