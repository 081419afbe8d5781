package dev.floe.camel.iceberg;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.util.BinPacking;
import org.apache.iceberg.util.PartitionMap;

/**
 * What one compaction run rewrites, decided from a planned snapshot alone: per partition (spec id and partition value)
 * with at least {@code minInputFiles} small files or any delete file, its small files and the files deletes apply to,
 * bin-packed into groups of about the target size, within the run's byte budget; and the delete files that no data
 * file left after the rewrite is planned with.
 *
 * @param bins             the groups of files each rewritten into new files; every group lies in one partition
 * @param removableDeletes delete files of the snapshot that apply to nothing once the bins are rewritten
 */
record CompactionPlan(List<List<FileScanTask>> bins, List<DeleteFile> removableDeletes) {

    /** A file smaller than this fraction of the target is small. */
    static final double SMALL_FRACTION = 0.75;

    boolean isEmpty() {
        return bins.isEmpty() && removableDeletes.isEmpty();
    }

    /** The data files the bins replace. */
    List<FileScanTask> replaced() {
        return bins.stream().flatMap(List::stream).toList();
    }

    long replacedBytes() {
        return replaced().stream().mapToLong(t -> t.file().fileSizeInBytes()).sum();
    }

    /**
     * @param tasks   the snapshot's files, each with the deletes that apply to it (a scan's planFiles, not split)
     * @param deletes every live delete file of the snapshot
     */
    static CompactionPlan of(Map<Integer, PartitionSpec> specs, List<FileScanTask> tasks, List<DeleteFile> deletes,
            long targetBytes, int minInputFiles, long maxBytes) {
        PartitionMap<List<FileScanTask>> partitions = PartitionMap.create(specs);
        tasks.forEach(t -> partitions.computeIfAbsent(t.file().specId(), t.file().partition(), ArrayList::new).add(t));
        PartitionMap<Boolean> holdingDeletes = PartitionMap.create(specs);
        deletes.forEach(d -> holdingDeletes.put(d.specId(), d.partition(), true));

        long small = (long) (targetBytes * SMALL_FRACTION);
        List<List<FileScanTask>> bins = new ArrayList<>();
        long taken = 0;
        for (Map.Entry<?, List<FileScanTask>> partition : partitions.entrySet()) {
            List<FileScanTask> files = partition.getValue();
            FileScanTask first = files.get(0);
            boolean hasDeletes = holdingDeletes.containsKey(first.file().specId(), first.file().partition())
                    || files.stream().anyMatch(t -> !t.deletes().isEmpty());
            List<FileScanTask> candidates = files.stream()
                    .filter(t -> t.file().fileSizeInBytes() < small || !t.deletes().isEmpty()).toList();
            long smallFiles = files.stream().filter(t -> t.file().fileSizeInBytes() < small).count();
            if (smallFiles < minInputFiles && !hasDeletes) {
                continue;
            }
            for (List<FileScanTask> bin : new BinPacking.ListPacker<FileScanTask>(targetBytes, 1, false)
                    .pack(candidates, t -> t.file().fileSizeInBytes())) {
                if (bin.size() == 1 && bin.get(0).deletes().isEmpty()) {
                    continue; // one clean file rewritten alone would come out the same
                }
                long bytes = bin.stream().mapToLong(t -> t.file().fileSizeInBytes()).sum();
                if (taken > 0 && taken + bytes > maxBytes) {
                    continue; // waits for the next run; a smaller bin may still fit
                }
                bins.add(bin);
                taken += bytes;
            }
        }
        return new CompactionPlan(bins, removable(tasks, bins, deletes));
    }

    /**
     * A delete file applies to the data files a scan plans it with. Once the files it is planned with are all
     * rewritten (with its deletes applied) it applies to nothing: data committed after the run's snapshot has a higher
     * sequence number than it and other paths, and the rewritten files keep the snapshot's sequence number.
     */
    private static List<DeleteFile> removable(List<FileScanTask> tasks, List<List<FileScanTask>> bins,
            List<DeleteFile> deletes) {
        Set<String> rewritten = new HashSet<>();
        bins.forEach(bin -> bin.forEach(t -> rewritten.add(t.file().location())));
        Set<String> stillApplying = new HashSet<>();
        for (FileScanTask task : tasks) {
            if (!rewritten.contains(task.file().location())) {
                task.deletes().forEach(d -> stillApplying.add(d.location()));
            }
        }
        return deletes.stream().filter(d -> !stillApplying.contains(d.location())).toList();
    }
}
