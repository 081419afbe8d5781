package dev.floe.camel.iceberg;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.iceberg.inmemory.InMemoryFileIO;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;

/**
 * The in-memory object store of unit tests, counting the data files being written at once: from the moment a writer
 * asks for its file (Iceberg's writers do so when they start a file) until the file's stream is closed. Parquet buffers
 * a row group in memory before it opens the stream, so each file being written is one writer's buffer.
 */
public class OpenFilesCountingFileIO extends InMemoryFileIO {

    static final AtomicInteger OPEN = new AtomicInteger();
    static final AtomicInteger MOST_OPEN = new AtomicInteger();

    static void reset() {
        OPEN.set(0);
        MOST_OPEN.set(0);
    }

    @Override
    public OutputFile newOutputFile(String path) {
        OutputFile file = super.newOutputFile(path);
        if (!path.contains("/data/")) {
            return file; // metadata, manifests: written whole at commit
        }
        MOST_OPEN.accumulateAndGet(OPEN.incrementAndGet(), Math::max);
        return new OutputFile() {

            @Override
            public PositionOutputStream create() {
                return counted(file.create());
            }

            @Override
            public PositionOutputStream createOrOverwrite() {
                return counted(file.createOrOverwrite());
            }

            @Override
            public String location() {
                return file.location();
            }

            @Override
            public InputFile toInputFile() {
                return file.toInputFile();
            }
        };
    }

    private static PositionOutputStream counted(PositionOutputStream out) {
        return new PositionOutputStream() {

            private boolean closed;

            @Override
            public long getPos() throws IOException {
                return out.getPos();
            }

            @Override
            public void write(int b) throws IOException {
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                out.flush();
            }

            @Override
            public void close() throws IOException {
                if (!closed) {
                    closed = true;
                    OPEN.decrementAndGet();
                }
                out.close();
            }
        };
    }
}
