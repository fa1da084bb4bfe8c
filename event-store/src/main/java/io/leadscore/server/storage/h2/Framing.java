package io.leadscore.server.storage.h2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;

import java.nio.ByteBuffer;

/** Length-prefixed BSON bytes inside an MVStore page: how the compact types write and find their values. */
final class Framing {

    private Framing() {
    }

    static void write(WriteBuffer buffer, ByteBuf encoded) {
        buffer.putVarInt(encoded.readableBytes());
        buffer.put(encoded.nioBuffer());
    }

    /** The next framed value, as a buffer over the page's bytes; {@code buffer} moves past it. */
    static ByteBuf read(ByteBuffer buffer) {
        int length = DataUtils.readVarInt(buffer);
        ByteBuffer slice = buffer.slice();
        slice.limit(length);
        buffer.position(buffer.position() + length);
        return Unpooled.wrappedBuffer(slice);
    }
}
