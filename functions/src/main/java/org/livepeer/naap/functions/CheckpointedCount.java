package org.livepeer.naap.functions;

import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;

/**
 * A count of what one operator subtask holds right now (sessions open, nodes down), for a gauge,
 * kept in operator state so that it survives a restart.
 *
 * <p>The operator moves it in step with its keyed state ({@code +1} when a session opens, {@code
 * -1} when it ends); a checkpoint stores each subtask's count as one entry of a list state, taken
 * at the same moment as the keyed state. On restore each subtask sums the entries it gets: without
 * rescaling its own count back; after rescaling the entries are spread over the new subtasks while
 * the keys go where their key groups go, so one subtask's count no longer matches its own keys, but
 * the sum over all subtasks (what a dashboard shows) is still exact, and every later change lands
 * on the subtask that now holds the key. A job restored from a savepoint taken before an operator
 * kept its count starts that count at 0.
 *
 * <p>Written by the task thread only, read by the metric reporter's thread: a volatile long.
 */
public final class CheckpointedCount {
    private final ListState<Long> state;
    private volatile long value;

    private CheckpointedCount(ListState<Long> state, long value) {
        this.state = state;
        this.value = value;
    }

    /**
     * The count of {@code name} (also the name of its operator state), restored from the last
     * checkpoint when there is one; call from {@code initializeState}.
     */
    public static CheckpointedCount restore(FunctionInitializationContext context, String name)
            throws Exception {
        ListState<Long> state =
                context.getOperatorStateStore()
                        .getListState(new ListStateDescriptor<>(name, Types.LONG));
        long sum = 0;
        if (context.isRestored()) {
            for (Long v : state.get()) {
                sum += v == null ? 0 : v;
            }
        }
        return new CheckpointedCount(state, sum);
    }

    /** Call from {@code snapshotState}. */
    public void snapshot() throws Exception {
        state.update(List.of(value));
    }

    public void increment() {
        value = value + 1;
    }

    public void decrement() {
        value = value - 1;
    }

    public long get() {
        return value;
    }
}
