package io.runnel.log;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.Pool;
import java.util.List;
import java.util.Objects;

/**
 * A Kryo serde for POJOs and Java records. Registration is required: only the target class and
 * the classes passed to {@link #of} (plus Kryo's built-ins: primitives, boxed primitives,
 * String) may appear in values, and their ids come from the registration order, so bytes stay
 * readable across restarts as long as the same classes are registered in the same order. Never
 * instantiates unregistered classes from input (no arbitrary deserialization).
 *
 * <p>Thread-safe: Kryo instances and buffers come from a pool.
 *
 * @param <T> the value type
 */
public final class KryoSerde<T> implements Serde<T> {
    private final Class<T> type;
    private final List<Class<?>> registered;
    private final Pool<Kryo> kryos;
    private final Pool<Output> outputs;
    private final Pool<Input> inputs;

    private KryoSerde(Class<T> type, List<Class<?>> registered) {
        this.type = type;
        this.registered = registered;
        int threads = Math.max(4, Runtime.getRuntime().availableProcessors() * 2);
        this.kryos = new Pool<>(true, false, threads) {
            @Override
            protected Kryo create() {
                Kryo kryo = new Kryo();
                kryo.setRegistrationRequired(true);
                kryo.setReferences(false);
                kryo.register(type);
                for (Class<?> c : KryoSerde.this.registered) {
                    kryo.register(c);
                }
                return kryo;
            }
        };
        this.outputs = new Pool<>(true, false, threads) {
            @Override
            protected Output create() {
                return new Output(256, -1);
            }
        };
        this.inputs = new Pool<>(true, false, threads) {
            @Override
            protected Input create() {
                return new Input();
            }
        };
    }

    /**
     * A serde for {@code type}; {@code registered} lists every other class that can occur inside
     * values (nested types, collection classes such as {@code java.util.ArrayList}, enums).
     */
    public static <T> KryoSerde<T> of(Class<T> type, Class<?>... registered) {
        Objects.requireNonNull(type, "type");
        for (Class<?> c : registered) {
            Objects.requireNonNull(c, "registered class");
        }
        return new KryoSerde<>(type, List.of(registered));
    }

    @Override
    public byte[] serialize(T value) {
        if (value == null) {
            return null;
        }
        Kryo kryo = kryos.obtain();
        Output out = outputs.obtain();
        try {
            out.reset();
            kryo.writeObject(out, value);
            return out.toBytes();
        } catch (KryoException | IllegalArgumentException e) {
            throw new SerializationException("cannot serialize " + value.getClass().getName() + " with KryoSerde of "
                    + type.getName() + ": " + e.getMessage() + " (register the missing class in KryoSerde.of)", e);
        } finally {
            outputs.free(out);
            kryos.free(kryo);
        }
    }

    @Override
    public T deserialize(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        Kryo kryo = kryos.obtain();
        Input in = inputs.obtain();
        try {
            in.setBuffer(bytes);
            T value = kryo.readObject(in, type);
            if (in.position() != bytes.length) {
                throw new SerializationException("KryoSerde of " + type.getName() + " read " + in.position() + " of "
                        + bytes.length + " bytes (written with other registrations or another type?)");
            }
            return value;
        } catch (KryoException | IllegalArgumentException | IndexOutOfBoundsException | NegativeArraySizeException e) {
            throw new SerializationException("cannot deserialize " + bytes.length + " bytes as " + type.getName()
                    + ": " + e.getMessage() + " (were they written with the same registered classes, in the same order?)",
                    e);
        } finally {
            in.setBuffer(new byte[0]);
            inputs.free(in);
            kryos.free(kryo);
        }
    }
}
