package org.livepeer.naap.schemas.family;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code stream_ingest_metrics}: WHIP ingest statistics every 5 s. Required: {@code stats} (an
 * object). Units as sent: byte counters cumulative, {@code jitter} in ms, {@code rtt} in ns, {@code
 * latency} in seconds.
 *
 * @param trackStats null when {@code track_stats} is absent or null
 */
public record StreamIngestMetrics(
        String streamId,
        String requestId,
        String pipelineId,
        Long timestamp,
        PeerConnStats peerConnStats,
        List<TrackStats> trackStats,
        String connQuality)
        implements SessionPayload {

    /** {@code stats.peer_conn_stats}. */
    public record PeerConnStats(String id, Long bytesReceived, Long bytesSent) {}

    /** One {@code stats.track_stats[]} entry; {@code warnings} as text (JSON unless a string). */
    public record TrackStats(
            String type,
            Double jitter,
            Long packetsLost,
            Long packetsReceived,
            Double packetLossPct,
            Double rtt,
            Double lastInputTs,
            Double lastOutputTs,
            Double latency,
            String warnings) {}

    /** The first track of {@code type} ({@code video}, {@code audio}); null when none. */
    public TrackStats track(String type) {
        if (trackStats != null) {
            for (TrackStats t : trackStats) {
                if (type.equals(t.type())) {
                    return t;
                }
            }
        }
        return null;
    }

    static StreamIngestMetrics read(JsonNode data) {
        String p = Read.ROOT;
        Read.requireObject(data, p);
        JsonNode stats = Read.requiredObject(data, "stats", p);
        String sp = Read.path(p, "stats");
        return new StreamIngestMetrics(
                Read.text(data, "stream_id", p),
                Read.text(data, "request_id", p),
                Read.text(data, "pipeline_id", p),
                Read.time(data, "timestamp", p),
                peer(stats, sp),
                tracks(stats, sp),
                Read.text(stats, "conn_quality", sp));
    }

    private static PeerConnStats peer(JsonNode stats, String parent) {
        JsonNode s = Read.object(stats, "peer_conn_stats", parent);
        if (s == null) {
            return null;
        }
        String p = Read.path(parent, "peer_conn_stats");
        return new PeerConnStats(
                Read.text(s, "ID", p),
                Read.lng(s, "BytesReceived", p),
                Read.lng(s, "BytesSent", p));
    }

    private static List<TrackStats> tracks(JsonNode stats, String parent) {
        JsonNode a = Read.array(stats, "track_stats", parent);
        if (a == null) {
            return null;
        }
        String ap = Read.path(parent, "track_stats");
        List<TrackStats> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            JsonNode t = Read.element(a, i, ap);
            String p = Read.path(ap, i);
            out.add(
                    new TrackStats(
                            Read.text(t, "type", p),
                            Read.dbl(t, "jitter", p),
                            Read.lng(t, "packets_lost", p),
                            Read.lng(t, "packets_received", p),
                            Read.dbl(t, "packet_loss_pct", p),
                            Read.dbl(t, "rtt", p),
                            Read.dbl(t, "last_input_ts", p),
                            Read.dbl(t, "last_output_ts", p),
                            Read.dbl(t, "latency", p),
                            Read.json(t, "warnings")));
        }
        return Collections.unmodifiableList(out);
    }
}
