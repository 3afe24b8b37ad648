package io.runnel.streams.internal.state;

import io.runnel.streams.JobConfig;

/**
 * Keys are hashed into {@value JobConfig#MAX_PARALLELISM} key groups, the unit in which keyed state
 * is stored and moved: task {@code t} of {@code p} owns the contiguous range of groups {@code g} with
 * {@code g * p / MAX == t}, so a job restarts with another parallelism by reassigning whole groups.
 * The group of a key depends only on its {@code hashCode} (an enum's on its name), which must
 * therefore be the same in every JVM.
 */
public final class KeyGroups {

    public static final int COUNT = JobConfig.MAX_PARALLELISM;
    private static final int MASK = COUNT - 1;

    private KeyGroups() {
    }

    /**
     * The hash of {@code key} that is the same in every JVM (so it may be stored): its
     * {@code hashCode}, but an enum's is its name's (an enum's own {@code hashCode} is its identity).
     */
    public static int hash(Object key) {
        return key instanceof Enum<?> e ? e.name().hashCode() : key.hashCode();
    }

    /** The key group of {@code key} (0..COUNT-1). */
    public static int of(Object key) {
        int h = hash(key);
        // murmur3 fmix32: spreads keys whose hash codes differ only in high bits (boxed longs, records)
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h & MASK;
    }

    /** The task (0..parallelism-1) that owns {@code keyGroup}. */
    public static int owner(int keyGroup, int parallelism) {
        return keyGroup * parallelism / COUNT;
    }

    /** First key group task {@code task} of {@code parallelism} owns. */
    public static int rangeStart(int task, int parallelism) {
        return (task * COUNT + parallelism - 1) / parallelism;
    }

    /** One past the last key group task {@code task} of {@code parallelism} owns. */
    public static int rangeEnd(int task, int parallelism) {
        return ((task + 1) * COUNT + parallelism - 1) / parallelism;
    }

    /**
     * Throws if keys of {@code type} use {@code Object.hashCode} (identity: different in every JVM, so
     * state would be lost on restart and keys would be split between tasks), or are records with a
     * component whose hash is not stable (an enum, an array, such a type), checked through nested records.
     */
    public static void checkStableHash(Class<?> type) {
        checkStableHash(type, type.getName(), false, new java.util.HashSet<>());
    }

    /** {@code component}: {@code type} is a record component at {@code path}; {@code seen}: records checked on this path's way. */
    private static void checkStableHash(Class<?> type, String path, boolean component, java.util.Set<Class<?>> seen) {
        if (type.isArray()) {
            throw new IllegalArgumentException("keys must not be or contain arrays (" + path
                    + "): their hashCode is identity-based; key by a String, a number or a record instead");
        }
        if (component && (type == Object.class || type.isInterface()
                || java.lang.reflect.Modifier.isAbstract(type.getModifiers()))) {
            return; // what it holds is known only at run time
        }
        if (type.isEnum() || type.isPrimitive()) {
            if (type.isEnum() && component) {
                throw new IllegalArgumentException("key component " + path + " is an enum (" + type.getName()
                        + "): an enum's hashCode differs between JVMs, so a record holding one would lose its state on"
                        + " restart; put the enum's name() (a String) in the key instead");
            }
            return;
        }
        try {
            if (type.getMethod("hashCode").getDeclaringClass() == Object.class) {
                throw new IllegalArgumentException("keys of type " + path + " have no hashCode of their own: "
                        + "identity hash codes differ between JVMs, so state would not survive a restart; "
                        + "key by a String, a number or a record, or implement equals and hashCode");
            }
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("every class has hashCode", e);
        }
        if (type.isRecord() && seen.add(type)) { // a record that holds its own type is checked once
            for (java.lang.reflect.RecordComponent c : type.getRecordComponents()) {
                checkStableHash(c.getType(), path + "." + c.getName(), true, seen);
            }
        }
    }
}
