package dev.floe.app;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.floe.testing.Directories;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Floe's data directory (the embedded default: SQLite catalog and local warehouse; or a Hadoop catalog's warehouse) on
 * a tmpfs of a few MiB of its own, so a test can fill the disk for real, or make the warehouse read-only with a
 * read-only bind mount (a whole tmpfs cannot be remounted read-only while SQLite holds its files open for writing).
 * Mounting needs root; when it fails, {@link #mountFailure()} says why and the data directory is an ordinary folder.
 */
public class TinyDiskResource implements QuarkusTestResourceLifecycleManager {

    /** Init argument: {@code hadoop} puts a Hadoop catalog there instead of the embedded default. */
    public static final String CATALOG = "catalog";

    private boolean hadoopCatalog;
    private Path dir;
    private String mountFailure;
    private boolean warehouseReadOnly;

    @Override
    public void init(Map<String, String> initArgs) {
        hadoopCatalog = "hadoop".equals(initArgs.get(CATALOG));
    }

    @Override
    public Map<String, String> start() {
        try {
            dir = Path.of("target", "tiny-disk-" + UUID.randomUUID()).toAbsolutePath();
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        // big enough for the catalog, its write-ahead log and a few commits; small enough to fill in a moment
        mountFailure = run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", dir.toString()).orElse(null);
        return hadoopCatalog
                ? Map.of("floe.data-dir", dir.toString(), "floe.catalog.properties.type", "hadoop",
                        "floe.catalog.properties.warehouse", dir.resolve("warehouse").toString())
                : Map.of("floe.data-dir", dir.toString());
    }

    /** Why the tmpfs could not be mounted; empty when it is mounted. */
    public Optional<String> mountFailure() {
        return Optional.ofNullable(mountFailure);
    }

    /** Writes a filler file until the file system has no space left. */
    public void fill() throws IOException {
        try (FileChannel out = FileChannel.open(filler(), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            // smaller and smaller writes, down to one byte, take the last free page too
            for (int size = 64 * 1024; size > 0; size /= 4) {
                ByteBuffer chunk = ByteBuffer.allocate(size);
                try {
                    while (true) {
                        chunk.clear();
                        while (chunk.hasRemaining()) {
                            out.write(chunk);
                        }
                    }
                } catch (IOException full) {
                    if (!String.valueOf(full.getMessage()).contains("No space left")) {
                        throw full;
                    }
                }
            }
        }
    }

    /** Fills the file system, then gives back this many pages (4 KiB each) of the filler. */
    public void fillLeaving(int pages) throws IOException {
        fill();
        try (FileChannel filler = FileChannel.open(filler(), StandardOpenOption.WRITE)) {
            long page = 4096;
            filler.truncate(Math.max(0, (filler.size() - pages * page) / page * page));
        }
    }

    /** Gives the space back: deletes the filler file. */
    public void free() throws IOException {
        Files.deleteIfExists(filler());
    }

    /** Makes the warehouse folder read-only (a read-only bind mount of itself; root ignores file permissions). */
    public void warehouseReadOnly() {
        String warehouse = dir.resolve("warehouse").toString();
        mustRun("mount", "--bind", warehouse, warehouse);
        warehouseReadOnly = true;
        mustRun("mount", "-o", "remount,ro,bind", warehouse);
    }

    /** Makes the warehouse writable again. */
    public void warehouseWritable() {
        if (warehouseReadOnly) {
            mustRun("umount", dir.resolve("warehouse").toString());
            warehouseReadOnly = false;
        }
    }

    private Path filler() {
        return dir.resolve("filler");
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(this, new TestInjector.MatchesType(TinyDiskResource.class));
    }

    @Override
    public void stop() {
        if (mountFailure == null) {
            warehouseWritable();
            // Floe has stopped and closed its catalog by now; lazily in case a file is still open
            run("umount", dir.toString()).ifPresent(busy -> mustRun("umount", "-l", dir.toString()));
        }
        Directories.delete(dir);
    }

    private static void mustRun(String... command) {
        run(command).ifPresent(failure -> {
            throw new IllegalStateException(failure);
        });
    }

    /** Runs a command; empty when it succeeded, else what it said. */
    private static Optional<String> run(String... command) {
        List<String> line = new ArrayList<>(List.of(command));
        try {
            Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.of(String.join(" ", line) + ": did not finish");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return process.exitValue() == 0
                    ? Optional.empty()
                    : Optional.of(String.join(" ", line) + " exited " + process.exitValue() + ": " + output);
        } catch (IOException e) {
            return Optional.of(String.join(" ", line) + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(String.join(" ", line) + ": interrupted");
        }
    }
}
