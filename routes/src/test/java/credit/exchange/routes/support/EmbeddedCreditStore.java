package credit.exchange.routes.support;

import credit.exchange.routes.store.Database;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One real PostgreSQL per test JVM, started on first use and stopped when the JVM exits, with the
 * credit store schema migrated in by {@link Database#open}. Starting a server takes seconds;
 * emptying its tables takes milliseconds, so tests share the server and {@link #clean()} it.
 */
public final class EmbeddedCreditStore {

    /** Every table a test writes. record_category is the migration's catalogue and stays. */
    private static final String TRUNCATE = "truncate credit_record, subject, import_reject, import_quality, import_run,"
            + " identifier_mapping, push_subscription, outbox, outbox_attempt, exchange_message, sent_exchange, pull_receipt,"
            + " received_batch,"
            + " received_delivery, subject_authorisation, audit_event, audit_chain_head, audit_checkpoint, audit_countersignature, audit_witnessed,"
            + " audit_purge, credit_list_entry, alliance_notice, alliance_notice_answer, alliance_received, recognition_withdrawal, credit_repair,"
            + " withdrawn_message, credit_objection, objected_message, credit_service_filing, credit_report restart identity cascade";

    private static EmbeddedPostgres server;
    private static Database database;

    private EmbeddedCreditStore() {
    }

    /** The shared, migrated credit store. */
    public static synchronized Database database() {
        if (database == null) {
            try {
                server = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("embedded PostgreSQL did not start", e);
            }
            database = Database.open("jdbc:postgresql://localhost:" + server.getPort() + "/postgres", "postgres", "", 4);
            Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedCreditStore::stop, "embedded-credit-store-stop"));
        }
        return database;
    }

    /** Empties every table a test can have written, so each test starts from the migrated, empty store. */
    public static void clean() {
        try (Connection c = database().connection(); Statement s = c.createStatement()) {
            s.execute(TRUNCATE);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot empty the test credit store", e);
        }
    }

    private static synchronized void stop() {
        database.close();
        try {
            server.close();
        } catch (IOException ignored) {
            // the JVM is exiting; the server's temporary directory goes with it
        }
    }
}
