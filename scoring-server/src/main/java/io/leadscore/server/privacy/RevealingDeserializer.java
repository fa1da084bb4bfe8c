package io.leadscore.server.privacy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

import java.io.IOException;

/**
 * Reads a {@link ScoredPersonalData} field: a sealed value is opened with its lead's key, and reads as empty
 * (unknown to scoring) once the lead is erased; plain values (stored before the field was sealed) pass through.
 */
public final class RevealingDeserializer extends StdDeserializer<String> {

    private final PersonalDataReader reader;

    /** For Jackson when no vault is installed; refuses sealed values rather than score their ciphertext. */
    public RevealingDeserializer() {
        this(null);
    }

    public RevealingDeserializer(PersonalDataReader reader) {
        super(String.class);
        this.reader = reader;
    }

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        String value = parser.getValueAsString();
        if (!PersonalDataVault.isSealed(value)) {
            return value;
        }
        if (reader == null) {
            throw new IllegalStateException("a sealed value is read without a PersonalDataVault installed in this "
                                            + "deserializer");
        }
        String revealed = reader.reveal(value);
        return Erased.VALUE.equals(revealed) ? "" : revealed;
    }
}
