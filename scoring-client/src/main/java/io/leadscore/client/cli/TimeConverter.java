package io.leadscore.client.cli;

import picocli.CommandLine;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Reads {@code 2018-03-01} (midnight UTC) or an ISO instant such as {@code 2018-03-01T12:00:00Z}. */
final class TimeConverter implements CommandLine.ITypeConverter<Instant> {

    @Override
    public Instant convert(String value) {
        try {
            return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
                                        : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is neither a date like 2018-03-01 nor an "
                                                          + "instant like 2018-03-01T12:00:00Z");
        }
    }
}
