package io.runnel.log;

/** Batch compression, recorded in each batch's attributes so readers need no configuration. */
public enum Compression {
    NONE(0), LZ4(1), ZSTD(2);

    private final int id;

    Compression(int id) {
        this.id = id;
    }

    /** The id stored in the batch attributes (bits 0-2). */
    public int id() {
        return id;
    }
}
