package org.livepeer.naap.schemas.family;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.List;
import org.livepeer.naap.schemas.NodeIds;

/**
 * {@code job-processed}: an orchestrator finished a transcoding segment or a batch AI job. No field
 * is required.
 *
 * @param computeUnits pixels, for transcoding
 * @param duration the segment duration in ms (transcoding)
 * @param fees wei
 * @param pricePerComputeUnit wei per pixel
 * @param responseTime as sent: ms for transcoding, <b>nanoseconds</b> for batch AI (see {@link
 *     #responseTimeMs()})
 */
public record JobProcessed(
        String ethAddress,
        String requestId,
        String pipeline,
        String modelId,
        Long computeUnits,
        Double duration,
        BigDecimal fees,
        BigDecimal pricePerComputeUnit,
        Double realTimeRatio,
        Double responseTime)
        implements FamilyPayload {

    static JobProcessed read(JsonNode data) {
        String p = Read.ROOT;
        Read.requireObject(data, p);
        return new JobProcessed(
                Read.text(data, "ethAddress", p),
                Read.text(data, "requestID", p),
                Read.text(data, "pipeline", p),
                Read.text(data, "modelID", p),
                Read.lng(data, "computeUnits", p),
                Read.dbl(data, "duration", p),
                Read.dec(data, "fees", p),
                Read.dec(data, "pricePerComputeUnit", p),
                Read.dbl(data, "realTimeRatio", p),
                Read.dbl(data, "responseTime", p));
    }

    /** True for a batch AI job (it names a request or pipeline), false for transcoding. */
    public boolean batchAi() {
        return requestId != null || pipeline != null;
    }

    /** {@link #responseTime} in ms: batch AI reports nanoseconds, transcoding ms. */
    public Double responseTimeMs() {
        if (responseTime == null) {
            return null;
        }
        return batchAi() ? responseTime / 1_000_000.0 : responseTime;
    }

    @Override
    public List<String> nodeIds() {
        return NodeIds.of(NodeIds.orchestrator(ethAddress));
    }
}
