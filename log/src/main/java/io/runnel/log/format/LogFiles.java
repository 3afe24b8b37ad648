package io.runnel.log.format;

import java.nio.file.Path;

/**
 * Owns every file name and suffix of a log directory, and the rule for topic and group names
 * (they become file names); docs/FORMAT.md describes the layout. Public for tools that read log
 * directories (dump, checks); the log itself is the only writer of these files.
 */
public final class LogFiles {
    private LogFiles() {
    }

    public static final String LOG_SUFFIX = ".log";
    public static final String INDEX_SUFFIX = ".index";
    public static final String TIME_INDEX_SUFFIX = ".timeindex";
    /** A file being written; never trusted, deleted at open. */
    public static final String TMP_SUFFIX = ".tmp";
    /** A compacted segment complete on disk, about to replace the originals; finished at open. */
    public static final String SWAP_SUFFIX = ".swap";
    /** A topic directory being deleted; removed at open. */
    public static final String DELETED_SUFFIX = ".deleted";
    public static final String LOCK_FILE = ".lock";
    public static final String GROUPS_DIR = ".groups";
    public static final String OFFSETS_SUFFIX = ".offsets";
    public static final String PREVIOUS_SUFFIX = ".prev";
    public static final String TOPIC_FILE = "topic.properties";
    public static final String RECOVERY_POINT_FILE = "recovery-point";
    /** A partition's acknowledged end, shared by its owner with read-only views (docs/FORMAT.md). */
    public static final String VISIBLE_END_FILE = "visible-end";
    /** Idempotent producers' state as of the offset in the name (docs/FORMAT.md). */
    public static final String SNAPSHOT_SUFFIX = ".snapshot";
    /** The single producer-state file of pre-release logs; replaced by snapshot files, deleted at open. */
    public static final String LEGACY_PRODUCER_STATE_FILE = "producer-state";

    public static String baseName(long baseOffset) {
        return String.format("%020d", baseOffset);
    }

    public static Path logFile(Path partitionDir, long baseOffset) {
        return partitionDir.resolve(baseName(baseOffset) + LOG_SUFFIX);
    }

    public static Path indexFile(Path partitionDir, long baseOffset) {
        return partitionDir.resolve(baseName(baseOffset) + INDEX_SUFFIX);
    }

    public static Path timeIndexFile(Path partitionDir, long baseOffset) {
        return partitionDir.resolve(baseName(baseOffset) + TIME_INDEX_SUFFIX);
    }

    public static Path snapshotFile(Path partitionDir, long asOfOffset) {
        return partitionDir.resolve(baseName(asOfOffset) + SNAPSHOT_SUFFIX);
    }

    public static Path partitionDir(Path logDir, String topic, int partition) {
        return logDir.resolve(topic).resolve(Integer.toString(partition));
    }

    public static Path tmp(Path file) {
        return file.resolveSibling(file.getFileName() + TMP_SUFFIX);
    }

    public static Path swap(Path file) {
        return file.resolveSibling(file.getFileName() + SWAP_SUFFIX);
    }

    /** The base offset of a file named {@code <20 digits><suffix>}, or -1 if the name is not of that form. */
    public static long parseBaseOffset(Path file, String suffix) {
        String n = file.getFileName().toString();
        if (n.length() != 20 + suffix.length() || !n.endsWith(suffix)) {
            return -1;
        }
        for (int i = 0; i < 20; i++) {
            if (!Character.isDigit(n.charAt(i))) {
                return -1;
            }
        }
        try {
            return Long.parseLong(n.substring(0, 20));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public static boolean hasSuffix(Path file, String suffix) {
        return file.getFileName().toString().endsWith(suffix);
    }

    /**
     * Checks a topic or group name: 1 to 200 characters from {@code [A-Za-z0-9._-]}, not starting
     * with {@code .} (names become file names; dot-names are the log's own).
     *
     * @param what what the name is, for the message ("topic name", "groupId")
     * @throws IllegalArgumentException naming the value and the rule
     */
    public static void checkName(String what, String name) {
        if (name == null || name.isEmpty() || name.length() > 200 || name.charAt(0) == '.'
                || !name.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                        || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')) {
            throw new IllegalArgumentException(what + " '" + name + "' is not valid: use 1 to 200 characters from"
                    + " [A-Za-z0-9._-], not starting with '.'");
        }
    }
}
