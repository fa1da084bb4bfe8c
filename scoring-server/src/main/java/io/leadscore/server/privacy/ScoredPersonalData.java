package io.leadscore.server.privacy;

import com.fasterxml.jackson.annotation.JacksonAnnotationsInside;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks personal data that scoring reads (the job title: fit rules test it): stored sealed like any
 * {@link PersonalData}, but opened again as it is read back ({@link RevealingDeserializer}), so that the fold of
 * every lead, live, in rebuilds and in replays, scores the text while the lead's key exists. Once the lead is
 * erased the value reads as empty, which scoring takes as unknown: rules on it no longer match.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@JacksonAnnotationsInside
@JsonSerialize(using = SealingSerializer.class)
@JsonDeserialize(using = RevealingDeserializer.class)
public @interface ScoredPersonalData {
}
