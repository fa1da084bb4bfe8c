package io.leadscore.server.storage.h2;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Keys of the embedded server's unique indexes, stored as BSON values and ordered by MongoDB's own value order. H2's
 * default type cannot compare them (they are not {@link Comparable}) and so Java-serializes both sides of every
 * comparison: several {@code ObjectOutputStream}s per index probe, the single largest cost of an append.
 */
final class IndexKeyType extends BasicDataType<KeyValue> {

    static final IndexKeyType INSTANCE = new IndexKeyType();
    /** Marks an absent field; 0 is BSON's end-of-document byte, never a value's type. */
    private static final byte MISSING = 0;
    private static final ValueComparator ORDER = ValueComparator.ascWithoutListHandling();

    private IndexKeyType() {
    }

    @Override
    public int compare(KeyValue a, KeyValue b) {
        int common = Math.min(a.size(), b.size());
        for (int i = 0; i < common; i++) {
            int order = ORDER.compare(a.get(i), b.get(i));
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    @Override
    public int getMemory(KeyValue key) {
        int bytes = 48;
        for (Object value : key) {
            bytes += value instanceof String text ? 40 + text.length() : 24;
        }
        return bytes;
    }

    @Override
    public void write(WriteBuffer buffer, KeyValue key) {
        ByteBuf encoded = Unpooled.buffer(64);
        try {
            for (Object value : key) {
                if (value instanceof Missing) {
                    encoded.writeByte(MISSING);
                } else {
                    byte type = BsonEncoder.determineType(value);
                    encoded.writeByte(type);
                    BsonEncoder.encodeValue(type, value, encoded);
                }
            }
            buffer.putVarInt(key.size());
            Framing.write(buffer, encoded);
        } finally {
            encoded.release();
        }
    }

    @Override
    public KeyValue read(ByteBuffer buffer) {
        int size = DataUtils.readVarInt(buffer);
        ByteBuf encoded = Framing.read(buffer);
        List<Object> values = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            byte type = encoded.readByte();
            values.add(type == MISSING ? Missing.getInstance() : BsonDecoder.decodeValue(type, encoded));
        }
        return new KeyValue(values);
    }

    @Override
    public KeyValue[] createStorage(int size) {
        return new KeyValue[size];
    }
}
