package credit.exchange.routes.ingest;

/** Told how far an import has come, for a progress bar. Called from the importing thread. */
@FunctionalInterface
public interface ProgressListener {

    void progress(long bytesRead, long totalBytes, int rowsRead);

    ProgressListener NONE = (bytesRead, totalBytes, rowsRead) -> { };
}
