package io.taskdeck.engine.internal;

import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.core.util.RecyclerPool;

import java.io.Serial;

/**
 * Jackson's buffers for an engine's mapper. Platform threads (producers calling trigger, the
 * server's request threads when they are platform threads, the dispatcher) keep theirs in a
 * thread-local, which costs nothing per call; virtual threads (one per attempt, each new) share
 * a pool, since a thread-local would give every run fresh buffers.
 */
public final class JsonBufferPool implements RecyclerPool<BufferRecycler> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final RecyclerPool<BufferRecycler> perThread = JsonRecyclerPools.threadLocalPool();
    private final RecyclerPool<BufferRecycler> shared = JsonRecyclerPools.newConcurrentDequePool();

    private RecyclerPool<BufferRecycler> forCurrentThread() {
        return Thread.currentThread().isVirtual() ? shared : perThread;
    }

    @Override
    public BufferRecycler acquireAndLinkPooled() {
        // Linked to the pool it came from, so it goes back there whichever thread releases it.
        return forCurrentThread().acquireAndLinkPooled();
    }

    @Override
    public BufferRecycler acquirePooled() {
        return forCurrentThread().acquirePooled();
    }

    @Override
    public void releasePooled(BufferRecycler recycler) {
        forCurrentThread().releasePooled(recycler);
    }

    @Override
    public boolean clear() {
        return shared.clear();
    }
}
