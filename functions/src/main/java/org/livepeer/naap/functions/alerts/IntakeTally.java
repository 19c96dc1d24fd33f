package org.livepeer.naap.functions.alerts;

/**
 * Records received and rejected in one minute of ingest time, as counted by one subtask (several
 * tallies of one minute add up).
 */
public class IntakeTally {
    /** Start of the minute, epoch milliseconds of ingest time. */
    public long minute;

    public long received;
    public long rejected;

    public IntakeTally() {}

    public IntakeTally(long minute, long received, long rejected) {
        this.minute = minute;
        this.received = received;
        this.rejected = rejected;
    }

    @Override
    public String toString() {
        return "IntakeTally{" + minute + " received " + received + " rejected " + rejected + "}";
    }
}
