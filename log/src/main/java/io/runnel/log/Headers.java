package io.runnel.log;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * An immutable, ordered list of {@link Header}s; keys may repeat. Immutable and thread-safe.
 */
public final class Headers implements Iterable<Header> {
    private static final Headers EMPTY = new Headers(new Header[0]);
    private final Header[] headers;

    private Headers(Header[] headers) {
        this.headers = headers;
    }

    /** No headers. */
    public static Headers empty() {
        return EMPTY;
    }

    /** The given headers, in order. */
    public static Headers of(Header... headers) {
        for (Header h : headers) {
            if (h == null) {
                throw new IllegalArgumentException("headers must not contain null (omit the header instead)");
            }
        }
        return headers.length == 0 ? EMPTY : new Headers(headers.clone());
    }

    /** The given headers, in order. */
    public static Headers of(List<Header> headers) {
        return of(headers.toArray(new Header[0]));
    }

    /** A copy with {@code key=value} appended. */
    public Headers with(String key, byte[] value) {
        Header[] copy = Arrays.copyOf(headers, headers.length + 1);
        copy[headers.length] = new Header(key, value);
        return new Headers(copy);
    }

    /** The last header with {@code key}, or null. */
    public Header lastHeader(String key) {
        for (int i = headers.length - 1; i >= 0; i--) {
            if (headers[i].key().equals(key)) {
                return headers[i];
            }
        }
        return null;
    }

    /** Number of headers. */
    public int size() {
        return headers.length;
    }

    public boolean isEmpty() {
        return headers.length == 0;
    }

    /** The header at {@code index}. */
    public Header get(int index) {
        return headers[index];
    }

    /** The headers as an unmodifiable list. */
    public List<Header> asList() {
        return Collections.unmodifiableList(Arrays.asList(headers));
    }

    @Override
    public Iterator<Header> iterator() {
        return asList().iterator();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Headers h && Arrays.equals(headers, h.headers);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(headers);
    }

    @Override
    public String toString() {
        return new ArrayList<>(asList()).toString();
    }
}
