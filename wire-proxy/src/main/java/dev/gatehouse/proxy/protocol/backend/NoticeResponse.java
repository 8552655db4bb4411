package dev.gatehouse.proxy.protocol.backend;

import dev.gatehouse.proxy.protocol.MessageWriter;

/** 'N' NoticeResponse the proxy sends itself: a statement is held for approval, and still waiting. */
public record NoticeResponse(String code, String message, String detail) {

    public byte[] encode() {
        return new ErrorResponse("NOTICE", code, message, detail, null).fields(new MessageWriter('N')).toBytes();
    }
}
