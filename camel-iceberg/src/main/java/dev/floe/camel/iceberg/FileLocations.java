package dev.floe.camel.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.apache.iceberg.hadoop.HadoopFileIO;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;

/**
 * Lists the files under a folder, and compares file locations as written in metadata with those a listing returns,
 * which may spell the same file differently ({@code file:/t/x}, {@code file:///t/x}, {@code /t/x}; {@code s3://b/k}
 * and {@code s3a://b/k}).
 */
final class FileLocations {

    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");
    private static final Pattern SLASHES = Pattern.compile("/{2,}");
    // Hadoop's local file system keeps a checksum beside each file (.name.crc) and deletes it with the file
    private static final Pattern HADOOP_CHECKSUM = Pattern.compile("^\\..*\\.crc$");

    private FileLocations() {
    }

    /**
     * The location without scheme and authority, with repeated slashes collapsed. Two files of one table never differ
     * only in scheme or bucket, and dropping them can only make more files look referenced, never fewer.
     */
    static String normalize(String location) {
        String rest = SCHEME.matcher(location).replaceFirst("");
        if (rest.startsWith("//")) {
            int path = rest.indexOf('/', 2);
            rest = path < 0 ? "/" : rest.substring(path);
        }
        return SLASHES.matcher(rest).replaceAll("/");
    }

    /** Every file under a folder (the folder itself ends with a slash, so a sibling sharing its name is not listed). */
    static List<FileInfo> listUnder(FileIO io, String folder, String purpose) {
        if (io instanceof HadoopFileIO && isLocal(folder)) {
            // Hadoop's local listing forks a process per file to read its permissions, and fails outright when a file
            // it listed is deleted meanwhile (an old metadata file a concurrent commit removes): walk the disk instead
            return walkLocal(folder);
        }
        if (!(io instanceof SupportsPrefixOperations prefixes)) {
            throw new UnsupportedOperationException(purpose + " needs a FileIO that can list files ("
                    + "SupportsPrefixOperations, as HadoopFileIO and S3FileIO do); " + io.getClass().getName()
                    + " cannot");
        }
        List<FileInfo> files = new ArrayList<>();
        prefixes.listPrefix(asFolder(folder)).forEach(files::add);
        return files;
    }

    // a table's root is the folder holding its metadata/ folder of metadata.json files
    private static final Pattern TABLE_METADATA = Pattern.compile("^(.*/)metadata/[^/]*\\.metadata\\.json(\\.gz)?$");

    /**
     * The listed files that belong to the table rooted at {@code root}: files of another table nested below it (a
     * catalog may put {@code ns.a.t} inside {@code ns.a}'s folder, or a table named {@code data}) are left out.
     */
    static List<FileInfo> ownFiles(List<FileInfo> listed, String root) {
        String own = normalize(asFolder(root));
        List<String> otherRoots = new ArrayList<>();
        for (FileInfo file : listed) {
            var m = TABLE_METADATA.matcher(normalize(file.location()));
            if (m.matches() && !m.group(1).equals(own) && m.group(1).startsWith(own)) {
                otherRoots.add(m.group(1));
            }
        }
        List<FileInfo> kept = new ArrayList<>();
        for (FileInfo file : listed) {
            String location = normalize(file.location());
            if (otherRoots.stream().noneMatch(location::startsWith)) {
                kept.add(file);
            }
        }
        return kept;
    }

    /** The files directly in a folder, none from its subfolders. */
    static List<FileInfo> directlyIn(List<FileInfo> listed, String folder) {
        String prefix = normalize(asFolder(folder));
        List<FileInfo> kept = new ArrayList<>();
        for (FileInfo file : listed) {
            String location = normalize(file.location());
            if (location.startsWith(prefix) && location.indexOf('/', prefix.length()) < 0) {
                kept.add(file);
            }
        }
        return kept;
    }

    static String asFolder(String location) {
        return location.endsWith("/") ? location : location + "/";
    }

    private static boolean isLocal(String location) {
        return location.startsWith("file:") || location.startsWith("/");
    }

    private static List<FileInfo> walkLocal(String folder) {
        // the path as Iceberg writes it: a partition folder such as type=a%3Ab is that literal name on disk, so no URI
        // decoding or escaping on either side
        Path root = Path.of(normalize(folder));
        List<FileInfo> files = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return files;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (attributes.isRegularFile()
                            && !HADOOP_CHECKSUM.matcher(file.getFileName().toString()).matches()) {
                        files.add(new FileInfo("file:" + file.toAbsolutePath(), attributes.size(),
                                attributes.lastModifiedTime().toMillis()));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE; // deleted while listed: not a file any more
                    }
                    throw e;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }
}
