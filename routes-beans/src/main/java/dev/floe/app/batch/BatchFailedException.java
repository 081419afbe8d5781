package dev.floe.app.batch;

/**
 * The batch holding these events was not committed; nothing of it is in the table, so the source may send it again.
 */
public class BatchFailedException extends RuntimeException {

    public BatchFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
