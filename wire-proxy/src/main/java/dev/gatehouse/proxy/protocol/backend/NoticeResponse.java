package dev.gatehouse.proxy.protocol.backend;

import dev.gatehouse.proxy.protocol.MessageWriter;

import java.nio.charset.Charset;

/** 'N' NoticeResponse the proxy sends itself: a statement is held for approval, and still waiting. */
public record NoticeResponse(String code, String message, String detail) {

    /** In the client's encoding (characters it lacks become '?'). */
    public byte[] encode(Charset charset) {
        return new ErrorResponse("NOTICE", code, message, detail, null).fields(new MessageWriter('N', charset))
                .toBytes();
    }
}
