package dev.floe.bench;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.encryption.EncryptionManager;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.LocationProvider;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;
import org.apache.iceberg.io.SeekableInputStream;

/**
 * A catalog's table operations with a stopwatch on each step Iceberg takes through them: refreshes, the catalog
 * commit, and every file written or read through the table's FileIO (open to close), by kind. For
 * {@link CommitProfile}; adds a few nanoseconds per call, nothing else.
 */
final class TimedTableOperations implements TableOperations {

    private final TableOperations delegate;
    private final Map<String, LongAdder> nanos = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final FileIO io;
    private volatile String refreshStep = "refresh";

    TimedTableOperations(TableOperations delegate) {
        this.delegate = delegate;
        this.io = new TimedIo(delegate.io());
    }

    /** Time spent per step since the last reset, in nanoseconds. */
    Map<String, LongAdder> nanos() {
        return nanos;
    }

    Map<String, LongAdder> counts() {
        return counts;
    }

    void reset() {
        nanos.clear();
        counts.clear();
    }

    /** Names the refreshes from now on (the commit names those after it itself). */
    void refreshStep(String step) {
        this.refreshStep = step;
    }

    void add(String step, long elapsed) {
        nanos.computeIfAbsent(step, k -> new LongAdder()).add(elapsed);
        counts.computeIfAbsent(step, k -> new LongAdder()).increment();
    }

    @Override
    public TableMetadata current() {
        return delegate.current();
    }

    @Override
    public TableMetadata refresh() {
        long t0 = System.nanoTime();
        try {
            return delegate.refresh();
        } finally {
            add(refreshStep, System.nanoTime() - t0);
        }
    }

    @Override
    public void commit(TableMetadata base, TableMetadata metadata) {
        long t0 = System.nanoTime();
        try {
            delegate.commit(base, metadata);
        } finally {
            add("catalog commit (metadata.json write + SQL)", System.nanoTime() - t0);
            refreshStep = "refresh after commit (Iceberg's own)";
        }
    }

    @Override
    public FileIO io() {
        return io;
    }

    @Override
    public EncryptionManager encryption() {
        return delegate.encryption();
    }

    @Override
    public String metadataFileLocation(String fileName) {
        return delegate.metadataFileLocation(fileName);
    }

    @Override
    public LocationProvider locationProvider() {
        return delegate.locationProvider();
    }

    @Override
    public TableOperations temp(TableMetadata uncommittedMetadata) {
        return delegate.temp(uncommittedMetadata);
    }

    @Override
    public long newSnapshotId() {
        return delegate.newSnapshotId();
    }

    static String kind(String location) {
        String name = location.substring(location.lastIndexOf('/') + 1);
        if (name.startsWith("snap-")) {
            return "manifest-list";
        }
        if (name.endsWith(".avro")) {
            return "manifest";
        }
        if (name.endsWith(".parquet")) {
            return "data";
        }
        return "other";
    }

    /** The table's FileIO, timing each file from open to close. */
    private final class TimedIo implements FileIO {

        private final FileIO io;

        TimedIo(FileIO io) {
            this.io = io;
        }

        @Override
        public InputFile newInputFile(String path) {
            return new TimedInput(io.newInputFile(path));
        }

        @Override
        public InputFile newInputFile(String path, long length) {
            return new TimedInput(io.newInputFile(path, length));
        }

        @Override
        public OutputFile newOutputFile(String path) {
            return new TimedOutput(io.newOutputFile(path));
        }

        @Override
        public void deleteFile(String path) {
            long t0 = System.nanoTime();
            io.deleteFile(path);
            add("delete " + kind(path), System.nanoTime() - t0);
        }

        @Override
        public Map<String, String> properties() {
            return io.properties();
        }

        @Override
        public void initialize(Map<String, String> properties) {
            io.initialize(properties);
        }

        @Override
        public void close() {
            io.close();
        }
    }

    private final class TimedInput implements InputFile {

        private final InputFile file;

        TimedInput(InputFile file) {
            this.file = file;
        }

        @Override
        public long getLength() {
            return file.getLength();
        }

        @Override
        public SeekableInputStream newStream() {
            long t0 = System.nanoTime();
            SeekableInputStream in = file.newStream();
            String step = "read " + kind(file.location());
            return new SeekableInputStream() {

                @Override
                public long getPos() throws IOException {
                    return in.getPos();
                }

                @Override
                public void seek(long newPos) throws IOException {
                    in.seek(newPos);
                }

                @Override
                public int read() throws IOException {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return in.read(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    in.close();
                    add(step, System.nanoTime() - t0);
                }
            };
        }

        @Override
        public String location() {
            return file.location();
        }

        @Override
        public boolean exists() {
            return file.exists();
        }
    }

    private final class TimedOutput implements OutputFile {

        private final OutputFile file;

        TimedOutput(OutputFile file) {
            this.file = file;
        }

        @Override
        public PositionOutputStream create() {
            return timed(System.nanoTime(), file.create());
        }

        @Override
        public PositionOutputStream createOrOverwrite() {
            return timed(System.nanoTime(), file.createOrOverwrite());
        }

        private PositionOutputStream timed(long t0, PositionOutputStream out) {
            String step = "write " + kind(file.location());
            return new PositionOutputStream() {

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
                    out.close();
                    add(step, System.nanoTime() - t0);
                }
            };
        }

        @Override
        public String location() {
            return file.location();
        }

        @Override
        public InputFile toInputFile() {
            return new TimedInput(file.toInputFile());
        }
    }
}
