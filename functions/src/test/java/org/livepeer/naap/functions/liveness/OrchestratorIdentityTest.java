package org.livepeer.naap.functions.liveness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Resolution of orchestrator heartbeats to canonical node ids: bindings from capabilities entries,
 * holds released in event-time order, hot wallets that front several orchestrators, stand-in URI
 * ids and their aliases, session ends, and bounded state.
 *
 * <p>Every heartbeat here is built by hand as {@link Heartbeats} would build it. The function sets
 * {@link Heartbeat#nodeId} on the objects it is given, so expected values are always built afresh
 * (never taken from a heartbeat already sent).
 */
class OrchestratorIdentityTest extends LivenessTestBase {
    /** Canonical addresses. */
    private static final String A = "0xaaaa000000000000000000000000000000000001";

    private static final String B = "0xcccc000000000000000000000000000000000003";
    private static final String C = "0xffff000000000000000000000000000000000006";

    /** Hot wallets: HOT fronts A and B (case c); HOT_A only A; HOT_C only C. */
    private static final String HOT = "0xbbbb000000000000000000000000000000000002";

    private static final String HOT_A = "0xdddd000000000000000000000000000000000004";
    private static final String HOT_C = "0xeeee000000000000000000000000000000000005";

    private static final String URI_A = "https://orch-a.example:8935";
    private static final String URI_B = "https://orch-b.example:8935";
    private static final String URI_C = "https://orch-c.example:8935";
    private static final String URI_X = "https://orch-x.example:8935";

    private static final String NODE_A = "orchestrator:" + A;
    private static final String NODE_B = "orchestrator:" + B;
    private static final String NODE_C = "orchestrator:" + C;
    private static final String NODE_URI_X = "orchestrator_uri:" + URI_X;

    private static final String S1 = "stream-1|req-1";
    private static final String S2 = "stream-2|req-2";

    private static final long WAIT = 2 * MINUTE; // LivenessConfig.defaults().identityWait()

    private KeyedOneInputStreamOperatorTestHarness<String, Heartbeat, Heartbeat> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new OrchestratorIdentity(LivenessConfig.defaults())),
                        OrchestratorIdentity.keySelector(),
                        Types.STRING);
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    // --- heartbeats as Heartbeats makes them ---

    /** A network_capabilities entry relayed by gateway 1: binds address, URI and hot wallet. */
    private static Heartbeat caps(long t, String address, String uri, String hotWallet) {
        Heartbeat h =
                new Heartbeat(
                        "orchestrator:" + address,
                        Heartbeat.ORCHESTRATOR,
                        t,
                        "network_capabilities",
                        null,
                        CAPS_VIA_GW1,
                        null,
                        null);
        h.address = address;
        h.uri = uri;
        h.hotWallet = hotWallet;
        h.authoritative = true;
        return h;
    }

    /** An ai_stream_status sample: no node id, the address it names (often a hot wallet), URI. */
    private static Heartbeat status(long t, String address, String uri, String session) {
        Heartbeat h =
                new Heartbeat(
                        null,
                        Heartbeat.ORCHESTRATOR,
                        t,
                        "ai_stream_status",
                        "status",
                        STATUS_VIA_GW1,
                        session,
                        null);
        h.address = address;
        h.uri = uri;
        return h;
    }

    /** A job-processed: the orchestrator's own (canonical) address. */
    private static Heartbeat jobProcessed(long t, String address) {
        Heartbeat h =
                new Heartbeat(
                        "orchestrator:" + address,
                        Heartbeat.ORCHESTRATOR,
                        t,
                        "job-processed",
                        null,
                        "job-processed@" + GATEWAY,
                        null,
                        null);
        h.address = address;
        return h;
    }

    /** A session's close trace, as the orchestrator notice Heartbeats makes of it. */
    private static Heartbeat close(long t, String session) {
        return new Heartbeat(
                null,
                Heartbeat.ORCHESTRATOR,
                t,
                "stream_trace",
                "gateway_ingest_stream_closed",
                "stream_trace",
                session,
                Heartbeat.SESSION_END);
    }

    // --- what the function emits besides the heartbeats themselves ---

    /**
     * A SESSION_END notice as OrchestratorIdentity makes one: node, kind, time, session, signal.
     * ({@link #aliasResolved} of the base makes its other notice.)
     */
    private static Heartbeat sessionEndNotice(String nodeId, long t, String session) {
        Heartbeat h =
                new Heartbeat(nodeId, Heartbeat.ORCHESTRATOR, t, null, null, null, session, null);
        h.signal = Heartbeat.SESSION_END;
        return h;
    }

    /** Hands heartbeats to the function without moving the watermark. */
    private void feed(Heartbeat... beats) throws Exception {
        for (Heartbeat b : beats) {
            harness.processElement(new StreamRecord<>(b, b.eventTime));
        }
    }

    private List<Heartbeat> out() {
        return harness.extractOutputValues();
    }

    // --- a. resolution at once ---

    @Test
    void statusSampleOfABoundUriGoesOutAtOnceUnderTheCanonicalAddress() throws Exception {
        feed(caps(T0, A, URI_A, HOT_A));
        // Names the hot wallet and the URI; the URI was bound to A by the entry above.
        feed(status(T0 + 10 * SECOND, HOT_A, URI_A, S1));

        assertThat(out())
                .containsExactly(
                        caps(T0, A, URI_A, HOT_A),
                        status(T0 + 10 * SECOND, HOT_A, URI_A, S1).withNode(NODE_A));
    }

    @Test
    void statusSampleNamingOnlyACanonicalAddressOrOnlyItsHotWalletResolves() throws Exception {
        feed(caps(T0, A, URI_A, HOT_A));
        // No URI: A is canonical (listed by the entry); HOT_A fronts only A.
        feed(status(T0 + 10 * SECOND, A, null, S1), status(T0 + 20 * SECOND, HOT_A, null, S1));

        assertThat(out())
                .containsExactly(
                        caps(T0, A, URI_A, HOT_A),
                        status(T0 + 10 * SECOND, A, null, S1).withNode(NODE_A),
                        status(T0 + 20 * SECOND, HOT_A, null, S1).withNode(NODE_A));
    }

    // --- b. held until bound, released in event-time order ---

    @Test
    void samplesBeforeTheFirstSnapshotAreHeldThenReleasedInEventTimeOrderBeforeIt()
            throws Exception {
        // Arrival order +20 s, +5 s, +12 s: nothing has bound URI_A, so all three are held.
        feed(
                status(T0 + 20 * SECOND, HOT_A, URI_A, S1),
                status(T0 + 5 * SECOND, HOT_A, URI_A, S1),
                status(T0 + 12 * SECOND, HOT_A, URI_A, S1));
        harness.processWatermark(T0 + 20 * SECOND);
        assertThat(out()).isEmpty();

        // The entry binding URI_A to A releases them sorted by time (+5, +12, +20 s), each under
        // orchestrator:A, then passes itself on.
        feed(caps(T0 + 30 * SECOND, A, URI_A, HOT_A));

        assertThat(out())
                .containsExactly(
                        status(T0 + 5 * SECOND, HOT_A, URI_A, S1).withNode(NODE_A),
                        status(T0 + 12 * SECOND, HOT_A, URI_A, S1).withNode(NODE_A),
                        status(T0 + 20 * SECOND, HOT_A, URI_A, S1).withNode(NODE_A),
                        caps(T0 + 30 * SECOND, A, URI_A, HOT_A));

        // Nothing is left held: the hold's timer (first arrival +20 s plus 2 min) finds nothing.
        harness.processWatermark(T0 + 20 * SECOND + WAIT);
        assertThat(out()).hasSize(4);
    }

    // --- c. a hot wallet that fronts two orchestrators ---

    @Test
    void hotWalletFrontingTwoOrchestratorsIsNeverGuessed() throws Exception {
        // HOT fronts A and B; HOT_C fronts C alone.
        feed(
                caps(T0, A, URI_A, HOT),
                caps(T0 + 1 * SECOND, B, URI_B, HOT),
                caps(T0 + 2 * SECOND, C, URI_C, HOT_C));
        // Neither sample names a URI. HOT is ambiguous: held. HOT_C is C's alone: resolved.
        feed(status(T0 + 10 * SECOND, HOT, null, S1), status(T0 + 11 * SECOND, HOT_C, null, S2));

        assertThat(out())
                .containsExactly(
                        caps(T0, A, URI_A, HOT),
                        caps(T0 + 1 * SECOND, B, URI_B, HOT),
                        caps(T0 + 2 * SECOND, C, URI_C, HOT_C),
                        status(T0 + 11 * SECOND, HOT_C, null, S2).withNode(NODE_C));

        // More snapshots of A and B (still both behind HOT) do not release it either.
        feed(caps(T0 + 60 * SECOND, A, URI_A, HOT), caps(T0 + 61 * SECOND, B, URI_B, HOT));
        harness.processWatermark(T0 + 10 * SECOND + WAIT - 1);
        List<Heartbeat> all = out();
        assertThat(all).hasSize(6);
        assertThat(all).noneMatch(h -> S1.equals(h.sessionId));

        // What no snapshot resolves within the wait goes out under its own address (the javadoc:
        // "released under the URI, or its own address"): never as A's or B's.
        harness.processWatermark(T0 + 10 * SECOND + WAIT);
        assertThat(out().subList(6, out().size()))
                .containsExactly(
                        status(T0 + 10 * SECOND, HOT, null, S1).withNode("orchestrator:" + HOT));
    }

    @Test
    void givenUpHotWalletDoesNotCaptureSamplesOfAnUnboundUri() throws Exception {
        // HOT fronts A and B; a sample naming only HOT is given up after the wait and goes out as
        // orchestrator:<HOT> (as in the test above).
        feed(caps(T0, A, URI_A, HOT), caps(T0 + 1 * SECOND, B, URI_B, HOT));
        feed(status(T0 + 10 * SECOND, HOT, null, S1));
        harness.processWatermark(T0 + 10 * SECOND + WAIT);
        assertThat(out()).hasSize(3);

        // A third orchestrator C behind the same hot wallet starts a stream at +3 min, before its
        // first snapshot: the sample names URI_X (bound by nothing) and HOT (not a canonical
        // address: no snapshot lists it as one). It must be held for URI_X's snapshot ...
        feed(status(T0 + 3 * MINUTE, HOT, URI_X, S2));
        assertThat(out()).hasSize(3);

        // ... which binds URI_X to C at +3 min 30 s and releases it under orchestrator:C.
        feed(caps(T0 + 3 * MINUTE + 30 * SECOND, C, URI_X, HOT));
        assertThat(out().subList(3, out().size()))
                .containsExactly(
                        status(T0 + 3 * MINUTE, HOT, URI_X, S2).withNode(NODE_C),
                        caps(T0 + 3 * MINUTE + 30 * SECOND, C, URI_X, HOT));
    }

    // --- d. given up on: known by its URI, then an alias resolved ---

    @Test
    void unboundUriIsReleasedUnderItsUriAfterTheWaitAndResolvedLater() throws Exception {
        feed(status(T0, HOT_A, URI_X, S1));

        // Held until its first time plus 2 min.
        harness.processWatermark(T0 + WAIT - 1);
        assertThat(out()).isEmpty();
        harness.processWatermark(T0 + WAIT);
        assertThat(out()).containsExactly(status(T0, HOT_A, URI_X, S1).withNode(NODE_URI_X));

        // A later sample of that URI goes out at once under the URI id.
        feed(status(T0 + WAIT + 10 * SECOND, HOT_A, URI_X, S1));
        assertThat(out())
                .containsExactly(
                        status(T0, HOT_A, URI_X, S1).withNode(NODE_URI_X),
                        status(T0 + WAIT + 10 * SECOND, HOT_A, URI_X, S1).withNode(NODE_URI_X));

        // A snapshot binds URI_X to A at +2 min 30 s: the stand-in is resolved (a notice at the
        // entry's time), and the entry passes on.
        feed(caps(T0 + WAIT + 30 * SECOND, A, URI_X, HOT_A));
        // The next sample of S1 goes to orchestrator:A. S1 last ran on the stand-in, so the move
        // is a swap: a SESSION_END for the stand-in at the sample's time comes first (the
        // detector has already dropped the stand-in and ignores it).
        feed(status(T0 + WAIT + 40 * SECOND, HOT_A, URI_X, S1));

        assertThat(out())
                .containsExactly(
                        status(T0, HOT_A, URI_X, S1).withNode(NODE_URI_X),
                        status(T0 + WAIT + 10 * SECOND, HOT_A, URI_X, S1).withNode(NODE_URI_X),
                        aliasResolved(NODE_URI_X, T0 + WAIT + 30 * SECOND),
                        caps(T0 + WAIT + 30 * SECOND, A, URI_X, HOT_A),
                        sessionEndNotice(NODE_URI_X, T0 + WAIT + 40 * SECOND, S1),
                        status(T0 + WAIT + 40 * SECOND, HOT_A, URI_X, S1).withNode(NODE_A));
    }

    @Test
    void holdWaitsFromItsEarliestEventTime() throws Exception {
        // Out of order within a hold: +20 s arrives first, then +5 s. The earliest held sample is
        // +5 s, so the hold is given up at +5 s + 2 min = +125 s (the javadoc: what no snapshot
        // binds within identityWait of event time is released).
        feed(status(T0 + 20 * SECOND, HOT_A, URI_X, S1), status(T0 + 5 * SECOND, HOT_A, URI_X, S1));

        harness.processWatermark(T0 + 5 * SECOND + WAIT - 1);
        assertThat(out()).isEmpty();
        harness.processWatermark(T0 + 5 * SECOND + WAIT);
        assertThat(out())
                .containsExactly(
                        status(T0 + 5 * SECOND, HOT_A, URI_X, S1).withNode(NODE_URI_X),
                        status(T0 + 20 * SECOND, HOT_A, URI_X, S1).withNode(NODE_URI_X));
    }

    // --- e. job-processed of an unlisted address ---

    @Test
    void jobProcessedOfAnUnlistedAddressIsHeldUntilASnapshotListsIt() throws Exception {
        // A's job-processed at +10 s (held under A's address), then A's status sample at +5 s
        // (held under URI_A): neither is bound yet.
        feed(jobProcessed(T0 + 10 * SECOND, A), status(T0 + 5 * SECOND, HOT_A, URI_A, S1));
        assertThat(out()).isEmpty();

        // The entry listing A releases both holds, merged in time order (+5 s, +10 s), so the
        // job-processed cannot overtake the earlier status sample; then the entry itself.
        feed(caps(T0 + 20 * SECOND, A, URI_A, HOT_A));
        // A is now listed: a later job-processed goes straight through.
        feed(jobProcessed(T0 + 30 * SECOND, A));

        assertThat(out())
                .containsExactly(
                        status(T0 + 5 * SECOND, HOT_A, URI_A, S1).withNode(NODE_A),
                        jobProcessed(T0 + 10 * SECOND, A),
                        caps(T0 + 20 * SECOND, A, URI_A, HOT_A),
                        jobProcessed(T0 + 30 * SECOND, A));
    }

    // --- f. session ends ---

    @Test
    void closeTraceEndsTheSessionOnTheOrchestratorThatRanIt() throws Exception {
        feed(caps(T0, A, URI_A, HOT_A));
        feed(
                status(T0 + 10 * SECOND, HOT_A, URI_A, S1),
                status(T0 + 20 * SECOND, HOT_A, URI_A, S1));
        // The close trace carries no node id; S1 last ran on A.
        feed(close(T0 + 25 * SECOND, S1));
        // A second close of S1, and a close of a session never seen, say nothing.
        feed(close(T0 + 26 * SECOND, S1), close(T0 + 27 * SECOND, S2));

        assertThat(out())
                .containsExactly(
                        caps(T0, A, URI_A, HOT_A),
                        status(T0 + 10 * SECOND, HOT_A, URI_A, S1).withNode(NODE_A),
                        status(T0 + 20 * SECOND, HOT_A, URI_A, S1).withNode(NODE_A),
                        sessionEndNotice(NODE_A, T0 + 25 * SECOND, S1));
    }

    @Test
    void sessionSwappedToAnotherOrchestratorEndsOnTheFirstBeforeItsFirstSampleOnTheSecond()
            throws Exception {
        feed(caps(T0, A, URI_A, HOT_A), caps(T0 + 1 * SECOND, B, URI_B, HOT_C));
        // S1 on A at +10 and +20 s, then on B from +30 s.
        feed(
                status(T0 + 10 * SECOND, HOT_A, URI_A, S1),
                status(T0 + 20 * SECOND, HOT_A, URI_A, S1),
                status(T0 + 30 * SECOND, HOT_C, URI_B, S1));
        // Its close now ends it on B.
        feed(close(T0 + 40 * SECOND, S1));

        assertThat(out())
                .containsExactly(
                        caps(T0, A, URI_A, HOT_A),
                        caps(T0 + 1 * SECOND, B, URI_B, HOT_C),
                        status(T0 + 10 * SECOND, HOT_A, URI_A, S1).withNode(NODE_A),
                        status(T0 + 20 * SECOND, HOT_A, URI_A, S1).withNode(NODE_A),
                        sessionEndNotice(NODE_A, T0 + 30 * SECOND, S1),
                        status(T0 + 30 * SECOND, HOT_C, URI_B, S1).withNode(NODE_B),
                        sessionEndNotice(NODE_B, T0 + 40 * SECOND, S1));
    }

    // --- g. bounded state ---

    @Test
    void finalWatermarkReleasesEverythingHeldAndClearsState() throws Exception {
        // Nothing ever bound: a sample of URI_X, one of URI_B, a job-processed of C.
        feed(
                status(T0, HOT_A, URI_X, S1),
                status(T0 + 5 * SECOND, null, URI_B, S2),
                jobProcessed(T0 + 10 * SECOND, C));
        assertThat(out()).isEmpty();

        harness.processWatermark(Long.MAX_VALUE);

        // The first timer to fire (+2 min) sees the final watermark and releases every hold,
        // in order of hold key: "address:<C>" before "uri:<URI_B>" before "uri:<URI_X>"; a URI
        // hold under orchestrator_uri:<url>, an address hold under its own address.
        assertThat(out())
                .containsExactly(
                        jobProcessed(T0 + 10 * SECOND, C),
                        status(T0 + 5 * SECOND, null, URI_B, S2)
                                .withNode("orchestrator_uri:" + URI_B),
                        status(T0, HOT_A, URI_X, S1).withNode(NODE_URI_X));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void bindingsAndSessionsAreForgottenByTheSweep() throws Exception {
        // The first heartbeat (at T0) schedules the sweep at T0 + 10 min, then every 10 min while
        // anything is kept.
        feed(caps(T0, A, URI_A, HOT_A), status(T0 + 10 * SECOND, HOT_A, URI_A, S1));
        assertThat(out()).hasSize(2);

        // Sweep at +20 min: S1 (last sample +10 s) is more than 10 min old and goes. The bindings
        // (confirmed at T0) stay while not older than 1 h: at +60 min, T0 is not before T0.
        harness.processWatermark(T0 + 60 * MINUTE);
        assertThat(harness.numKeyedStateEntries()).isPositive();
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        // Sweep at +70 min forgets what is older than +10 min: A, URI_A and HOT_A (all at T0)
        // go. Nothing is kept, so no further sweep is scheduled, and no state is left.
        harness.processWatermark(T0 + 70 * MINUTE);
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(out()).hasSize(2);
    }

    @Test
    void hotWalletConfirmedAfterItsAddressIsForgottenToo() throws Exception {
        // A's entry at T0 binds A, URI_A, HOT_A (all at T0; the sweep at +10 min, then every 10).
        feed(caps(T0, A, URI_A, HOT_A));
        // An entry for A without its hot wallet at +9 min 30 s refreshes A and URI_A (more than
        // 1 min since T0) to +9:30.
        feed(caps(T0 + 9 * MINUTE + 30 * SECOND, A, URI_A, null));
        // With the hot wallet again at +10 min 10 s: A and URI_A were refreshed 40 s ago (less
        // than 1 min: not rewritten), HOT_A 10 min 10 s ago: rewritten to +10:10.
        feed(caps(T0 + 10 * MINUTE + 10 * SECOND, A, URI_A, HOT_A));

        // Sweep at +70 min forgets before +10 min: A and URI_A (+9:30) go, HOT_A (+10:10) stays,
        // so the next sweep (+80 min) must still be pending.
        harness.processWatermark(T0 + 70 * MINUTE);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        // Sweep at +80 min forgets before +20 min: HOT_A (+10:10) goes. Nothing is left.
        harness.processWatermark(T0 + 80 * MINUTE);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }
}
