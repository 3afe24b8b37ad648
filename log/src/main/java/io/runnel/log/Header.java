package io.runnel.log;

import java.util.Arrays;
import java.util.Objects;

/**
 * A record header: a UTF-8 string key and an opaque value ({@code null} allowed). The value array
 * is not copied; do not modify it after handing it over.
 *
 * @param key   header key, not null
 * @param value header value, may be null
 */
public record Header(String key, byte[] value) {

    public Header {
        Objects.requireNonNull(key, "header key");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Header h && key.equals(h.key) && Arrays.equals(value, h.value);
    }

    @Override
    public int hashCode() {
        return 31 * key.hashCode() + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "Header[" + key + ", " + (value == null ? "null" : value.length + " bytes") + "]";
    }
}
