package io.leadscore.server.storage.h2;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Map;

/**
 * Stores the embedded server's documents as BSON, the encoding MongoDB itself uses. H2's default type falls back
 * to Java serialization for them: class descriptors in every value (about 4.7 KB per event on disk) and most of the
 * CPU of every write and read (JFR: {@code ObjectOutputStream} on top of the profile).
 */
final class BsonDocumentType extends BasicDataType<Document> {

    static final BsonDocumentType INSTANCE = new BsonDocumentType();

    private BsonDocumentType() {
    }

    @Override
    public int getMemory(Document document) {
        return 48 + estimate(document);
    }

    /** A cheap estimate of the heap a value takes: MVStore uses it to size pages and its cache, not for I/O. */
    private static int estimate(Object value) {
        if (value instanceof String text) {
            return 40 + text.length();
        }
        if (value instanceof Map<?, ?> map) {
            int bytes = 32;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                bytes += 32 + estimate(entry.getKey()) + estimate(entry.getValue());
            }
            return bytes;
        }
        if (value instanceof Collection<?> values) {
            int bytes = 32;
            for (Object element : values) {
                bytes += 8 + estimate(element);
            }
            return bytes;
        }
        if (value instanceof de.bwaldvogel.mongo.bson.BinData binary) {
            return 32 + binary.getData().length;
        }
        return 24;
    }

    @Override
    public void write(WriteBuffer buffer, Document document) {
        ByteBuf encoded = Unpooled.buffer(256);
        try {
            BsonEncoder.encodeDocument(document, encoded);
            Framing.write(buffer, encoded);
        } finally {
            encoded.release();
        }
    }

    @Override
    public Document read(ByteBuffer buffer) {
        return BsonDecoder.decodeBson(Framing.read(buffer));
    }

    @Override
    public Document[] createStorage(int size) {
        return new Document[size];
    }
}
