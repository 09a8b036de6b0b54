package credit.exchange.routes.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import credit.exchange.routes.support.CleanCreditStore;
import credit.exchange.routes.support.EmbeddedCreditStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Active records of a category about legal persons, oldest first: where the demo picks its examples. */
@ExtendWith(CleanCreditStore.class)
class ActiveRecordsTest {

    private static final String ENTERPRISE = "91330100716105852F";
    private static final String OTHER = "91330000MA27U0E94J";

    @Test
    void activeRecordsOfLegalPersons_inRecordOrder_withoutPersonsOrOtherStatesOrCategories() throws SQLException {
        try (Connection c = EmbeddedCreditStore.database().connection(); Statement s = c.createStatement()) {
            s.execute("""
                    insert into subject (subject_key, kind, uscc, name) values ('U:%s', 'LEGAL_PERSON', '%s', 'A'), ('U:%s', 'LEGAL_PERSON', '%s', 'B');
                    insert into subject (subject_key, kind, person_id_sealed, name) values ('P:00', 'NATURAL_PERSON', '\\x00', 'C');
                    """.formatted(ENTERPRISE, ENTERPRISE, OTHER, OTHER));
            record(s, 2, "licensing", "ACTIVE", "d1");
            record(s, 1, "licensing", "ACTIVE", "d2");
            record(s, 3, "licensing", "ACTIVE", "d3");
            record(s, 1, "licensing", "REPAIRED", "d4");
            record(s, 1, "penalty", "ACTIVE", "d5");
            record(s, 2, "licensing", "ACTIVE", "d6");

            assertEquals(List.of(new ActiveRecords.OfLegalPerson(1, OTHER), new ActiveRecords.OfLegalPerson(2, ENTERPRISE),
                    new ActiveRecords.OfLegalPerson(6, OTHER)), ActiveRecords.ofLegalPersons(c, "licensing"));
        }
    }

    private static void record(Statement s, long subject, String category, String status, String document) throws SQLException {
        s.execute("""
                insert into credit_record (subject_id, category, classification, source_department, document_number, version,
                    content_digest, party_name, decision_date, status)
                values (%d, '%s', 'A', '11330100002487959W', '%s', 1, '\\x00', 'p', current_date, '%s')"""
                .formatted(subject, category, document, status));
    }
}
