package io.lakehousecdc.savepoints;

import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Savepoints on any file system Flink itself reaches: local paths, {@code file://}, HDFS. */
final class FileSystemStore implements SavepointStore {

    private final Path root;

    FileSystemStore(String uri) {
        this.root = new Path(uri);
    }

    @Override
    public List<StoredSavepoint> find() throws IOException {
        FileSystem fs = root.getFileSystem();
        List<StoredSavepoint> found = new ArrayList<>();
        if (fs.exists(root)) {
            collect(fs, root, DEPTH, found);
        }
        return found;
    }

    private static void collect(FileSystem fs, Path dir, int depth, List<StoredSavepoint> found) throws IOException {
        FileStatus[] children = fs.listStatus(dir);
        if (children == null) {
            return;
        }
        for (FileStatus child : children) {
            if (!child.isDir()) {
                continue;
            }
            Path candidate = child.getPath();
            Path metadata = new Path(candidate, METADATA);
            if (fs.exists(metadata)) {
                found.add(StoredSavepoint.in(candidate.toString(), candidate.getName(), candidate.getParent().getName(),
                        Instant.ofEpochMilli(fs.getFileStatus(metadata).getModificationTime()), size(fs, candidate)));
            } else if (depth > 1) {
                collect(fs, candidate, depth - 1, found);
            }
        }
    }

    private static long size(FileSystem fs, Path dir) throws IOException {
        long bytes = 0;
        for (FileStatus status : fs.listStatus(dir)) {
            bytes += status.isDir() ? size(fs, status.getPath()) : status.getLen();
        }
        return bytes;
    }

    @Override
    public void delete(String path) throws IOException {
        Path dir = new Path(path);
        dir.getFileSystem().delete(dir, true);
    }
}
