package org.livepeer.naap.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.livepeer.naap.workload.Network.LiveModel;
import org.livepeer.naap.workload.Network.Orchestrator;
import org.livepeer.naap.workload.Planner.Plan;
import org.livepeer.naap.workload.SessionScript.Builder;
import org.livepeer.naap.workload.SessionScript.Ingest;
import org.livepeer.naap.workload.SessionScript.Payment;
import org.livepeer.naap.workload.SessionScript.SignedTicket;
import org.livepeer.naap.workload.SessionScript.Status;

/**
 * Turns a session {@link Plan} into its script: the lifecycle traces, status samples every ~10 s,
 * ingest samples every 5 s, payments every ~20 s and the events of its outcome class, with
 * realistic delays. Everything is drawn from the plan's own random stream.
 */
final class RandomSessions {
    static final long PAYMENT_INTERVAL_MS = 20_000;

    static final String[] RUNNER_FAILURES = {
        "pipeline failed to load: CUDA out of memory",
        "runner container exited unexpectedly (exit code 137)",
        "inference error: tensor shape mismatch",
        "model load timeout after 120s"
    };
    static final String[] GATEWAY_FAILURES = {
        "failed to start stream on orchestrator: 503 Service Unavailable",
        "orchestrator rejected request: insufficient capacity",
        "timeout waiting for first processed segment"
    };
    static final String[] MIDSTREAM_ERRORS = {
        "inference queue full: dropping frames", "frame decode error: invalid NAL unit"
    };
    static final String[] EXCUSABLE_MESSAGES = {
        "whip disconnected",
        "WHIP disconnected",
        "ingest error: whip disconnected",
        "ICE connection state failed",
        "webrtc: ICE connection state failed",
        "User disconnected",
        "mediamtx ingest disconnected",
        "Missing video"
    };
    static final String[] SWAP_REASONS = {
        "orchestrator stopped sending segments",
        "segment upload failed: 502 Bad Gateway",
        "orchestrator latency too high"
    };
    static final String[] PROMPTS = {
        "a cyberpunk city at night, neon lights",
        "watercolor portrait, soft light",
        "studio ghibli style landscape",
        "anime character, vibrant colors",
        "oil painting of a stormy sea",
        "pixel art, 16-bit"
    };

    private enum Mode {
        NORMAL,
        LOADING,
        ZERO_FPS
    }

    /** One runner serving the stream. */
    private static final class Segment {
        final Orchestrator o;
        final long from;
        long runnerRecv;
        long runnerIngest;
        long runnerOut = Long.MAX_VALUE;
        final List<long[]> restarts = new ArrayList<>();
        final List<Object[]> errors = new ArrayList<>();

        Segment(Orchestrator o, long from) {
            this.o = o;
            this.from = from;
        }
    }

    /** A prompt update: the gateway event, when the runner applied it, and its reload. */
    private record Update(
            long at,
            long apply,
            long reloadMs,
            long lastFrameBefore,
            JsonNode params,
            String hash) {}

    private RandomSessions() {}

    static SessionScript script(Plan p) {
        SplittableRandom r = p.rng;
        LiveModel model = p.model != null ? p.model : Network.pickModel(r);
        Builder b =
                SessionScript.builder(p.streamId, p.requestId, p.gateway, model.name(), p.outcome);
        b.trace(p.start, SessionScript.REQUEST, null);
        switch (p.outcome) {
            case NO_ORCHESTRATORS:
                noOrchestrators(b, p, r);
                break;
            case EXCUSABLE_FAILURE:
                excusable(b, p, r, model);
                break;
            case UNEXCUSED_FAILURE:
                unexcused(b, p, r, model);
                break;
            default:
                streaming(b, p, r, model);
                break;
        }
        if (p.cutAt != Long.MAX_VALUE) {
            b.cut(p.cutAt, p.cut);
        }
        return b.build();
    }

    private static void noOrchestrators(Builder b, Plan p, SplittableRandom r) {
        long at = p.start + (long) ((p.end - p.start) * (0.2 + 0.4 * r.nextDouble()));
        b.trace(at, SessionScript.NO_ORCHESTRATORS, null);
        if (r.nextDouble() < 0.7) {
            b.error(at, "no orchestrators available", null, false);
        }
        b.close(p.end);
    }

    private static void excusable(Builder b, Plan p, SplittableRandom r, LiveModel m) {
        long t0 = p.start;
        long end = p.end;
        Orchestrator o = null;
        if (r.nextDouble() < 0.6) {
            o = p.first;
            long sel = t0 + 100 + r.nextLong(Math.max(1, Math.min(800, (end - t0) / 3)));
            payments(b, p, r, o, m, sel + 20, sel + 21);
            b.trace(sel + 50, SessionScript.SEND_FIRST_INGEST, o);
        }
        int n = r.nextDouble() < 0.3 ? 2 : 1;
        for (int i = 0; i < n; i++) {
            long at = t0 + 300 + r.nextLong(Math.max(1, end - t0 - 350));
            b.error(at, pick(r, EXCUSABLE_MESSAGES), o, false);
        }
        ingestSamples(b, p, r, t0, end);
        b.close(end);
    }

    private static void unexcused(Builder b, Plan p, SplittableRandom r, LiveModel m) {
        long t0 = p.start;
        long end = p.end;
        Orchestrator o = p.first;
        long sel = t0 + 120 + r.nextLong(780);
        long send = sel + 50 + r.nextLong(350);
        b.trace(send, SessionScript.SEND_FIRST_INGEST, o);
        if (r.nextDouble() < 0.7) {
            payments(b, p, r, o, m, sel + 20 + r.nextLong(180), end);
            long recv = send + 30 + r.nextLong(120);
            long ingest = recv + 50 + r.nextLong(250);
            b.runnerTrace(recv, SessionScript.RUNNER_REQUEST, o);
            b.runnerTrace(ingest, SessionScript.RUNNER_FIRST_INGEST, o);
            long failAt = ingest + (long) ((end - ingest) * (0.3 + 0.5 * r.nextDouble()));
            String failure = pick(r, RUNNER_FAILURES);
            b.error(failAt, failure, o, true);
            if (r.nextDouble() < 0.5) {
                b.error(
                        Math.min(end - 1, failAt + 200 + r.nextLong(800)),
                        pick(r, GATEWAY_FAILURES),
                        o,
                        false);
            }
            double inputFps = inputFps(r);
            String hash = Ids.hex(r, 32);
            JsonNode params = params(r);
            Long prev = null;
            String prevState = null;
            Long stateSince = null;
            for (long ts = t0 + 3000 + r.nextLong(5000);
                    ts < end;
                    ts += 10_000 + r.nextLong(-300, 301)) {
                Status st = new Status(ts, o);
                st.state = ts < failAt ? "LOADING" : "ERROR";
                st.fps = 0.0;
                st.inputFps = jiggle(r, inputFps, 0.01);
                st.startTime = recv;
                st.lastInputTime = ts - 1 - r.nextLong(40);
                st.paramsHash = hash;
                st.paramsUpdateTime = recv;
                st.lastParams = prev == null ? params : null;
                if (ts >= failAt) {
                    st.lastError = failure;
                    st.lastErrorTime = failAt;
                }
                if (!st.state.equals(prevState)) {
                    stateSince = prev == null ? recv : Math.max(prev + 1, ts - r.nextLong(5000));
                }
                st.lastStateUpdateTime = stateSince;
                st.lastStatusTimestamp = prev;
                b.status(st);
                prev = ts;
                prevState = st.state;
            }
        } else {
            payments(b, p, r, o, m, sel + 20 + r.nextLong(180), sel + 400);
            long at = Math.min(end - 100, send + 500 + r.nextLong(2500));
            b.error(at, pick(r, GATEWAY_FAILURES), o, false);
        }
        ingestSamples(b, p, r, t0, end);
        b.close(end);
    }

    private static void streaming(Builder b, Plan p, SplittableRandom r, LiveModel m) {
        long t0 = p.start;
        long genEnd = p.cutAt == Long.MAX_VALUE ? p.end : Math.min(p.end, p.cutAt + 1);
        boolean closes = p.cut == SessionScript.Cut.NONE;
        Mode mode =
                p.outcome == Outcome.LOADING_ONLY
                        ? Mode.LOADING
                        : p.outcome == Outcome.ZERO_OUTPUT_FPS ? Mode.ZERO_FPS : Mode.NORMAL;
        Orchestrator o1 = p.first;
        long sel = t0 + 120 + r.nextLong(780);
        long send = sel + 50 + r.nextLong(350);
        b.trace(send, SessionScript.SEND_FIRST_INGEST, o1);
        boolean swap = p.second != null;
        long firstEnd = swap ? p.swapAt : genEnd;
        payments(b, p, r, o1, m, sel + 20 + r.nextLong(180), firstEnd);

        List<Segment> segs = new ArrayList<>();
        Segment s1 = runner(b, r, o1, m, t0, send);
        segs.add(s1);
        long firstProcessed = s1.runnerOut + 80 + r.nextLong(320);
        long few = firstProcessed + 400 + r.nextLong(1400);
        b.trace(firstProcessed, SessionScript.FIRST_PROCESSED, o1);
        b.trace(few, SessionScript.FEW_PROCESSED, o1);

        if (swap) {
            Orchestrator o2 = p.second;
            if (p.outcome == Outcome.CONFIRMED_SWAP) {
                if (r.nextDouble() < 0.5) {
                    b.error(p.swapAt - 200 - r.nextLong(1300), pick(r, SWAP_REASONS), o1, false);
                }
                b.swap(p.swapAt, o2, "swapping orchestrator: " + pick(r, SWAP_REASONS));
            }
            payments(b, p, r, o2, m, p.swapAt + 50 + r.nextLong(250), genEnd);
            segs.add(runner(b, r, o2, m, p.swapAt, p.swapAt + 100 + r.nextLong(300)));
        }

        long busyFrom = few + 5000;
        long busyTo = Math.min(genEnd, p.cutAt) - 12_000;
        List<Update> updates = new ArrayList<>();
        if (p.outcome == Outcome.PROMPT_UPDATES && busyTo > busyFrom) {
            int k = 1 + r.nextInt(4);
            long slot = (busyTo - busyFrom) / k;
            while (k > 1 && slot < 12_000) {
                k--;
                slot = (busyTo - busyFrom) / k;
            }
            for (int j = 0; j < k; j++) {
                long at = busyFrom + j * slot + r.nextLong(Math.max(1, slot - 10_000));
                long apply = at + 20 + r.nextLong(180);
                long reload = 300 + r.nextLong(2200);
                Update u =
                        new Update(
                                at,
                                apply,
                                reload,
                                apply - 5 - r.nextLong(55),
                                params(r),
                                Ids.hex(r, 32));
                updates.add(u);
                b.paramsUpdate(at, u.params(), segmentAt(segs, at).o);
            }
        }
        boolean extras =
                mode == Mode.NORMAL
                        && p.outcome != Outcome.ORCHESTRATOR_DIES
                        && p.outcome != Outcome.GATEWAY_SILENT;
        if (extras && busyTo > busyFrom + 10_000 && r.nextDouble() < 0.12) {
            long at = busyFrom + 5000 + r.nextLong(busyTo - busyFrom - 5000);
            Segment s = segmentAt(segs, at);
            s.restarts.add(new long[] {at, s.restarts.size() + 1L});
            b.restart(
                    at,
                    s.restarts.size(),
                    List.of("runner restarted: watchdog timeout", "reloading pipeline " + m.name()),
                    s.o);
        }
        if (extras && busyTo > busyFrom + 10_000 && r.nextDouble() < 0.08) {
            long at = busyFrom + 5000 + r.nextLong(busyTo - busyFrom - 5000);
            Segment s = segmentAt(segs, at);
            String msg = pick(r, MIDSTREAM_ERRORS);
            s.errors.add(new Object[] {at, msg});
            b.error(at, msg, s.o, true);
        }

        statusSamples(b, r, m, t0, genEnd, segs, updates, mode, params(r), Ids.hex(r, 32));
        ingestSamples(b, p, r, t0, genEnd);
        if (closes) {
            if (r.nextDouble() < 0.3) {
                b.error(p.end, "whip disconnected", null, false);
            }
            b.close(p.end);
        }
    }

    /** The runner traces of one segment; the runner clock applies to their timestamps. */
    private static Segment runner(
            Builder b, SplittableRandom r, Orchestrator o, LiveModel m, long from, long send) {
        Segment s = new Segment(o, from);
        s.runnerRecv = send + 30 + r.nextLong(120);
        s.runnerIngest = s.runnerRecv + 50 + r.nextLong(250);
        s.runnerOut = s.runnerIngest + (long) (m.warmupMs() * (0.5 + r.nextDouble()));
        b.runnerTrace(s.runnerRecv, SessionScript.RUNNER_REQUEST, o);
        b.runnerTrace(s.runnerIngest, SessionScript.RUNNER_FIRST_INGEST, o);
        b.runnerTrace(s.runnerOut, SessionScript.RUNNER_FIRST_PROCESSED, o);
        return s;
    }

    private static Segment segmentAt(List<Segment> segs, long t) {
        Segment s = segs.get(0);
        for (Segment x : segs) {
            if (x.from <= t) {
                s = x;
            }
        }
        return s;
    }

    private static void statusSamples(
            Builder b,
            SplittableRandom r,
            LiveModel m,
            long t0,
            long end,
            List<Segment> segs,
            List<Update> updates,
            Mode mode,
            JsonNode initialParams,
            String initialHash) {
        double inputFps = inputFps(r);
        Long prev = null;
        Segment prevSeg = null;
        String prevState = null;
        Long stateSince = null;
        String sentParams = null;
        int loggedRestarts = 0;
        for (long ts = t0 + 3000 + r.nextLong(5000);
                ts < end;
                ts += 10_000 + r.nextLong(-300, 301)) {
            Segment seg = segmentAt(segs, ts);
            if (seg != prevSeg) {
                loggedRestarts = 0;
            }
            Status st = new Status(ts, seg.o);
            st.startTime = seg.runnerRecv;
            double base = m.baseFps() * seg.o.offer(m.name()).speed();
            double in = jiggle(r, inputFps, 0.01);
            Update reloading = null;
            for (Update u : updates) {
                if (ts >= u.apply() && ts < u.apply() + u.reloadMs()) {
                    reloading = u;
                }
            }
            if (mode == Mode.LOADING || ts < seg.runnerOut + 300) {
                st.state = "LOADING";
                st.fps = 0.0;
            } else if (mode == Mode.ZERO_FPS) {
                st.state = "ONLINE";
                st.fps = 0.0;
                st.lastOutputTime = seg.runnerOut;
            } else if (reloading != null) {
                st.state = "ONLINE";
                st.fps = jiggle(r, base * 0.5, 0.05);
                st.lastOutputTime = reloading.lastFrameBefore();
            } else {
                double x = r.nextDouble();
                double fps = jiggle(r, base, 0.05);
                if (x < 0.04) {
                    st.state = "DEGRADED_INPUT";
                    in *= 0.5;
                    fps *= 0.85;
                } else if (x < 0.07) {
                    st.state = "DEGRADED_INFERENCE";
                    fps *= 0.5;
                } else {
                    st.state = "ONLINE";
                }
                // Output frames come from input frames: never more of them.
                st.fps = Math.min(fps, in * (0.97 + 0.02 * r.nextDouble()));
                st.lastOutputTime = ts - 5 - r.nextLong(75);
            }
            st.inputFps = in;
            st.lastInputTime = ts - 1 - r.nextLong(40);
            Update current = null;
            for (Update u : updates) {
                if (u.apply() <= ts) {
                    current = u;
                }
            }
            st.paramsHash = current == null ? initialHash : current.hash();
            st.paramsUpdateTime =
                    current != null && current.apply() >= seg.runnerRecv
                            ? current.apply()
                            : seg.runnerRecv;
            String key = st.paramsHash + "@" + st.paramsUpdateTime;
            if (!key.equals(sentParams)) {
                st.lastParams = current == null ? initialParams : current.params();
                sentParams = key;
            }
            for (long[] rs : seg.restarts) {
                if (rs[0] <= ts) {
                    st.restartCount = (int) rs[1];
                    st.lastRestartTime = rs[0];
                }
            }
            if (st.restartCount > loggedRestarts) {
                ArrayNode logs = Json.arr();
                logs.add("runner restarted: watchdog timeout");
                st.lastRestartLogs = logs;
                loggedRestarts = st.restartCount;
            }
            for (Object[] e : seg.errors) {
                if ((long) e[0] <= ts) {
                    st.lastError = (String) e[1];
                    st.lastErrorTime = (long) e[0];
                }
            }
            if (seg != prevSeg || !st.state.equals(prevState)) {
                stateSince =
                        prev == null || seg != prevSeg
                                ? seg.runnerRecv
                                : Math.max(prev + 1, ts - r.nextLong(5000));
            }
            st.lastStateUpdateTime = stateSince;
            st.lastStatusTimestamp = prev;
            b.status(st);
            prev = ts;
            prevSeg = seg;
            prevState = st.state;
        }
    }

    /** WHIP ingest samples every 5 s with cumulative counters (reset once in some sessions). */
    private static void ingestSamples(
            Builder b, Plan p, SplittableRandom r, long from, long until) {
        double upBps = 1.2e6 + r.nextDouble() * 2.3e6;
        double downFraction = 0.003 + 0.017 * r.nextDouble();
        boolean badNetwork = r.nextDouble() < 0.1;
        double jitterBase = badNetwork ? 60 + 40 * r.nextDouble() : 3 + 17 * r.nextDouble();
        double rttMs = 15 + 105 * r.nextDouble();
        boolean hasRtt = r.nextDouble() < 0.8;
        double latencyBase = p.gateway.fillsLatency ? 0.2 + r.nextDouble() : 0;
        long resetAt =
                until - from > 60_000 && r.nextDouble() < 0.1
                        ? from + (long) ((until - from) * (0.3 + 0.5 * r.nextDouble()))
                        : Long.MAX_VALUE;
        long received = 0;
        long sent = 0;
        long packets = 0;
        long lost = 0;
        long audio = 0;
        long prev = from;
        for (long t = from + 5000 + r.nextLong(40); t < until; t += 5000 + r.nextLong(-20, 21)) {
            long dt = t - prev;
            if (prev < resetAt && t >= resetAt) {
                received = 0;
                sent = 0;
                packets = 0;
                lost = 0;
                audio = 0;
                dt = t - resetAt;
            }
            double rate = Math.max(0.2 * upBps, jiggle(r, upBps, 0.12));
            long bytes = (long) (rate * dt / 8000);
            received += bytes;
            sent += (long) (bytes * downFraction);
            long pk = bytes / 1150;
            packets += pk;
            double lossPct =
                    badNetwork
                            ? 2.1 + 2 * r.nextDouble()
                            : r.nextDouble() < 0.05 ? 0.1 + 1.4 * r.nextDouble() : 0.0;
            lost += Math.round(pk * lossPct / 100);
            audio += dt / 20;
            Ingest in = new Ingest(t);
            in.bytesReceived = received;
            in.bytesSent = sent;
            in.packetsReceived = packets;
            in.packetsLost = lost;
            in.packetLossPct = lossPct;
            in.jitterMs = jitterBase * Math.exp(0.3 * Planner.gaussian(r));
            in.rttNs = hasRtt ? (long) (rttMs * (1 + 0.1 * Planner.gaussian(r)) * 1e6) : 0;
            in.lastInputTs = Math.round((t - from) * 1.0) / 1000.0;
            in.latencyS = latencyBase > 0 ? Math.max(0.05, jiggle(r, latencyBase, 0.2)) : 0.0;
            in.lastOutputTs =
                    in.latencyS > 0
                            ? Math.round((in.lastInputTs - in.latencyS) * 1000) / 1000.0
                            : 0.0;
            in.audioPacketsReceived = audio;
            in.audioJitterMs = 5 + 25 * r.nextDouble();
            b.ingest(in);
            prev = t;
        }
    }

    /** One payment session with an orchestrator: the first carries the request id. */
    private static void payments(
            Builder b,
            Plan p,
            SplittableRandom r,
            Orchestrator o,
            LiveModel m,
            long first,
            long until) {
        String sessionId = Ids.hex(r, 8);
        String manifest = Ids.hex(r, 16);
        BigInteger face =
                BigInteger.valueOf(2_400_000L + r.nextInt(1_000_000))
                        .multiply(BigInteger.valueOf(1_000_000_000L));
        Network.ModelOffer offer = o.offer(m.name());
        BigDecimal price = new BigDecimal(offer.pricePerPixel());
        BigInteger balance = BigInteger.valueOf(50_000_000_000_000L + r.nextInt(1_000_000));
        long prev = first - PAYMENT_INTERVAL_MS;
        int seq = 0;
        for (long t = first; t < until; t += PAYMENT_INTERVAL_MS + r.nextLong(-2000, 2001)) {
            boolean isFirst = seq == 0;
            long pixels = (long) (512L * 512L * m.baseFps() * (t - prev) / 1000.0);
            BigDecimal ev = price.multiply(BigDecimal.valueOf(pixels));
            BigDecimal winProb = ev.divide(new BigDecimal(face), 10, RoundingMode.HALF_UP);
            if (winProb.signum() == 0) {
                winProb = new BigDecimal("0.0000000001");
            }
            b.payment(
                    new Payment(
                            t,
                            o,
                            sessionId,
                            isFirst ? p.requestId : "",
                            isFirst ? Network.LIVE_CAPABILITY + "_" + m.name() : manifest,
                            face,
                            winProb.toPlainString(),
                            offer.pricePerPixel(),
                            1 + r.nextInt(3)));
            if (p.gateway.remoteSigner) {
                BigInteger fee = ev.toBigInteger();
                balance = balance.subtract(fee);
                b.signedTicket(
                        new SignedTicket(
                                t + 5 + r.nextLong(25),
                                o,
                                sessionId,
                                isFirst,
                                manifest,
                                prev,
                                pixels,
                                fee,
                                balance,
                                seq,
                                Ids.hex(r, 16)));
            }
            prev = t;
            seq++;
        }
    }

    static ObjectNode params(SplittableRandom r) {
        ObjectNode p = Json.obj();
        p.put("prompt", pick(r, PROMPTS));
        p.put("negative_prompt", "blurry, low quality");
        p.put("seed", r.nextInt(1_000_000));
        p.put("guidance_scale", 1.0 + r.nextInt(10) / 10.0);
        ArrayNode t = p.putArray("t_index_list");
        t.add(10).add(20).add(30);
        p.put("width", 512);
        p.put("height", 512);
        return p;
    }

    private static double inputFps(SplittableRandom r) {
        double[] rates = {30.0, 29.97, 24.0, 15.0};
        return rates[r.nextInt(rates.length)];
    }

    private static double jiggle(SplittableRandom r, double v, double sigma) {
        return Math.max(0.1, v * (1 + sigma * Planner.gaussian(r)));
    }

    static String pick(SplittableRandom r, String[] xs) {
        return xs[r.nextInt(xs.length)];
    }
}
