package dev.reward4j.trainers.app.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Files of the jobs' outputs through Hadoop's file systems (local, HDFS, S3, ... whatever the
 * cluster configures), from the driver or an executor.
 */
final class HadoopFiles {
    private HadoopFiles() {}

    /** Writes {@code text} to {@code file} (replacing it). */
    static void writeString(Configuration conf, String file, String text) throws IOException {
        Path p = new Path(file);
        try (OutputStream out = p.getFileSystem(conf).create(p, true)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Creates {@code dir} (and parents). */
    static void mkdirs(Configuration conf, String dir) throws IOException {
        Path p = new Path(dir);
        p.getFileSystem(conf).mkdirs(p);
    }

    /** True when {@code path} exists. */
    static boolean exists(Configuration conf, String path) throws IOException {
        Path p = new Path(path);
        return p.getFileSystem(conf).exists(p);
    }

    /**
     * Opens {@code dir/name} for writing through a temporary name of this task attempt; {@link
     * Commit#commit()} renames it into place (a retried or speculative attempt writes the same
     * bytes, so whichever rename lands last is right).
     */
    static Commit create(Configuration conf, String dir, String name, long attempt)
            throws IOException {
        Path target = new Path(dir, name);
        Path tmp = new Path(dir, "_tmp-" + attempt + "-" + name);
        FileSystem fs = target.getFileSystem(conf);
        return new Commit(fs, tmp, target, fs.create(tmp, true));
    }

    /** A file written under a temporary name. */
    record Commit(FileSystem fs, Path tmp, Path target, OutputStream out) {
        /** Closes the stream and renames the file into place. */
        void commit() throws IOException {
            out.close();
            fs.delete(target, false);
            if (!fs.rename(tmp, target)) {
                throw new IOException("spark: cannot rename " + tmp + " to " + target);
            }
        }
    }

    /**
     * Moves the single {@code part-*} file Spark wrote into {@code dir} to {@code dir/name} and
     * returns its path.
     */
    static String renameSinglePart(Configuration conf, String dir, String name) throws IOException {
        Path d = new Path(dir);
        FileSystem fs = d.getFileSystem(conf);
        Path part = null;
        for (FileStatus s : fs.listStatus(d)) {
            if (s.getPath().getName().startsWith("part-")) {
                if (part != null) {
                    throw new IOException("spark: more than one part file in " + dir);
                }
                part = s.getPath();
            }
        }
        if (part == null) {
            throw new IOException("spark: no part file in " + dir);
        }
        Path target = new Path(d, name);
        if (!fs.rename(part, target)) {
            throw new IOException("spark: cannot rename " + part + " to " + target);
        }
        return target.toString();
    }
}
