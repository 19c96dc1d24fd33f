package org.livepeer.naap.functions.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.livepeer.naap.schemas.output.CapabilityRow;

/**
 * The capability snapshots of one orchestrator in event-time order, so that a status sample or a
 * payment is attributed with the snapshot that was in force at its own time ({@link #at}), whatever
 * order the snapshots and the elements arrived in. A POJO, held in broadcast state by canonical
 * address ({@link Attribution#SNAPSHOT_HISTORY}).
 *
 * <p>A snapshot without hardware (it is optional) does not unsay the GPUs an earlier one listed:
 * the snapshot in force then carries the rows of the latest earlier one that lists hardware, as
 * {@link Attribution#store} does for the latest snapshot.
 *
 * <p>Bounded by {@link #prune}: every snapshot at or before the watermark but the last one is
 * folded into that one (which keeps the hardware it inherits), since an element the watermark has
 * not passed can only need the snapshot in force at the watermark or a later one.
 */
public class SnapshotHistory {
    /** By time, then event id. */
    public List<Attribution.OrchestratorSnapshot> snapshots = new ArrayList<>();

    public SnapshotHistory() {}

    /**
     * Adds {@code s} in its place; a snapshot already held (same time and event id) is not added
     * again.
     */
    public void add(Attribution.OrchestratorSnapshot s) {
        int i = snapshots.size();
        while (i > 0 && compare(snapshots.get(i - 1), s) > 0) {
            i--;
        }
        if (i > 0 && compare(snapshots.get(i - 1), s) == 0) {
            return;
        }
        snapshots.add(i, s);
    }

    private static int compare(
            Attribution.OrchestratorSnapshot a, Attribution.OrchestratorSnapshot b) {
        int c = Long.compare(a.time, b.time);
        if (c != 0) {
            return c;
        }
        return nz(a.eventId).compareTo(nz(b.eventId));
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /** The time of the latest snapshot; {@link Long#MIN_VALUE} when none. */
    public long latestTime() {
        return snapshots.isEmpty() ? Long.MIN_VALUE : snapshots.get(snapshots.size() - 1).time;
    }

    /**
     * The snapshot in force at {@code time}: the latest at or before it (with the hardware rows of
     * the latest earlier one that lists any, when it lists none); null when there is none, or when
     * it is more than {@code forgetAfterMs} older than {@code time} (the orchestrator is
     * forgotten).
     */
    public Attribution.OrchestratorSnapshot at(long time, long forgetAfterMs) {
        int i = snapshots.size() - 1;
        while (i >= 0 && snapshots.get(i).time > time) {
            i--;
        }
        if (i < 0) {
            return null;
        }
        Attribution.OrchestratorSnapshot s = snapshots.get(i);
        if (s.time + forgetAfterMs < time) {
            return null;
        }
        return withInheritedHardware(i);
    }

    private Attribution.OrchestratorSnapshot withInheritedHardware(int i) {
        Attribution.OrchestratorSnapshot s = snapshots.get(i);
        if (listsHardware(s.rows)) {
            return s;
        }
        for (int j = i - 1; j >= 0; j--) {
            List<CapabilityRow> rows = snapshots.get(j).rows;
            if (listsHardware(rows)) {
                Attribution.OrchestratorSnapshot kept = new Attribution.OrchestratorSnapshot();
                kept.eventId = s.eventId;
                kept.time = s.time;
                kept.address = s.address;
                kept.uri = s.uri;
                kept.hotWallet = s.hotWallet;
                kept.rows = rows;
                return kept;
            }
        }
        return s;
    }

    /** Folds every snapshot at or before {@code bound} into the last of them. */
    public void prune(long bound) {
        int last = -1;
        for (int i = 0; i < snapshots.size() && snapshots.get(i).time <= bound; i++) {
            last = i;
        }
        if (last <= 0) {
            return;
        }
        Attribution.OrchestratorSnapshot kept = withInheritedHardware(last);
        List<Attribution.OrchestratorSnapshot> rest = new ArrayList<>();
        rest.add(kept);
        rest.addAll(snapshots.subList(last + 1, snapshots.size()));
        snapshots = rest;
    }

    static boolean listsHardware(List<CapabilityRow> rows) {
        for (CapabilityRow r : rows) {
            if (r.gpuId != null) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SnapshotHistory h && Objects.equals(snapshots, h.snapshots);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(snapshots);
    }
}
