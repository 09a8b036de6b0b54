package credit.exchange.routes.ingest;

/**
 * What a column of an import file means to the gateway, independent of the file's column
 * codes (XK_WSH and CF_WSH are both the {@link #DOCUMENT_NUMBER}). Columns without a role are
 * kept as record attributes.
 */
enum Role {
    PARTY_NAME,
    PARTY_KIND,
    USCC,
    REGISTRATION_NUMBER,
    ORGANIZATION_CODE,
    LEGAL_REPRESENTATIVE,
    REPRESENTATIVE_ID_TYPE,
    REPRESENTATIVE_ID_NUMBER,
    PARTY_ID_TYPE,
    PARTY_ID_NUMBER,
    DOCUMENT_NUMBER,
    CONTENT,
    DECISION_DATE,
    VALID_FROM,
    VALID_UNTIL,
    PUBLICATION_END,
    AUTHORITY,
    AUTHORITY_CODE,
    SOURCE_UNIT,
    SOURCE_UNIT_CODE,
    /** An attribute with no special meaning, kept as it came. */
    ATTRIBUTE
}
