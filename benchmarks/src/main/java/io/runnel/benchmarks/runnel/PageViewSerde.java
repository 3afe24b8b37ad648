package io.runnel.benchmarks.runnel;

import io.runnel.benchmarks.data.PageView;
import io.runnel.benchmarks.data.PageViewCodec;
import io.runnel.log.Serde;
import io.runnel.log.SerializationException;

/**
 * Page views as the values of a Runnel log topic, in the bytes of {@link PageViewCodec} (the same
 * bytes Kafka's topic holds). Stateless and thread-safe.
 */
final class PageViewSerde implements Serde<PageView> {

    static final PageViewSerde INSTANCE = new PageViewSerde();

    private PageViewSerde() {}

    @Override
    public byte[] serialize(PageView value) {
        return value == null ? null : PageViewCodec.encode(value);
    }

    @Override
    public PageView deserialize(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return PageViewCodec.decode(bytes);
        } catch (IllegalArgumentException e) {
            throw new SerializationException(e.getMessage(), e);
        }
    }
}
