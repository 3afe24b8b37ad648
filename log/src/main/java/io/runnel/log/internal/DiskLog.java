package io.runnel.log.internal;

import io.runnel.log.Log;
import io.runnel.log.LogConfig;
import java.nio.file.Path;

/** The file-backed {@link Log}. Under construction: the public API lands first. */
public final class DiskLog {
    private DiskLog() {
    }

    public static Log open(Path dir, LogConfig config, boolean readOnly) {
        throw new UnsupportedOperationException("the log implementation is not built yet (issue 2)");
    }
}
