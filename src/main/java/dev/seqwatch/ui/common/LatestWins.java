package dev.seqwatch.ui.common;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * "Latest wins" for live controls (as MZmine's LatestTaskScheduler): the caller snapshots its
 * inputs and submits them; one computation runs at a time off the FX thread, inputs that were
 * overtaken while it ran are skipped, and a result is published only if no newer input arrived.
 */
public final class LatestWins<I, O> {
    private record Pending<I>(I input, long generation) {
    }

    private final Executor worker;
    private final Executor publisher;
    private final Function<I, O> compute;
    private final Consumer<O> publish;
    private final AtomicLong generation = new AtomicLong();
    private final AtomicReference<Pending<I>> pending = new AtomicReference<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    /**
     * @param worker    where {@code compute} runs (a single background thread in the app, the caller in tests)
     * @param publisher where {@code publish} runs ({@code Platform::runLater} in the app)
     */
    public LatestWins(Executor worker, Executor publisher, Function<I, O> compute, Consumer<O> publish) {
        this.worker = worker;
        this.publisher = publisher;
        this.compute = compute;
        this.publish = publish;
    }

    public void submit(I input) {
        pending.set(new Pending<>(input, generation.incrementAndGet()));
        if (draining.compareAndSet(false, true)) {
            worker.execute(this::drain);
        }
    }

    private void drain() {
        try {
            Pending<I> p;
            while ((p = pending.getAndSet(null)) != null) {
                O out = compute.apply(p.input());
                long g = p.generation();
                publisher.execute(() -> {
                    if (g == generation.get()) {
                        publish.accept(out);
                    }
                });
            }
        } finally {
            draining.set(false);
            if (pending.get() != null && draining.compareAndSet(false, true)) {
                worker.execute(this::drain);
            }
        }
    }
}
