package io.leadscore.server.axon;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class IsoInstantDeserializerTest {

    @Test
    void readsWhatJacksonWritesAndFallsBackForTheRest() throws Exception {
        ObjectMapper mapper = Serializers.jackson(null).getObjectMapper();
        for (String text : new String[]{"2025-03-01T12:34:56Z", "2025-03-01T12:34:56.1Z", "2024-02-29T23:59:59.123456789Z",
                                        "2025-03-01T13:34:56+01:00"}) {
            assertThat(mapper.readValue('"' + text + '"', Instant.class))
                    .isEqualTo(java.time.OffsetDateTime.parse(text).toInstant());
        }
        assertThat(IsoInstantDeserializer.parseUtc("2025-02-30T00:00:00Z")).isNull();
        assertThat(IsoInstantDeserializer.parseUtc("2025-03-01T24:00:00Z")).isNull();
        assertThat(IsoInstantDeserializer.parseUtc("2025-03-01T12:00:00.Z")).isNull();
    }

    @net.jqwik.api.Property
    void agreesWithInstantParse(@net.jqwik.api.ForAll("instants") Instant instant) {
        assertThat(IsoInstantDeserializer.parseUtc(instant.toString())).isEqualTo(instant);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Instant> instants() {
        return net.jqwik.api.Arbitraries.longs().between(Instant.parse("1995-01-01T00:00:00Z").getEpochSecond(),
                                                          Instant.parse("2200-01-01T00:00:00Z").getEpochSecond())
                .flatMap(seconds -> net.jqwik.api.Arbitraries.integers().between(0, 999_999_999)
                        .map(nanos -> Instant.ofEpochSecond(seconds, nanos)));
    }
}
