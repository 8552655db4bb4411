package dev.gatehouse.proxy.protocol;

/**
 * One protocol message as read off the wire: its type byte and its body (without the length word).
 * The body array is owned by the frame and never copied; forwarding writes it back unchanged.
 */
public record Frame(byte type, byte[] body) {
    public int wireLength() {
        return 5 + body.length;
    }
}
