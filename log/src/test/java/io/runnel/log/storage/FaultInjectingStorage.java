package io.runnel.log.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * An in-memory disk with POSIX durability semantics and injectable faults, for tests.
 *
 * <ul>
 *   <li>File data survives {@link #crash} only once forced; unforced writes may be kept, dropped,
 *       torn at 512 B or 4 KiB boundaries, or applied out of order.</li>
 *   <li>Directory entries (create, rename, delete) survive only once their directory is forced;
 *       at a crash a random prefix of each directory's unforced changes survives.</li>
 *   <li>{@link #failForces}, {@link #failNthForce}, {@link #setDiskFull}, {@link #failNthWrite}
 *       inject EIO and ENOSPC.</li>
 *   <li>Every write, force, directory force, rename and delete is recorded in order; tests add
 *       their acknowledgements with {@link #recordAck} to check ack-after-force ordering.</li>
 * </ul>
 * Thread-safe (one lock).
 */
public final class FaultInjectingStorage implements Storage {

    /** What happened, in order. */
    public enum Kind { WRITE, FORCE, DIR_FORCE, CREATE, RENAME, DELETE, TRUNCATE, ACK, FORCE_FAILED }

    /** One recorded operation. {@code a}/{@code b}: position and length for writes; offset for acks. */
    public record Event(long seq, Kind kind, Path path, long a, long b, String note) {
    }

    private static final class Inode {
        byte[] durable = new byte[0];
        byte[] current = new byte[0];
        final List<long[]> pendingWrites = new ArrayList<>(); // {pos, len, truncateTo(-1)} in order
        final List<byte[]> pendingData = new ArrayList<>();
    }

    private static final class Dir {
        final Map<String, Object> current = new LinkedHashMap<>(); // Inode or Dir
        final Map<String, Object> durable = new LinkedHashMap<>();
        final List<Object[]> pending = new ArrayList<>(); // {"put", name, entry} | {"remove", name} | {"rename", from, to, entry}
    }

    private final Dir root;
    private final Set<Path> locks = new HashSet<>();
    private final List<Event> events = new ArrayList<>();
    private boolean recording;
    private long seq;
    private volatile boolean failForces;
    private int forceCountdown = -1;
    private int writeCountdown = -1;
    private volatile boolean diskFull;
    private volatile java.util.concurrent.CountDownLatch forceGate;
    private final java.util.concurrent.atomic.AtomicInteger heldForces = new java.util.concurrent.atomic.AtomicInteger();
    private long forces;
    private long writes;
    private long operations;
    private long crashAtOperation = -1;
    private Random crashRandom;
    private Runnable onCrash;
    private FaultInjectingStorage crashed;

    public FaultInjectingStorage() {
        this(new Dir());
    }

    private FaultInjectingStorage(Dir root) {
        this.root = root;
    }

    // ---- faults and recording ----

    /** While true every force fails with an injected EIO. */
    public void failForces(boolean fail) {
        this.failForces = fail;
    }

    /** The {@code n}th force from now (1 = the next) fails with EIO, and every later one too. */
    public synchronized void failNthForce(int n) {
        this.forceCountdown = n;
    }

    /** The {@code n}th write from now (1 = the next) fails with EIO (only that one). */
    public synchronized void failNthWrite(int n) {
        this.writeCountdown = n;
    }

    /** Makes every force wait until {@code gate} opens (a slow disk), or null for no waiting. */
    public void holdForces(java.util.concurrent.CountDownLatch gate) {
        this.forceGate = gate;
    }

    /** Forces waiting at the gate of {@link #holdForces} right now. */
    public int heldForces() {
        return heldForces.get();
    }

    /** While true every write fails with an injected ENOSPC, nothing written. */
    public void setDiskFull(boolean full) {
        this.diskFull = full;
    }

    public synchronized long forceCount() {
        return forces;
    }

    public synchronized long writeCount() {
        return writes;
    }

    public synchronized void record(boolean on) {
        this.recording = on;
    }

    public synchronized List<Event> events() {
        return new ArrayList<>(events);
    }

    /** Adds an acknowledgement to the event order (call it from the ack callback). */
    public synchronized void recordAck(Path file, long offset, String note) {
        if (recording) {
            events.add(new Event(seq++, Kind.ACK, file, offset, 0, note));
        }
    }

    /**
     * Cuts the power at the {@code n}th operation from now (write, force, directory change): the
     * disk state right after that operation becomes {@link #crashed()}; {@code onCrash}
     * runs at that moment under this storage's lock. The storage itself keeps working.
     */
    public synchronized void crashAtOperation(long n, Random rnd, Runnable onCrash) {
        this.crashAtOperation = operations + n;
        this.crashRandom = rnd;
        this.onCrash = onCrash;
    }

    /** The disk state cut by {@link #crashAtOperation}, or null if that operation was not reached. */
    public synchronized FaultInjectingStorage crashed() {
        return crashed;
    }

    public synchronized long operationCount() {
        return operations;
    }

    private void event(Kind k, Path p, long a, long b) {
        event(k, p, a, b, null);
    }

    private void event(Kind k, Path p, long a, long b, String note) {
        operations++;
        if (operations == crashAtOperation && crashed == null) {
            crashed = crash(crashRandom);
            if (onCrash != null) {
                onCrash.run();
            }
        }
        if (recording) {
            events.add(new Event(seq++, k, p, a, b, note));
        }
    }

    // ---- tree ----

    private static List<String> parts(Path p) {
        Path n = p.toAbsolutePath().normalize();
        List<String> out = new ArrayList<>();
        for (Path c : n) {
            out.add(c.toString());
        }
        return out;
    }

    private Dir dir(Path p, boolean create) throws IOException {
        Dir d = root;
        for (String name : parts(p)) {
            Object e = d.current.get(name);
            if (e == null) {
                if (!create) {
                    throw new NoSuchFileException(p.toString());
                }
                Dir nd = new Dir();
                d.current.put(name, nd);
                d.pending.add(new Object[] {"put", name, nd});
                e = nd;
            }
            if (!(e instanceof Dir)) {
                throw new FileAlreadyExistsException(p + " is a file");
            }
            d = (Dir) e;
        }
        return d;
    }

    private Object lookup(Path p) {
        Path parent = p.toAbsolutePath().normalize().getParent();
        try {
            Dir d = parent == null ? root : dir(parent, false);
            return d.current.get(p.getFileName().toString());
        } catch (IOException e) {
            return null;
        }
    }

    // ---- Storage ----

    @Override
    public synchronized StorageFile openRead(Path file) throws IOException {
        Object e = lookup(file);
        if (!(e instanceof Inode)) {
            throw new NoSuchFileException(file.toString());
        }
        return new Handle(file, (Inode) e);
    }

    @Override
    public synchronized StorageFile openWrite(Path file) throws IOException {
        Object e = lookup(file);
        if (e instanceof Dir) {
            throw new IOException(file + " is a directory");
        }
        if (e == null) {
            Dir d = dir(file.toAbsolutePath().normalize().getParent(), false);
            Inode n = new Inode();
            String name = file.getFileName().toString();
            d.current.put(name, n);
            d.pending.add(new Object[] {"put", name, n});
            event(Kind.CREATE, file, 0, 0);
            e = n;
        }
        return new Handle(file, (Inode) e);
    }

    @Override
    public synchronized void rename(Path from, Path to) throws IOException {
        Path fp = from.toAbsolutePath().normalize().getParent();
        Path tp = to.toAbsolutePath().normalize().getParent();
        Dir fd = dir(fp, false);
        Object e = fd.current.get(from.getFileName().toString());
        if (e == null) {
            throw new NoSuchFileException(from.toString());
        }
        Dir td = dir(tp, false);
        fd.current.remove(from.getFileName().toString());
        td.current.put(to.getFileName().toString(), e);
        if (fd == td) {
            fd.pending.add(new Object[] {"rename", from.getFileName().toString(), to.getFileName().toString(), e});
        } else {
            fd.pending.add(new Object[] {"remove", from.getFileName().toString()});
            td.pending.add(new Object[] {"put", to.getFileName().toString(), e});
        }
        event(Kind.RENAME, to, 0, 0);
    }

    @Override
    public synchronized void delete(Path path) throws IOException {
        Object e = lookup(path);
        if (e == null) {
            return;
        }
        if (e instanceof Dir d && !d.current.isEmpty()) {
            throw new IOException("directory not empty: " + path);
        }
        Dir parent = dir(path.toAbsolutePath().normalize().getParent(), false);
        parent.current.remove(path.getFileName().toString());
        parent.pending.add(new Object[] {"remove", path.getFileName().toString()});
        event(Kind.DELETE, path, 0, 0);
    }

    @Override
    public synchronized List<Path> list(Path dirPath) throws IOException {
        Dir d;
        try {
            d = dir(dirPath, false);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        for (String n : d.current.keySet()) {
            out.add(dirPath.resolve(n));
        }
        return out;
    }

    @Override
    public synchronized void createDirectories(Path dirPath) throws IOException {
        dir(dirPath, true);
    }

    @Override
    public synchronized void forceDirectory(Path dirPath) throws IOException {
        Dir d = dir(dirPath, false);
        if (failForces || tickForce()) {
            event(Kind.FORCE_FAILED, dirPath, 0, 0, Thread.currentThread().getName());
            throw new IOException("Input/output error (injected on directory force of " + dirPath + ")");
        }
        apply(d, d.pending.size());
        event(Kind.DIR_FORCE, dirPath, 0, 0);
    }

    private static void apply(Dir d, int n) {
        for (int i = 0; i < n; i++) {
            Object[] op = d.pending.get(i);
            switch ((String) op[0]) {
                case "put" -> d.durable.put((String) op[1], op[2]);
                case "remove" -> d.durable.remove((String) op[1]);
                default -> {
                    d.durable.remove((String) op[1]);
                    d.durable.put((String) op[2], op[3]);
                }
            }
        }
        d.pending.subList(0, n).clear();
    }

    @Override
    public synchronized boolean exists(Path path) {
        if (parts(path).isEmpty()) {
            return true;
        }
        return lookup(path) != null;
    }

    @Override
    public synchronized boolean isDirectory(Path path) {
        return parts(path).isEmpty() || lookup(path) instanceof Dir;
    }

    @Override
    public synchronized long size(Path file) throws IOException {
        Object e = lookup(file);
        if (!(e instanceof Inode)) {
            throw new NoSuchFileException(file.toString());
        }
        return ((Inode) e).current.length;
    }

    @Override
    public synchronized Closeable tryLock(Path lockFile) throws IOException {
        Path p = lockFile.toAbsolutePath().normalize();
        if (!locks.add(p)) {
            return null;
        }
        openWrite(p).close();
        return () -> {
            synchronized (FaultInjectingStorage.this) {
                locks.remove(p);
            }
        };
    }

    private boolean tickForce() {
        forces++;
        if (forceCountdown > 0) {
            forceCountdown--;
            if (forceCountdown == 0) {
                failForces = true;
                return true;
            }
        }
        return false;
    }

    // ---- crash ----

    /**
     * The disk as a power cut at this moment could leave it: forced data and directory entries,
     * plus a random subset of the unforced ones (writes possibly torn at 512 B / 4 KiB or
     * reordered; for each directory a random prefix of its unforced entry changes). The returned
     * storage has no locks held and nothing pending.
     */
    public synchronized FaultInjectingStorage crash(Random rnd) {
        Map<Inode, Inode> copies = new java.util.IdentityHashMap<>();
        Dir r = crashDir(root, rnd, copies);
        return new FaultInjectingStorage(r);
    }

    /** The disk after a crash that loses nothing the kernel had (a process kill): everything current survives. */
    public synchronized FaultInjectingStorage processCrash() {
        Map<Object, Object> copies = new java.util.IdentityHashMap<>();
        return new FaultInjectingStorage((Dir) copyCurrent(root, copies));
    }

    private static Object copyCurrent(Object e, Map<Object, Object> copies) {
        Object c = copies.get(e);
        if (c != null) {
            return c;
        }
        if (e instanceof Inode in) {
            Inode n = new Inode();
            n.current = in.current.clone();
            n.durable = in.current.clone();
            copies.put(e, n);
            return n;
        }
        Dir d = (Dir) e;
        Dir n = new Dir();
        copies.put(e, n);
        for (Map.Entry<String, Object> en : d.current.entrySet()) {
            Object child = copyCurrent(en.getValue(), copies);
            n.current.put(en.getKey(), child);
            n.durable.put(en.getKey(), child);
        }
        return n;
    }

    private Dir crashDir(Dir d, Random rnd, Map<Inode, Inode> copies) {
        // Durable entries plus a random prefix of the pending changes.
        Map<String, Object> entries = new LinkedHashMap<>(d.durable);
        int keep = d.pending.isEmpty() ? 0 : rnd.nextInt(d.pending.size() + 1);
        for (int i = 0; i < keep; i++) {
            Object[] op = d.pending.get(i);
            switch ((String) op[0]) {
                case "put" -> entries.put((String) op[1], op[2]);
                case "remove" -> entries.remove((String) op[1]);
                default -> {
                    entries.remove((String) op[1]);
                    entries.put((String) op[2], op[3]);
                }
            }
        }
        Dir n = new Dir();
        for (Map.Entry<String, Object> e : entries.entrySet()) {
            Object child;
            if (e.getValue() instanceof Dir cd) {
                child = crashDir(cd, rnd, copies);
            } else {
                Inode in = (Inode) e.getValue();
                Inode c = copies.get(in);
                if (c == null) {
                    c = crashInode(in, rnd);
                    copies.put(in, c);
                }
                child = c;
            }
            n.current.put(e.getKey(), child);
            n.durable.put(e.getKey(), child);
        }
        return n;
    }

    private static Inode crashInode(Inode in, Random rnd) {
        byte[] content = in.durable.clone();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < in.pendingWrites.size(); i++) {
            order.add(i);
        }
        if (rnd.nextInt(4) == 0) {
            Collections.shuffle(order, rnd); // reordered writeback
        }
        for (int i : order) {
            long[] w = in.pendingWrites.get(i);
            int mode = rnd.nextInt(4); // 0 drop, 1 keep, 2 tear at 512, 3 tear at 4096
            if (w[2] >= 0) { // truncate
                if (mode != 0) {
                    content = Arrays.copyOf(content, (int) w[2]);
                }
                continue;
            }
            if (mode == 0) {
                continue;
            }
            byte[] data = in.pendingData.get(i);
            int len = data.length;
            if (mode >= 2) {
                // Sectors are written whole or not at all: keep the first k sectors the write touches.
                long sector = mode == 2 ? 512 : 4096;
                long pos = w[0];
                long first = pos / sector;
                long touched = (pos + len + sector - 1) / sector - first;
                long k = rnd.nextInt((int) touched + 1);
                len = (int) Math.max(0, Math.min(len, (first + k) * sector - pos));
            }
            int end = (int) w[0] + len;
            if (end > content.length) {
                content = Arrays.copyOf(content, end);
            }
            System.arraycopy(data, 0, content, (int) w[0], len);
        }
        Inode n = new Inode();
        n.durable = content;
        n.current = content.clone();
        return n;
    }

    /** A path on the in-memory disk. */
    public static Path path(String p) {
        return Paths.get(p);
    }

    private final class Handle implements StorageFile {
        private final Path path;
        private final Inode inode;
        private boolean closed;

        Handle(Path path, Inode inode) {
            this.path = path;
            this.inode = inode;
        }

        private void check() throws IOException {
            if (closed) {
                throw new ClosedChannelException();
            }
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            synchronized (FaultInjectingStorage.this) {
                check();
                byte[] c = inode.current;
                if (position >= c.length) {
                    return 0;
                }
                int n = (int) Math.min(dst.remaining(), c.length - position);
                dst.put(c, (int) position, n);
                return n;
            }
        }

        @Override
        public void write(ByteBuffer src, long position) throws IOException {
            synchronized (FaultInjectingStorage.this) {
                check();
                writes++;
                if (writeCountdown > 0 && --writeCountdown == 0) {
                    throw new IOException("Input/output error (injected on write to " + path + ")");
                }
                if (diskFull) {
                    throw new IOException("No space left on device (injected on write to " + path + ")");
                }
                byte[] data = new byte[src.remaining()];
                src.get(data);
                int end = (int) position + data.length;
                if (end > inode.current.length) {
                    inode.current = Arrays.copyOf(inode.current, Math.max(end, inode.current.length));
                }
                System.arraycopy(data, 0, inode.current, (int) position, data.length);
                inode.pendingWrites.add(new long[] {position, data.length, -1});
                inode.pendingData.add(data);
                event(Kind.WRITE, path, position, data.length);
            }
        }

        @Override
        public void force() throws IOException {
            java.util.concurrent.CountDownLatch gate = forceGate;
            if (gate != null) {
                heldForces.incrementAndGet();
                try {
                    gate.await(); // outside the lock: readers and the test keep going
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while a force was held");
                } finally {
                    heldForces.decrementAndGet();
                }
            }
            synchronized (FaultInjectingStorage.this) {
                check();
                if (failForces || tickForce()) {
                    event(Kind.FORCE_FAILED, path, 0, 0, Thread.currentThread().getName());
                    throw new IOException("Input/output error (injected on force of " + path + ")");
                }
                inode.durable = inode.current.clone();
                inode.pendingWrites.clear();
                inode.pendingData.clear();
                event(Kind.FORCE, path, inode.current.length, 0);
            }
        }

        @Override
        public void truncate(long size) throws IOException {
            synchronized (FaultInjectingStorage.this) {
                check();
                if (size < inode.current.length) {
                    inode.current = Arrays.copyOf(inode.current, (int) size);
                    inode.pendingWrites.add(new long[] {0, 0, size});
                    inode.pendingData.add(null);
                    event(Kind.TRUNCATE, path, size, 0);
                }
            }
        }

        @Override
        public long size() throws IOException {
            synchronized (FaultInjectingStorage.this) {
                check();
                return inode.current.length;
            }
        }

        @Override
        public void close() {
            synchronized (FaultInjectingStorage.this) {
                closed = true;
            }
        }
    }

    /** Direct access for damage tests: the current bytes of {@code file}. */
    public synchronized byte[] contents(Path file) throws IOException {
        Object e = lookup(file);
        if (!(e instanceof Inode)) {
            throw new NoSuchFileException(file.toString());
        }
        return ((Inode) e).current.clone();
    }
}
