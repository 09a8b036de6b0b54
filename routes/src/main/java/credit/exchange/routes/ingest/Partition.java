package credit.exchange.routes.ingest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of one key partition (by hash of source department and document number) and the
 * writer that stores them. Every version of a key lands in the same partition, in file order,
 * so partitions can be written in parallel without reordering a record's versions.
 */
final class Partition {
    final BatchWriter writer;
    final List<RecordDraft> batch = new ArrayList<>(BulkImporter.BATCH_ROWS);
    final Map<String, byte[]> digestsInBatch = new HashMap<>();
    final List<Defect> rejects = new ArrayList<>();

    Partition(BatchWriter writer) {
        this.writer = writer;
    }

    /** Adds a draft; false when the batch already holds an exact duplicate of it. */
    boolean add(String key, RecordDraft draft) {
        byte[] seen = digestsInBatch.get(key);
        if (seen != null) {
            if (Arrays.equals(seen, draft.contentDigest())) {
                return false;
            }
            flush(); // a correction of a row in this batch: store the earlier version first
        }
        batch.add(draft);
        digestsInBatch.put(key, draft.contentDigest());
        if (batch.size() >= BulkImporter.BATCH_ROWS) {
            flush();
        }
        return true;
    }

    /** Hands the batch to the writer; reading and validating the next batch goes on meanwhile. */
    void flush() {
        if (batch.isEmpty() && rejects.isEmpty()) {
            return;
        }
        writer.submit(IngestStore.stage(batch, rejects));
        batch.clear();
        digestsInBatch.clear();
        rejects.clear();
    }
}
