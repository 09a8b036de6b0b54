package credit.exchange.routes.ingest;

import java.util.Map;

/**
 * One data row of an import file, by the layout's columns. Row numbers count data rows from 1,
 * header excluded, as departments count them in their spreadsheets.
 */
record SourceRow(int number, Map<ImportLayout.Column, String> values) {

    String value(ImportLayout.Column column) {
        String v = values.get(column);
        return v == null ? "" : v.strip();
    }
}
