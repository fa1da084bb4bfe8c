package io.leadscore.server.privacy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;

/**
 * Writes a {@link PersonalData} field sealed with its lead's key. The lead is found by walking up from the field
 * to the nearest enclosing {@link PersonalDataOwner} (the event, or the aggregate in a snapshot). Reading needs no
 * counterpart: sealed values are read back as they are and revealed only where they are shown.
 */
public final class SealingSerializer extends StdSerializer<String> {

    private final PersonalDataVault vault;

    /** For Jackson when no vault is installed; refuses to write personal data rather than write it in clear. */
    public SealingSerializer() {
        this(null);
    }

    public SealingSerializer(PersonalDataVault vault) {
        super(String.class);
        this.vault = vault;
    }

    @Override
    public void serialize(String value, JsonGenerator generator, SerializerProvider provider) throws IOException {
        if (value == null || value.isEmpty() || PersonalDataVault.isSealed(value)
            || Erased.VALUE.equals(value)) {
            generator.writeString(value);
            return;
        }
        if (vault == null) {
            throw new IllegalStateException("personal data would be written in clear: no PersonalDataVault is "
                                            + "installed in this serializer");
        }
        generator.writeString(vault.seal(ownerOf(generator), value));
    }

    private static String ownerOf(JsonGenerator generator) {
        for (JsonStreamContext context = generator.getOutputContext(); context != null;
             context = context.getParent()) {
            if (context.getCurrentValue() instanceof PersonalDataOwner owner && owner.leadId() != null) {
                return owner.leadId();
            }
        }
        throw new IllegalStateException("a @PersonalData field is written outside any PersonalDataOwner");
    }
}
