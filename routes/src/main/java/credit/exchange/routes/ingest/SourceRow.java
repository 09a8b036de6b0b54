package credit.exchange.routes.ingest;

/**
 * One data row of an import file, its values indexed by the layout's column positions (null
 * where the file lacks the column). Row numbers count data rows from 1, header excluded, as
 * departments count them in their spreadsheets.
 */
record SourceRow(int number, String[] values) {

    String value(ImportLayout.Column column) {
        String v = values[column.index()];
        return v == null ? "" : v.strip();
    }
}
