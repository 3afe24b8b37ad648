package io.runnel.connectors.file;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CSV (RFC 4180 quoting, parsed by Jackson) with a header line; each record is a map from column
 * name to field text, in header order. One record per line: a quoted field cannot span lines.
 * Thread-safe.
 */
final class CsvFormat implements LineFormat<Map<String, String>> {
    private static final ObjectReader FIELDS = new CsvMapper().readerFor(String[].class).with(CsvParser.Feature.WRAP_AS_ARRAY);

    @Override
    public boolean hasHeader() {
        return true;
    }

    @Override
    public Object header(byte[] line, int offset, int length) throws Exception {
        String[] names = fields(line, offset, length);
        if (names.length == 0) {
            throw new IllegalArgumentException("the header line is empty");
        }
        return names;
    }

    @Override
    public Map<String, String> decode(byte[] line, int offset, int length, Object header) throws Exception {
        String[] names = (String[]) header;
        String[] values = fields(line, offset, length);
        if (values.length != names.length) {
            throw new IllegalArgumentException("has " + values.length + " fields, the header has " + names.length);
        }
        Map<String, String> record = new LinkedHashMap<>(names.length * 2);
        for (int i = 0; i < names.length; i++) {
            record.put(names[i], values[i]);
        }
        return record;
    }

    private static String[] fields(byte[] line, int offset, int length) throws Exception {
        try (MappingIterator<String[]> rows = FIELDS.readValues(line, offset, length)) {
            if (!rows.hasNext()) {
                return new String[0];
            }
            String[] fields = rows.next();
            if (rows.hasNext()) {
                throw new IllegalArgumentException("holds more than one CSV record");
            }
            return fields;
        }
    }
}
