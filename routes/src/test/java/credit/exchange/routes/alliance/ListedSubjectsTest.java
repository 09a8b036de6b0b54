package credit.exchange.routes.alliance;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.routes.support.CleanCreditStore;
import credit.exchange.routes.support.EmbeddedCreditStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(CleanCreditStore.class)
class ListedSubjectsTest {

    private static final String ENTERPRISE = "91330100716105852F";
    private static final String OTHER = "91330000MA27U0E94J";

    @Test
    void aSubjectIsListedByAnyEntry_redOrBlack_activeOrLifted() throws SQLException {
        try (Connection c = EmbeddedCreditStore.database().connection(); Statement s = c.createStatement()) {
            s.execute("""
                    insert into credit_list_entry (id, list_type, uscc, party_name, legal_basis, authority, document_number, listed_on,
                        publication_end, severity, status, recorded_by)
                    values (gen_random_uuid(), 'RED', '%s', 'A', 'basis', 'authority', 'n1', current_date, current_date + 365,
                        'GENERAL', 'REPAIRED', 'test')""".formatted(ENTERPRISE));
            assertTrue(ListedSubjects.onAnyList(c, ENTERPRISE));
            assertFalse(ListedSubjects.onAnyList(c, OTHER));
        }
    }
}
