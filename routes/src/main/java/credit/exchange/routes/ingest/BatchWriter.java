package credit.exchange.routes.ingest;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.sql.SQLException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * Stores batches on its own thread, at most two behind the reader, so that parsing and
 * validation overlap with the database's work. The first failure stops the import. Without
 * a store (a check), batches are counted and dropped.
 */
final class BatchWriter {
    private final IngestStore store;
    private final long importId;
    private final byte[] fileDigest;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "ingest-writer"));
    private final Semaphore inFlight = new Semaphore(2);
    private int stored;
    private int duplicates;
    private volatile SQLException failure;

    BatchWriter(IngestStore store, long importId, byte[] fileDigest) {
        this.store = store;
        this.importId = importId;
        this.fileDigest = fileDigest;
    }

    void submit(IngestStore.StagedBatch batch) {
        rethrow();
        inFlight.acquireUninterruptibly();
        thread.execute(() -> {
            try {
                if (failure == null) {
                    int n = store == null ? batch.drafts() : store.store(importId, batch, fileDigest);
                    stored += n;
                    duplicates += batch.drafts() - n;
                }
            } catch (SQLException e) {
                failure = e;
            } finally {
                inFlight.release();
            }
        });
    }

    /** Stored and duplicate counts once every submitted batch is done. */
    int[] await() {
        inFlight.acquireUninterruptibly(2);
        inFlight.release(2);
        rethrow();
        // the counters are written by the writer thread; the semaphore hand-over makes them visible
        return new int[] {stored, duplicates};
    }

    void stop() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void rethrow() {
        if (failure != null) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE,
                    "the credit store refused a batch; rows committed so far are kept, run the import again to finish: "
                            + failure.getMessage(), failure);
        }
    }
}
