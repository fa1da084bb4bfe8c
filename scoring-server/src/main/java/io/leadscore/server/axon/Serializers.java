package io.leadscore.server.axon;

import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.HandlerInstantiator;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.jsontype.TypeIdResolver;
import com.fasterxml.jackson.databind.jsontype.TypeResolverBuilder;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.leadscore.server.privacy.PersonalDataVault;
import io.leadscore.server.privacy.RevealingDeserializer;
import io.leadscore.server.privacy.SealingSerializer;
import org.axonframework.serialization.json.JacksonSerializer;

import java.time.Instant;

/**
 * Jackson for events, snapshots and tokens: XStream, Axon 4's default, cannot read Java records on Java 17. Types
 * travel in Axon's own payload-type field, never through Jackson default typing. Fields marked
 * {@link io.leadscore.server.privacy.PersonalData} are written sealed with the vault's per-lead keys; those marked
 * {@link io.leadscore.server.privacy.ScoredPersonalData} are opened again as they are read, for scoring.
 */
public final class Serializers {

    private Serializers() {
    }

    /** A serializer that seals personal data with {@code vault}. */
    public static JacksonSerializer jackson(PersonalDataVault vault) {
        ObjectMapper mapper = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .registerModule(new SimpleModule("leadscore-instants")
                                        .addDeserializer(Instant.class, new IsoInstantDeserializer()))
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.setHandlerInstantiator(new SealingHandlers(vault));
        return JacksonSerializer.builder().objectMapper(mapper).build();
    }

    /** Hands Jackson the vault-bound sealing serializer; everything else Jackson builds itself (null). */
    private static final class SealingHandlers extends HandlerInstantiator {

        private final SealingSerializer sealing;
        private final RevealingDeserializer revealing;

        SealingHandlers(PersonalDataVault vault) {
            this.sealing = new SealingSerializer(vault);
            this.revealing = new RevealingDeserializer(vault);
        }

        @Override
        public JsonSerializer<?> serializerInstance(SerializationConfig config, Annotated annotated,
                                                    Class<?> serializerClass) {
            return serializerClass == SealingSerializer.class ? sealing : null;
        }

        @Override
        public JsonDeserializer<?> deserializerInstance(DeserializationConfig config, Annotated annotated,
                                                        Class<?> deserializerClass) {
            return deserializerClass == RevealingDeserializer.class ? revealing : null;
        }

        @Override
        public KeyDeserializer keyDeserializerInstance(DeserializationConfig config, Annotated annotated,
                                                       Class<?> keyDeserializerClass) {
            return null;
        }

        @Override
        public TypeResolverBuilder<?> typeResolverBuilderInstance(MapperConfig<?> config, Annotated annotated,
                                                                  Class<?> builderClass) {
            return null;
        }

        @Override
        public TypeIdResolver typeIdResolverInstance(MapperConfig<?> config, Annotated annotated,
                                                     Class<?> resolverClass) {
            return null;
        }
    }
}
