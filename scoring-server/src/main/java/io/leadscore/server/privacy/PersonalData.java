package io.leadscore.server.privacy;

import com.fasterxml.jackson.annotation.JacksonAnnotationsInside;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a text field of an event (or of a value inside one) as personal data: the event serializer stores it
 * sealed with its lead's key ({@link PersonalDataVault}), so erasing the lead leaves it unreadable. The lead is
 * the nearest enclosing {@link PersonalDataOwner}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@JacksonAnnotationsInside
@JsonSerialize(using = SealingSerializer.class)
public @interface PersonalData {
}
