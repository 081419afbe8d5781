package dev.floe.camel.iceberg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's local file system (checksums and all), except that it sets permissions with Java's own call instead of
 * starting a {@code chmod} process.
 * <p>
 * Why: without Hadoop's native library, which Floe does not ship, {@link RawLocalFileSystem} sets the permissions of
 * every file and folder it creates by running {@code chmod}, and the checksum file beside each file is a second file.
 * An Iceberg commit creates four files (data, manifest, manifest list, metadata.json), so that was eight processes
 * started per commit, and most of a commit's time on a local warehouse (bench/RESULTS.md, "Commit cycle profile").
 * The files, their checksums and their permissions are the same as before; only how the permission is set differs.
 * <p>
 * {@link #configuration()} gives the Hadoop configuration Floe builds its catalogs with: this file system for
 * {@code file:} paths and plain paths, kept out of Hadoop's process-wide file system cache so that a default local
 * file system someone else cached first is never used instead.
 */
public class ForklessLocalFileSystem extends LocalFileSystem {

    public ForklessLocalFileSystem() {
        super(new Raw());
    }

    /** A Hadoop configuration whose local file system is this one. */
    public static Configuration configuration() {
        Configuration conf = new Configuration();
        conf.setClass("fs.file.impl", ForklessLocalFileSystem.class, org.apache.hadoop.fs.FileSystem.class);
        conf.setBoolean("fs.file.impl.disable.cache", true);
        return conf;
    }

    /** The raw local file system with {@code setPermission} done in process. */
    static final class Raw extends RawLocalFileSystem {

        @Override
        public void setPermission(Path p, FsPermission permission) throws IOException {
            try {
                Files.setPosixFilePermissions(pathToFile(p).toPath(), posix(permission.toShort()));
            } catch (UnsupportedOperationException notPosix) {
                super.setPermission(p, permission);
            }
        }

        static Set<PosixFilePermission> posix(short mode) {
            PosixFilePermission[] bits = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                    PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE,
                    PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE,
                    PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
            Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
            for (int i = 0; i < bits.length; i++) {
                if ((mode & (1 << i)) != 0) {
                    set.add(bits[i]);
                }
            }
            return set;
        }
    }
}
