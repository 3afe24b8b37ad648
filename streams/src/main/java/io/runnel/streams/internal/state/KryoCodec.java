package io.runnel.streams.internal.state;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * Serializes operator state for checkpoints with Kryo: class names are written with the data (no
 * registration), so any plain class, record or collection works, and state survives restarts as long
 * as the classes keep their names and fields. Not thread-safe: one per task thread.
 */
public final class KryoCodec {

    private final Kryo kryo;
    private final Output output = new Output(4096, -1);

    public KryoCodec() {
        kryo = new Kryo();
        kryo.setRegistrationRequired(false);
        kryo.setReferences(true);
        // Use no-arg constructors where they exist, and objenesis otherwise (records, user classes).
        kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
    }

    public Kryo kryo() {
        return kryo;
    }

    /** An output reset for a new blob; call {@link #finish()} to take its bytes. */
    public Output begin() {
        output.reset();
        return output;
    }

    public byte[] finish() {
        return output.toBytes();
    }

    public Input input(byte[] bytes) {
        return new Input(bytes);
    }

    /** Serializes one object (with its class) into bytes. */
    public byte[] toBytes(Object value) {
        Output out = begin();
        kryo.writeClassAndObject(out, value);
        return finish();
    }

    /** Reads one object written by {@link #toBytes}. */
    public Object fromBytes(byte[] bytes) {
        return kryo.readClassAndObject(new Input(bytes));
    }
}
