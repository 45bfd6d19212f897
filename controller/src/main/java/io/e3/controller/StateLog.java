package io.e3.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The controller's durable state: an append-only log of JSON lines, each forced to disk ({@code fsync}) before the
 * change it records is acknowledged.
 *
 * <p>Why a log and not an embedded database: the controller writes rarely (an apply, a placement, a migration), reads
 * everything once at start, and needs nothing but "the last word on each app"; a log of self-describing JSON lines is
 * all of that, can be read with {@code cat}, needs no schema migrations, and adds no dependency. Compaction rewrites
 * the log as the current state into a temporary file, forces it, and renames it over the log atomically, so a crash
 * at any point leaves either the old log or the new one. A torn last record (a crash mid-append: the file does not
 * end in a newline) is cut off with a warning when the log is opened, as write-ahead logs do, so the next append
 * starts on a line of its own; it was never acknowledged, since an append returns only once its whole line is on disk.
 */
public final class StateLog implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private FileChannel channel;

    public StateLog(Path file) {
        this.file = file;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            dropTornTail(file);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("state log " + file + ": " + e.getMessage(), e);
        }
    }

    /** Cuts {@code file} back to its last complete line if it does not end in a newline; returns the bytes cut. */
    static long dropTornTail(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = c.size();
            long end = size;
            ByteBuffer one = ByteBuffer.allocate(1);
            while (end > 0) {
                one.clear();
                c.read(one, end - 1);
                if (one.get(0) == '\n') {
                    break;
                }
                end--;
            }
            if (end == size) {
                return 0;
            }
            c.truncate(end);
            c.force(true);
            org.jboss.logging.Logger.getLogger(StateLog.class).warnf(
                    "state log %s: dropped a torn last record of %d bytes (a write cut off by a crash; never "
                            + "acknowledged)", file, size - end);
            return size - end;
        }
    }

    /** Every record in order; a last line that is not complete JSON (a torn write) is skipped. */
    public synchronized List<ObjectNode> replay() {
        List<ObjectNode> out = new ArrayList<>();
        List<String> all;
        try {
            all = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("state log " + file + ": " + e.getMessage(), e);
        }
        for (int i = 0; i < all.size(); i++) {
            String line = all.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode n = JSON.readTree(line);
                if (n instanceof ObjectNode o) {
                    out.add(o);
                }
            } catch (IOException e) {
                if (i != all.size() - 1) {
                    throw new IllegalStateException(file + ":" + (i + 1) + ": corrupt record: " + e.getMessage());
                }
            }
        }
        return out;
    }

    /** Appends a record and forces it to disk before returning. */
    public synchronized void append(ObjectNode record) {
        byte[] bytes = (record.toString() + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                channel.write(b);
            }
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("state log " + file + ": " + e.getMessage(), e);
        }
    }

    /** Replaces the log with {@code records} (the current state), atomically. */
    public synchronized void compact(List<ObjectNode> records) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (ObjectNode r : records) {
                ByteBuffer b = ByteBuffer.wrap((r.toString() + "\n").getBytes(StandardCharsets.UTF_8));
                while (b.hasRemaining()) {
                    out.write(b);
                }
            }
            out.force(true);
            channel.close();
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("state log " + file + ": compaction: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
