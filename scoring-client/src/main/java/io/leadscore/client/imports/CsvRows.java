package io.leadscore.client.imports;

import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The data rows of a CSV file with a header row, read so that one broken row cannot stop the rest. A row with more
 * or fewer values than the header has columns, or with quoting the parser cannot follow, is handed over as broken
 * with the line it starts on, and reading goes on at the line after it. Blank lines are skipped.
 */
final class CsvRows {

    static final String BROKEN_QUOTING = "a quoted value that starts on this line is not closed, or has text after its "
                                         + "closing quote (a quote inside a quoted value is written twice: \"\")";

    /** What a reader of the rows does with each. */
    interface Handler {
        /** A row with one value per header column; {@code line} is the line it starts on (the header is line 1). */
        void row(CSVRecord row, long line);

        /** A row that cannot be read as one value per column. */
        void broken(long line, String reason);
    }

    // Empty lines are not ignored by the parser, so that the lines of the rows can be counted exactly; they are
    // skipped here instead.
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setTrim(true).setIgnoreEmptyLines(false).get();
    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private final Path file;
    private final List<String> header;
    private final long headerLines;

    private CsvRows(Path file, List<String> header, long headerLines) {
        this.file = file;
        this.header = header;
        this.headerLines = headerLines;
    }

    /** Reads the header row of {@code file}. */
    static CsvRows open(Path file) throws IOException {
        String name = file.getFileName().toString();
        try (CSVParser parser = FORMAT.parse(reader(file, 0))) {
            Iterator<CSVRecord> rows = parser.iterator();
            if (!rows.hasNext()) {
                throw new IOException(name + " is empty; a header row is expected");
            }
            List<String> header = new ArrayList<>(rows.next().toList());
            // Spreadsheet programs start UTF-8 exports with a byte order mark; it is no part of the first name.
            if (!header.isEmpty() && !header.get(0).isEmpty() && header.get(0).charAt(0) == BYTE_ORDER_MARK) {
                header.set(0, header.get(0).substring(1).trim());
            }
            return new CsvRows(file, List.copyOf(header), parser.getCurrentLineNumber());
        } catch (UncheckedIOException e) {
            throw new IOException(name + ": the header row cannot be read: " + BROKEN_QUOTING, e);
        }
    }

    List<String> header() {
        return header;
    }

    /** Hands every data row to {@code handler} in file order; answers how many rows (broken ones too) there were. */
    long forEach(Handler handler) throws IOException {
        long rows = 0;
        long linesBefore = headerLines;
        boolean more = true;
        while (more) {
            more = false;
            try (CSVParser parser = parser(linesBefore)) {
                Iterator<CSVRecord> records = parser.iterator();
                long consumed = 0; // lines of this pass the rows so far took
                while (true) {
                    long line = linesBefore + consumed + 1;
                    CSVRecord row;
                    try {
                        if (!records.hasNext()) {
                            break;
                        }
                        row = records.next();
                    } catch (UncheckedIOException e) {
                        if (!(e.getCause() instanceof CSVException)) {
                            throw e.getCause();
                        }
                        rows++;
                        handler.broken(line, BROKEN_QUOTING);
                        // The parser cannot resynchronise by itself (an open quote runs to the end of the file):
                        // a new pass starts on the line after the broken row's first.
                        linesBefore = line;
                        more = true;
                        break;
                    }
                    consumed = parser.getCurrentLineNumber();
                    if (blank(row)) {
                        continue;
                    }
                    rows++;
                    if (row.size() != header.size()) {
                        handler.broken(line, "has " + row.size() + " values where the header has " + header.size()
                                             + " columns");
                    } else {
                        handler.row(row, line);
                    }
                }
            }
        }
        return rows;
    }

    /** Fails unless the header has every one of {@code columns}. */
    void require(List<String> columns, String what) throws IOException {
        List<String> missing = columns.stream().filter(c -> !header.contains(c)).distinct().toList();
        if (!missing.isEmpty()) {
            throw new IOException(file.getFileName() + ": " + what + " columns the file does not have: " + missing);
        }
    }

    /** A parser of the rows after line {@code linesBefore}, each with the header's names. */
    private CSVParser parser(long linesBefore) throws IOException {
        Reader reader = reader(file, linesBefore);
        try {
            return FORMAT.builder().setHeader(header.toArray(String[]::new)).get().parse(reader);
        } catch (IllegalArgumentException e) {
            reader.close();
            throw new IOException(file.getFileName() + ": the header row cannot be used: " + e.getMessage(), e);
        }
    }

    private static boolean blank(CSVRecord row) {
        return row.size() == 0 || row.size() == 1 && row.get(0).isEmpty();
    }

    /** The file from its line {@code skip + 1} on; lines end with \n, \r\n or \r, as the parser counts them. */
    private static Reader reader(Path file, long skip) throws IOException {
        BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        long skipped = 0;
        while (skipped < skip) {
            int c = reader.read();
            if (c == -1) {
                break;
            }
            if (c == '\n') {
                skipped++;
            } else if (c == '\r') {
                skipped++;
                reader.mark(1);
                if (reader.read() != '\n') {
                    reader.reset();
                }
            }
        }
        return reader;
    }
}
