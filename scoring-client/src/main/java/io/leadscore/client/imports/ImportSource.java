package io.leadscore.client.imports;

import java.util.List;

/**
 * A parsed source: the leads to send, the rows that could not be parsed, and how many rows were read.
 *
 * @param file       the file named in rejections
 * @param rows       data rows read
 * @param records    leads, in file order
 * @param rejections rows refused before anything was sent
 */
public record ImportSource(String file, long rows, List<LeadRecord> records, List<Rejection> rejections) {
}
