package io.leadscore.server.privacy;

/** Reads personal values as stored: sealed ones are opened with their lead's key, plain ones pass through. */
@FunctionalInterface
public interface PersonalDataReader {

    /** The plain text of {@code value}, or {@value Erased#VALUE} when its lead was erased. */
    String reveal(String value);
}
