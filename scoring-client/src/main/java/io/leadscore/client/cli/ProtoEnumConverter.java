package io.leadscore.client.cli;

import io.leadscore.v1.LeadStage;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Arrays;
import java.util.Locale;

/**
 * Reads a proto enum value as people type it ({@code mql} for {@code LEAD_STAGE_MQL}); anything else fails while
 * the command line is read, with the valid values, instead of when the command runs.
 */
abstract class ProtoEnumConverter<E extends Enum<E>> implements ITypeConverter<E> {

    private final Class<E> type;
    private final String prefix;
    private final String noun;

    ProtoEnumConverter(Class<E> type, String prefix, String noun) {
        this.type = type;
        this.prefix = prefix;
        this.noun = noun;
    }

    @Override
    public E convert(String value) {
        String name = prefix + value.strip().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        return Arrays.stream(type.getEnumConstants()).filter(c -> c.name().equals(name) && !unrecognized(c))
                     .findFirst().orElseThrow(() -> new TypeConversionException(
                        "'" + value + "' is not a " + noun + "; valid: " + String.join(", ", valid())));
    }

    /** The values to type, without the prefix, the "unspecified" zero value and protobuf's UNRECOGNIZED. */
    private String[] valid() {
        return Arrays.stream(type.getEnumConstants()).filter(c -> !unrecognized(c))
                     .map(c -> c.name().substring(prefix.length()).toLowerCase(Locale.ROOT))
                     .filter(n -> !n.equals("unspecified")).toArray(String[]::new);
    }

    private static boolean unrecognized(Enum<?> constant) {
        return constant.name().equals("UNRECOGNIZED");
    }

    /** {@code --stage}: mql, sql, ... */
    static final class Stage extends ProtoEnumConverter<LeadStage> {
        Stage() {
            super(LeadStage.class, "LEAD_STAGE_", "stage");
        }
    }

    /** {@code --seniority}: manager, director, vp, ... */
    static final class Seniority extends ProtoEnumConverter<io.leadscore.v1.Seniority> {
        Seniority() {
            super(io.leadscore.v1.Seniority.class, "SENIORITY_", "seniority");
        }
    }
}
