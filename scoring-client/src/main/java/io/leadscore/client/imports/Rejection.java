package io.leadscore.client.imports;

/**
 * A source row that was not imported.
 *
 * @param line   its line number in its file (1 is the header of a CSV)
 * @param file   the file's name
 * @param code   a gRPC status code name, or INVALID_ARGUMENT for rows that never left the client
 * @param field  the field at fault, or empty
 * @param reason why
 */
public record Rejection(long line, String file, String code, String field, String reason) {
}
